import { ChatWidgetLauncher } from './launcher.component.ts'

export * from './launcher.component.ts'

customElements.define('chat-widget-launcher', ChatWidgetLauncher)

declare global {
  interface HTMLElementTagNameMap {
    'chat-widget-launcher': ChatWidgetLauncher
  }
}
