import { ChatWidgetMessageList } from './message-list.component.ts'

export * from './message-list.component.ts'

customElements.define('chat-widget-message-list', ChatWidgetMessageList)

declare global {
  interface HTMLElementTagNameMap {
    'chat-widget-message-list': ChatWidgetMessageList
  }
}
