import { ChatWidgetTypingIndicator } from './typing-indicator.component.ts'

export * from './typing-indicator.component.ts'

customElements.define('chat-widget-typing-indicator', ChatWidgetTypingIndicator)

declare global {
  interface HTMLElementTagNameMap {
    'chat-widget-typing-indicator': ChatWidgetTypingIndicator
  }
}
