import { ChatWidgetHeader } from './header.component.ts'

export * from './header.component.ts'

customElements.define('chat-widget-header', ChatWidgetHeader)

declare global {
  interface HTMLElementTagNameMap {
    'chat-widget-header': ChatWidgetHeader
  }
}
