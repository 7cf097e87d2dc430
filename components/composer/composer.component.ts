import { html, LitElement, type PropertyValues } from 'lit'
import { property, query, state } from 'lit/decorators.js'
import { live } from 'lit/directives/live.js'
import { base, tokens } from '../../styles/index.ts'
import { SendEvent, TypingEvent } from '../shared/events.ts'
import styles from './composer.styles.ts'
import { TypingController } from './typing.controller.ts'

/** Texts of the composer; set `strings` to translate. */
export interface ComposerStrings {
  /** Accessible name of the text field. */
  label: string
  placeholder: string
  send: string
}

export const defaultComposerStrings: ComposerStrings = {
  label: 'Message',
  placeholder: 'Write a message…',
  send: 'Send',
}

/**
 * @summary Where the visitor writes: a text field that grows with its text, and a send button.
 *
 * Enter sends, Shift+Enter starts a new line (and Enter that ends an IME composition only
 * confirms it). The sent text is trimmed; blank text cannot be sent.
 *
 * @event chat-widget-send - The visitor sent a message; `event.text` is trimmed. The field clears.
 * @event chat-widget-typing - `event.typing` is true as the visitor types (at most once per
 * `typingThrottle` ms) and false after `typingTimeout` ms of pause, on send, and on blur.
 *
 * @csspart composer - The bar around the field and the button.
 * @csspart input - The text field (a `<textarea>`).
 * @csspart send-button - The send button.
 *
 * @cssproperty --chat-widget-accent - Send button and focus border.
 * @cssproperty --chat-widget-border - Bar's top line.
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

  @property({ attribute: false }) strings: Partial<ComposerStrings> = {}

  /** Whether the field holds something to send (kept in step with the field, not `value`). */
  @state() private sendable = false

  @query('textarea') private textarea!: HTMLTextAreaElement

  private readonly typing = new TypingController(
    this,
    () => ({ throttle: this.typingThrottle, timeout: this.typingTimeout }),
    (typing) => this.dispatchEvent(new TypingEvent(typing)),
  )

  override render() {
    const strings = { ...defaultComposerStrings, ...this.strings }
    return html`
      <div part="composer" class="composer">
        <textarea
          part="input"
          rows="1"
          aria-label=${strings.label}
          placeholder=${strings.placeholder}
          enterkeyhint="send"
          .value=${live(this.value)}
          ?disabled=${this.disabled}
          @input=${this.onInput}
          @keydown=${this.onKeyDown}
          @blur=${() => this.typing.stop()}
        ></textarea>
        <button
          part="send-button"
          type="button"
          aria-label=${strings.send}
          title=${strings.send}
          ?disabled=${this.disabled || !this.sendable}
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
    if (changed.has('value')) this.sendable = this.value.trim() !== ''
  }

  protected override updated(changed: PropertyValues<this>) {
    if (changed.has('value')) this.resize()
  }

  /** Sends the text in the field, as the send button does. */
  send() {
    const text = this.textarea.value.trim()
    if (this.disabled || !text) return
    this.typing.stop()
    this.dispatchEvent(new SendEvent(text))
    this.value = ''
    this.textarea.value = ''
    this.sendable = false
    this.resize()
    this.textarea.focus()
  }

  private onInput() {
    this.value = this.textarea.value
    this.resize()
    // Emptying the field is stopping, not typing.
    if (this.value.trim()) this.typing.input()
    else this.typing.stop()
  }

  private onKeyDown(event: KeyboardEvent) {
    // keyCode 229: the key went to an IME (Safari ends a composition before this keydown).
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) {
      return
    }
    event.preventDefault()
    this.send()
  }

  /** Fits the field's height to its text, up to the CSS `max-height`. */
  private resize() {
    const field = this.textarea
    if (!field) return
    field.style.height = 'auto'
    field.style.height = `${field.scrollHeight}px`
  }
}
