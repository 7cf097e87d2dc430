import { ChatWidgetChatEnded } from './chat-ended.component.ts'

export * from './chat-ended.component.ts'

customElements.define('chat-widget-chat-ended', ChatWidgetChatEnded)

declare global {
  interface HTMLElementTagNameMap {
    'chat-widget-chat-ended': ChatWidgetChatEnded
  }
}
