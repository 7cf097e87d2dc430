import { ChatWidgetOfflineForm } from './offline-form.component.ts'

export * from './offline-form.component.ts'

customElements.define('chat-widget-offline-form', ChatWidgetOfflineForm)

declare global {
  interface HTMLElementTagNameMap {
    'chat-widget-offline-form': ChatWidgetOfflineForm
  }
}
