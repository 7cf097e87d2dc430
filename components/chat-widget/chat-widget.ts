import { ChatWidget } from './chat-widget.component.ts'

export * from './chat-widget.component.ts'
export * from './events.ts'

if (!customElements.get('chat-widget')) customElements.define('chat-widget', ChatWidget)

declare global {
  interface HTMLElementTagNameMap {
    'chat-widget': ChatWidget
  }
}
