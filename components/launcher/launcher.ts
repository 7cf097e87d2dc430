import { ChatWidgetLauncher } from './launcher.component.ts'

export * from './launcher.component.ts'

if (!customElements.get('chat-widget-launcher')) {
  customElements.define('chat-widget-launcher', ChatWidgetLauncher)
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-widget-launcher': ChatWidgetLauncher
  }
}
