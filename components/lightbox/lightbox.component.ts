import { html, LitElement, nothing, type PropertyValues } from 'lit'
import { property } from 'lit/decorators.js'
import { base, tokens } from '../../styles/index.ts'
import { closeIcon } from '../shared/icons.ts'
import { safeHref } from '../shared/linkify.ts'
import { defaultLightboxStrings, type LightboxStrings } from './lightbox.strings.ts'
import styles from './lightbox.styles.ts'

export { defaultLightboxStrings, type LightboxStrings } from './lightbox.strings.ts'

/** The focused element, looking into shadow roots (where our buttons live). */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement
  return active instanceof HTMLElement ? active : null
}

/**
 * @summary An image at full size over everything else, in a modal dialog named after its file.
 *
 * A native `<dialog>` opened with `showModal()`: the page behind is inert, Tab stays inside,
 * focus moves to the close button. Escape, the close button and a click beside the image close
 * it; focus then returns to where it was when it opened (the thumbnail button). Only http(s)
 * images are shown.
 *
 * @event close - The lightbox closed (any way); not composed, like a `<dialog>`'s.
 *
 * @csspart lightbox - The dialog (fills the viewport; its background is the dimmed backdrop).
 * @csspart lightbox-image - The image.
 * @csspart lightbox-caption - The file name and the link to the original.
 * @csspart lightbox-close - The close button.
 *
 * @cssproperty --chat-widget-overlay - The dimmed background behind the image.
 */
export class ChatWidgetLightbox extends LitElement {
  static override styles = [tokens, base, styles]

  /** The image's address (http or https; anything else shows nothing). */
  @property() src = ''

  /** The file name: the dialog's accessible name and the image's alt text. */
  @property() name = ''

  /** Natural size of the image, when known (keeps the layout still while it loads). */
  @property({ type: Number }) width: number | null = null
  @property({ type: Number }) height: number | null = null

  /** Whether it is shown. Set it, or call `show()` / `close()`. */
  @property({ type: Boolean, reflect: true }) open = false

  @property({ attribute: false }) strings: Partial<LightboxStrings> = {}

  // Rendered elements, looked up when used (as `@query` did; none before the first render).
  get #dialog() {
    return this.renderRoot?.querySelector('dialog') as HTMLDialogElement
  }

  /** Where focus goes back to on close. */
  #returnFocus: HTMLElement | null = null

  /** Shows `src` (named `name`); focus returns to `opener` (default: the focused element) on close. */
  show(src: string, name: string, opener: HTMLElement | null = deepActiveElement()) {
    this.src = src
    this.name = name
    this.#returnFocus = opener
    this.open = true
  }

  close() {
    this.open = false
  }

  protected override updated(changed: PropertyValues<this>) {
    if (!changed.has('open')) return
    const dialog = this.#dialog
    if (this.open && !dialog.open) {
      this.#returnFocus ??= deepActiveElement()
      dialog.showModal()
      this.renderRoot.querySelector<HTMLElement>('[part~="lightbox-close"]')?.focus()
    } else if (!this.open && dialog.open) {
      dialog.close()
    }
  }

  override render() {
    const strings = { ...defaultLightboxStrings, ...this.strings }
    const href = this.src ? safeHref(this.src, document.baseURI) : null
    return html`
      <dialog
        part="lightbox"
        role="dialog"
        aria-modal="true"
        aria-labelledby="caption"
        @click=${this.#onClick}
        @close=${this.#onDialogClose}
      >
        <button part="lightbox-close" class="close" type="button" aria-label=${strings.close}
          @click=${this.close}>
          ${closeIcon(24)}
        </button>
        <div class="stage">
          ${
            href
              ? html`<img
                  part="lightbox-image"
                  src=${href}
                  alt=${this.name}
                  width=${this.width ?? nothing}
                  height=${this.height ?? nothing}
                  decoding="async"
                />`
              : nothing
          }
        </div>
        <p part="lightbox-caption" class="caption">
          <span id="caption" class="name">${this.name}</span>
          ${
            href
              ? html`<a href=${href} target="_blank" rel="noopener noreferrer"
                  >${strings.openOriginal}</a
                >`
              : nothing
          }
        </p>
      </dialog>
    `
  }

  /** A click on the dimmed area (not the image, the caption or the button) closes. */
  #onClick(event: MouseEvent) {
    const target = event.target as Element
    if (target === this.#dialog || target.classList.contains('stage')) this.close()
  }

  /** Any way it closed (Escape included): keep `open` in step and give focus back. */
  #onDialogClose() {
    this.open = false
    const back = this.#returnFocus
    this.#returnFocus = null
    if (back?.isConnected) back.focus()
    this.dispatchEvent(new Event('close'))
  }
}
