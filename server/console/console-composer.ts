import { css, html, LitElement, nothing } from 'lit'
import { customElement, property, query, state } from 'lit/decorators.js'
import { ComposerFilesEvent, ComposerSendEvent, ComposerTypingEvent } from './events.ts'
import { paperclip } from './icons.ts'
import { baseStyles } from './styles.ts'

/** Send `typing: true` at most this often while the agent keeps typing. */
const TYPING_THROTTLE = 2_000
/** Send `typing: false` after this long without a keystroke. */
const TYPING_PAUSE = 3_000

/**
 * The agent's message box: Enter sends, Shift+Enter adds a line; the paperclip picks files
 * and a pasted image is sent as a file. Near the server's `maxLength` a counter shows; a text
 * over it is marked invalid and not sent until it is shortened.
 *
 * @event console-files - The agent chose or pasted files (`ComposerFilesEvent`).
 * @event console-send - The agent sent a text (`ComposerSendEvent`).
 * @event console-typing - Typing started or stopped, throttled (`ComposerTypingEvent`).
 */
@customElement('console-composer')
export class ConsoleComposer extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      form {
        display: flex;
        gap: 0.5rem;
        align-items: flex-end;
        padding: 0.75rem;
        border-top: 1px solid var(--console-border);
        background: var(--console-surface);
      }
      textarea {
        flex: 1;
        min-width: 0;
        resize: none;
        font: inherit;
        color: inherit;
        padding: 0.5rem 0.65rem;
        border: 1px solid var(--console-border);
        border-radius: var(--console-radius);
        max-height: 9rem;
        field-sizing: content;
        min-height: 2.4rem;
      }
      textarea:disabled {
        background: var(--console-hover);
      }
      button {
        padding: 0.5rem 1rem;
      }
      button.attach {
        padding: 0.5rem 0.6rem;
        line-height: 0;
      }
      input[type='file'] {
        display: none;
      }
      .counter {
        margin: 0;
        padding: 0.4rem 0.9rem 0;
        text-align: end;
        font-size: 0.8rem;
        color: var(--console-muted);
        background: var(--console-surface);
        border-top: 1px solid var(--console-border);
        font-variant-numeric: tabular-nums;
      }
      .counter + form {
        border-top: none;
      }
      .counter.over {
        color: var(--console-danger);
        font-weight: 600;
      }
    `,
  ]

  /** No typing or sending, e.g. for a closed chat. */
  @property({ type: Boolean, reflect: true }) disabled = false
  @property() placeholder = 'Write a reply…'
  /** The longest text the server takes (trimmed, UTF-16 code units); 0: no limit. */
  @property({ type: Number }) maxLength = 0

  @state() private text = ''
  @query('textarea') private textarea!: HTMLTextAreaElement
  @query('input[type=file]') private picker!: HTMLInputElement

  private typing = false
  private lastTypingSent = 0
  private pauseTimer: ReturnType<typeof setTimeout> | undefined

  override focus(): void {
    this.textarea?.focus()
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.stopTyping()
  }

  override render() {
    const length = this.text.trim().length
    const over = this.overLimit
    const counted = this.maxLength > 0 && length >= this.maxLength * 0.9
    return html`
      ${
        counted
          ? html`<p id="counter" class=${over ? 'counter over' : 'counter'}>
              <span role="status">${over ? 'Too long to send' : ''}</span>
              ${length.toLocaleString()} / ${this.maxLength.toLocaleString()}
            </p>`
          : nothing
      }
      <form @submit=${this.onSubmit}>
        <button
          class="attach"
          type="button"
          aria-label="Attach files"
          title="Attach files"
          ?disabled=${this.disabled}
          @click=${() => this.picker.click()}
        >
          ${paperclip}
        </button>
        <input type="file" multiple tabindex="-1" aria-hidden="true" @change=${this.onPick} />
        <label class="visually-hidden" for="message">Reply</label>
        <textarea
          id="message"
          rows="1"
          dir="auto"
          aria-invalid=${over ? 'true' : nothing}
          aria-describedby=${counted ? 'counter' : nothing}
          .value=${this.text}
          placeholder=${this.placeholder}
          ?disabled=${this.disabled}
          @input=${this.onInput}
          @keydown=${this.onKeyDown}
          @paste=${this.onPaste}
          @blur=${() => this.stopTyping()}
        ></textarea>
        <button class="primary" type="submit" ?disabled=${this.disabled || !length || over}>
          Send
        </button>
      </form>
    `
  }

  private onInput(event: InputEvent): void {
    this.text = (event.target as HTMLTextAreaElement).value
    if (!this.text.trim()) {
      this.stopTyping()
      return
    }
    const now = Date.now()
    if (!this.typing || now - this.lastTypingSent >= TYPING_THROTTLE) {
      this.typing = true
      this.lastTypingSent = now
      this.dispatchEvent(new ComposerTypingEvent(true))
    }
    clearTimeout(this.pauseTimer)
    this.pauseTimer = setTimeout(() => this.stopTyping(), TYPING_PAUSE)
  }

  private onPick(event: Event): void {
    const input = event.target as HTMLInputElement
    const files = [...(input.files ?? [])]
    input.value = '' // the same file can be picked again
    if (files.length > 0 && !this.disabled) this.dispatchEvent(new ComposerFilesEvent(files))
  }

  /** A pasted image (a screenshot, say) is sent as a file; pasted text stays text. */
  private onPaste(event: ClipboardEvent): void {
    const files = [...(event.clipboardData?.files ?? [])].filter((file) =>
      file.type.startsWith('image/'),
    )
    if (files.length === 0 || this.disabled) return
    event.preventDefault()
    this.dispatchEvent(new ComposerFilesEvent(files))
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault()
      this.send()
    }
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault()
    this.send()
  }

  private get overLimit(): boolean {
    return this.maxLength > 0 && this.text.trim().length > this.maxLength
  }

  private send(): void {
    const text = this.text.trim()
    if (!text || this.disabled || this.overLimit) return
    this.stopTyping()
    this.dispatchEvent(new ComposerSendEvent(text))
    this.text = ''
    this.textarea.value = ''
  }

  private stopTyping(): void {
    clearTimeout(this.pauseTimer)
    if (!this.typing) return
    this.typing = false
    this.dispatchEvent(new ComposerTypingEvent(false))
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-composer': ConsoleComposer
  }
}
