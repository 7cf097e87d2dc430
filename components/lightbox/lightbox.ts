import { ChatWidgetLightbox } from './lightbox.component.ts'

export * from './lightbox.component.ts'

customElements.define('chat-widget-lightbox', ChatWidgetLightbox)

declare global {
  interface HTMLElementTagNameMap {
    'chat-widget-lightbox': ChatWidgetLightbox
  }
}
