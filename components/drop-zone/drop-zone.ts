import { ChatWidgetDropZone } from './drop-zone.component.ts'

export * from './drop-zone.component.ts'

customElements.define('chat-widget-drop-zone', ChatWidgetDropZone)

declare global {
  interface HTMLElementTagNameMap {
    'chat-widget-drop-zone': ChatWidgetDropZone
  }
}
