import { html, LitElement, nothing, type PropertyValues } from 'lit'
import { property, state } from 'lit/decorators.js'
import { live } from 'lit/directives/live.js'
import { base, tokens } from '../../styles/index.ts'
import { AttachEvent, NoticeDismissEvent, SendEvent, TypingEvent } from '../shared/events.ts'
import { closeIcon, paperclipIcon } from '../shared/icons.ts'
import styles from './composer.styles.ts'
import { TypingController } from './typing.controller.ts'

/** The browser fits the field to its text (CSS `field-sizing`, see composer.styles.ts). */
const FITS_ITSELF = CSS.supports('field-sizing', 'content')

/** Texts of the composer; set `strings` to translate. */
export interface ComposerStrings {
  /** Accessible name of the text field. */
  label: string
  placeholder: string
  send: string
  attach: string
  /** Accessible name of the notice's close button. */
  dismiss: string
  /** Beside the counter when the text is over `maxLength`: it cannot be sent as it is. */
  tooLong: string
}

export const defaultComposerStrings: ComposerStrings = {
  label: 'Message',
  placeholder: 'Write a message…',
  send: 'Send',
  attach: 'Attach a file',
  dismiss: 'Dismiss',
  tooLong: 'Too long to send',
}

/**
 * @summary Where the visitor writes: a text field that grows with its text, and a send button.
 *
 * Enter sends, Shift+Enter starts a new line (and Enter that ends an IME composition only
 * confirms it). The sent text is trimmed; blank text cannot be sent.
 *
 * Files come in two ways: the attach button (a file picker, filtered by `accept`) and pasting
 * images into the field. A paste that carries text as well (a copy from a word processor also
 * holds a picture of the text) stays a text paste. The composer does not check the files: the
 * owner refuses what the server will not take and says why in `notice`.
 *
 * With `maxLength` (the server's limit) a counter shows near it, and a text over it is marked
 * invalid and cannot be sent until it is shortened: nothing typed is lost to a refusal.
 *
 * @event chat-widget-send - The visitor sent a message; `event.text` is trimmed. The field clears.
 * @event chat-widget-typing - `event.typing` is true as the visitor types (at most once per
 * `typingThrottle` ms) and false after `typingTimeout` ms of pause, on send, and on blur.
 * @event chat-widget-attach - The visitor chose files or pasted images; `event.files` (a `File[]`).
 * @event chat-widget-notice-dismiss - The visitor closed the notice (it hides; clear your copy).
 *
 * @csspart composer - The bar around the field and the button.
 * @csspart input - The text field (a `<textarea>`).
 * @csspart send-button - The send button.
 * @csspart attach-button - The paperclip button that opens the file picker.
 * @csspart notice - The line above the bar with a problem to report (`role="alert"`).
 * @csspart notice-dismiss - The notice's close button.
 * @csspart counter - Characters used of `maxLength`, shown near the limit.
 *
 * @cssproperty --chat-widget-accent - Send button and focus border.
 * @cssproperty --chat-widget-border - Bar's top line.
 * @cssproperty --chat-widget-danger - The notice's marker and tint.
 */
export class ChatWidgetComposer extends LitElement {
  static override styles = [tokens, base, styles]

  static override shadowRootOptions: ShadowRootInit = {
    ...LitElement.shadowRootOptions,
    delegatesFocus: true,
  }

  /** The text in the field. Setting it fires no event. */
  @property() value = ''

  /** Stops writing and sending (e.g. while the chat cannot take messages). */
  @property({ type: Boolean, reflect: true }) disabled = false

  /** At most one `typing: true` event per this many ms while typing. */
  @property({ type: Number, attribute: 'typing-throttle' }) typingThrottle = 2000

  /** A `typing: false` event after this many ms without a keystroke. */
  @property({ type: Number, attribute: 'typing-timeout' }) typingTimeout = 3000

  /**
   * File types the picker offers, as in `<input accept>`: MIME types, `type/*` wildcards or
   * extensions, comma-separated (the root fills it from the server's accepted types).
   */
  @property() accept = ''

  /** Hides the attach button and ignores pasted images (when the chat cannot take files). */
  @property({ type: Boolean, reflect: true, attribute: 'no-attach' }) noAttach = false

  /** A problem to show above the field ("report.exe can't be sent: …"); empty for none. */
  @property() notice = ''

  /** The longest text that can be sent (trimmed, in UTF-16 code units as the server counts); 0: no limit. */
  @property({ type: Number, attribute: 'max-length' }) maxLength = 0

  @property({ attribute: false }) strings: Partial<ComposerStrings> = {}

  /** The length of what would be sent (kept in step with the field, not `value`). */
  @state() private length = 0

  // Rendered elements, looked up when used (as `@query` did; none before the first render).
  get #textarea(): HTMLTextAreaElement {
    return this.renderRoot?.querySelector('textarea') as HTMLTextAreaElement
  }
  get #fileInput(): HTMLInputElement {
    return this.renderRoot?.querySelector('input[type="file"]') as HTMLInputElement
  }

  readonly #typing = new TypingController(
    this,
    () => ({ throttle: this.typingThrottle, timeout: this.typingTimeout }),
    (typing) => this.dispatchEvent(new TypingEvent(typing)),
  )

  override render() {
    const strings = { ...defaultComposerStrings, ...this.strings }
    const over = this.#overLimit
    // Near the limit only: a counter from the first character would be noise.
    const counted = this.maxLength > 0 && this.length >= this.maxLength * 0.9
    return html`
      ${
        this.notice
          ? html`<div part="notice" class="notice" role="alert">
              <p class="notice-text">${this.notice}</p>
              <button
                part="notice-dismiss"
                type="button"
                aria-label=${strings.dismiss}
                @click=${this.#dismissNotice}
              >
                ${closeIcon(16)}
              </button>
            </div>`
          : nothing
      }
      ${
        counted
          ? html`<p part="counter" id="counter" class=${over ? 'counter over' : 'counter'}>
              <span role="status">${over ? strings.tooLong : ''}</span>
              <span>${this.length.toLocaleString()} / ${this.maxLength.toLocaleString()}</span>
            </p>`
          : nothing
      }
      <div part="composer" class="composer">
        ${
          this.noAttach
            ? nothing
            : html`<button
                  part="attach-button"
                  type="button"
                  aria-label=${strings.attach}
                  ?disabled=${this.disabled}
                  @click=${() => this.#fileInput.click()}
                >
                  ${paperclipIcon(22)}
                </button>
                <input
                  type="file"
                  multiple
                  hidden
                  tabindex="-1"
                  accept=${this.accept || nothing}
                  @change=${this.#onFilesChosen}
                />`
        }
        <textarea
          part="input"
          rows="1"
          dir=${
            // Empty, `auto` would be left to right: the placeholder follows the page instead.
            this.value ? 'auto' : nothing
          }
          aria-label=${strings.label}
          aria-invalid=${over ? 'true' : nothing}
          aria-describedby=${counted ? 'counter' : nothing}
          placeholder=${strings.placeholder}
          enterkeyhint="send"
          .value=${live(this.value)}
          ?disabled=${this.disabled}
          @input=${this.#onInput}
          @keydown=${this.#onKeyDown}
          @paste=${this.#onPaste}
          @blur=${() => this.#typing.stop()}
        ></textarea>
        <button
          part="send-button"
          type="button"
          aria-label=${strings.send}
          title=${strings.send}
          ?disabled=${this.disabled || this.length === 0 || over}
          @click=${this.send}
        >
          <svg viewBox="0 0 24 24" width="20" height="20" fill="currentColor" aria-hidden="true">
            <path
              d="M3.4 20.4 21.1 12.8a.9.9 0 0 0 0-1.6L3.4 3.6a.9.9 0 0 0-1.2 1.1L4.5 11l9 1-9 1-2.3 6.3a.9.9 0 0 0 1.2 1.1Z"
            />
          </svg>
        </button>
      </div>
    `
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('value')) this.length = this.value.trim().length
  }

  get #overLimit(): boolean {
    return this.maxLength > 0 && this.length > this.maxLength
  }

  protected override updated(changed: PropertyValues<this>) {
    if (changed.has('value')) this.#resize()
  }

  /** Sends the text in the field, as the send button does. */
  send() {
    const text = this.#textarea.value.trim()
    if (this.disabled || !text || this.#overLimit) return
    this.#typing.stop()
    this.dispatchEvent(new SendEvent(text))
    this.value = ''
    this.#textarea.value = ''
    this.length = 0
    this.#resize()
    this.#textarea.focus()
  }

  /** Moves keyboard focus to the text field (not the first button, as `delegatesFocus` would). */
  override focus(options?: FocusOptions) {
    if (this.#textarea) this.#textarea.focus(options)
    else super.focus(options)
  }

  #onFilesChosen() {
    const files = [...(this.#fileInput.files ?? [])]
    // Cleared so that choosing the same file again is a change too.
    this.#fileInput.value = ''
    if (files.length > 0 && !this.disabled) this.dispatchEvent(new AttachEvent(files))
  }

  #onPaste(event: ClipboardEvent) {
    const data = event.clipboardData
    if (!data || this.noAttach || this.disabled) return
    // A copy from a document carries its text and a picture of it: the visitor meant the text.
    if (data.getData('text/plain').trim()) return
    const images = [...data.files].filter((file) => file.type.startsWith('image/'))
    if (images.length === 0) return
    event.preventDefault()
    this.dispatchEvent(new AttachEvent(images))
  }

  #dismissNotice() {
    this.notice = ''
    this.dispatchEvent(new NoticeDismissEvent())
    this.#textarea.focus()
  }

  #onInput() {
    this.value = this.#textarea.value
    this.#resize()
    // Emptying the field is stopping, not typing.
    if (this.value.trim()) this.#typing.input()
    else this.#typing.stop()
  }

  #onKeyDown(event: KeyboardEvent) {
    // keyCode 229: the key went to an IME (Safari ends a composition before this keydown).
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) {
      return
    }
    event.preventDefault()
    this.send()
  }

  /** Fits the field's height to its text, up to the CSS `max-height`, where CSS cannot. */
  #resize() {
    const field = this.#textarea
    if (!field || FITS_ITSELF) return
    field.style.height = 'auto'
    field.style.height = `${field.scrollHeight}px`
  }
}
