import { ChatWidgetComposer } from './composer.component.ts'

export * from './composer.component.ts'

customElements.define('chat-widget-composer', ChatWidgetComposer)

declare global {
  interface HTMLElementTagNameMap {
    'chat-widget-composer': ChatWidgetComposer
  }
}
