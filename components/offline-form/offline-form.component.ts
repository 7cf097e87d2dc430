import { html, LitElement, nothing, type PropertyValues } from 'lit'
import { property, state } from 'lit/decorators.js'
import { live } from 'lit/directives/live.js'
import { base, tokens } from '../../styles/index.ts'
import { OfflineSubmitEvent } from '../shared/events.ts'
import formStyles from '../shared/form.styles.ts'
import { emailError } from '../shared/validation.ts'
import { defaultOfflineFormStrings, type OfflineFormStrings } from './offline-form.strings.ts'
import styles from './offline-form.styles.ts'

export { defaultOfflineFormStrings, type OfflineFormStrings } from './offline-form.strings.ts'

/** Where the offline message is: being written, on its way, delivered, or refused. */
export type FormState = 'idle' | 'sending' | 'sent' | 'error'

type Field = 'email' | 'text'

/** The element id (and form name) of each field. */
const fieldIds: Record<Field, string> = { email: 'email', text: 'message' }

/**
 * @summary The form a visitor fills in while no one is online: name, email and message; the
 * reply comes by email.
 *
 * The email and the message are required and checked on submit and when the visitor leaves a
 * field they wrote in (the message also against `maxLength`, the server's limit); an error
 * shows under its field (`aria-invalid`, `aria-describedby`) and the first wrong field takes
 * focus. The owner sends the message and tells the form how it went with `state`: `sent`
 * replaces the form with a confirmation (which takes focus), `error` says so and lets the
 * visitor submit again.
 *
 * @event chat-widget-offline-submit - The visitor submitted valid values: `event.name` (may be
 * empty), `event.email`, `event.text`, all trimmed.
 *
 * @csspart offline-form - The form.
 * @csspart intro - The text above the fields.
 * @csspart input - Each field.
 * @csspart field-error - The error under a field.
 * @csspart submit-button - The submit button.
 * @csspart form-error - The line that says the message could not be sent (`role="alert"`).
 * @csspart confirmation - The confirmation that replaces the form once sent.
 *
 * @cssproperty --chat-widget-accent - Submit button and focused fields.
 * @cssproperty --chat-widget-danger - Errors.
 * @cssproperty --chat-widget-success - Confirmation tint.
 */
export class ChatWidgetOfflineForm extends LitElement {
  static override styles = [tokens, base, formStyles, styles]

  /** Prefills the name field (a visitor the site knows). */
  @property() name = ''

  /** Prefills the email field. */
  @property() email = ''

  @property({ reflect: true }) state: FormState = 'idle'

  /** The longest message the server takes (trimmed, UTF-16 code units); 0: no limit. */
  @property({ type: Number, attribute: 'max-length' }) maxLength = 0

  @property({ attribute: false }) strings: Partial<OfflineFormStrings> = {}

  @state() private values = { name: '', email: '', text: '' }
  @state() private errors: Partial<Record<Field, string>> = {}
  /** The address the last submit went to: the one the confirmation names. */
  @state() private submittedEmail = ''

  get #allStrings(): OfflineFormStrings {
    return { ...defaultOfflineFormStrings, ...this.strings }
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('name')) this.values = { ...this.values, name: this.name }
    if (changed.has('email')) this.values = { ...this.values, email: this.email }
  }

  protected override updated(changed: PropertyValues<this>) {
    if (changed.has('state') && this.state === 'sent') {
      this.renderRoot.querySelector<HTMLElement>('[part~="confirmation"]')?.focus()
    }
  }

  override render() {
    const strings = this.#allStrings
    if (this.state === 'sent') {
      return html`<div part="offline-form" class="form">
        <p part="confirmation" class="done" role="status" tabindex="-1">
          ${strings.sent(this.submittedEmail || this.values.email.trim())}
        </p>
      </div>`
    }
    const sending = this.state === 'sending'
    return html`
      <form
        part="offline-form"
        class="form"
        novalidate
        aria-busy=${sending ? 'true' : 'false'}
        @submit=${this.#onSubmit}
      >
        <p part="intro" class="intro">${strings.intro}</p>
        <div class="field">
          <label for="name">${strings.name} <span class="optional">${strings.optional}</span></label>
          <input
            part="input"
            id="name"
            name="name"
            autocomplete="name"
            .value=${live(this.values.name)}
            ?readonly=${sending}
            @input=${(event: Event) => this.#setValue('name', event)}
          />
        </div>
        <div class="field">
          <label for="email">${strings.email}</label>
          <input
            part="input"
            id="email"
            name="email"
            type="email"
            autocomplete="email"
            inputmode="email"
            spellcheck="false"
            required
            aria-required="true"
            aria-invalid=${this.errors.email ? 'true' : 'false'}
            aria-describedby=${this.errors.email ? 'email-error' : nothing}
            .value=${live(this.values.email)}
            ?readonly=${sending}
            @input=${(event: Event) => this.#setValue('email', event)}
            @blur=${() => this.#checkOnBlur('email')}
          />
          ${this.#renderError('email')}
        </div>
        <div class="field">
          <label for="message">${strings.message}</label>
          <textarea
            part="input"
            id="message"
            name="message"
            rows="4"
            required
            aria-required="true"
            aria-invalid=${this.errors.text ? 'true' : 'false'}
            aria-describedby=${this.errors.text ? 'message-error' : nothing}
            .value=${live(this.values.text)}
            ?readonly=${sending}
            @input=${(event: Event) => this.#setValue('text', event)}
            @blur=${() => this.#checkOnBlur('text')}
          ></textarea>
          ${this.#renderError('text')}
        </div>
        ${
          this.state === 'error'
            ? html`<p part="form-error" class="alert" role="alert">${strings.error}</p>`
            : nothing
        }
        <button part="submit-button" class="primary" type="submit" ?disabled=${sending}>
          ${sending ? strings.sending : strings.submit}
        </button>
      </form>
    `
  }

  #renderError(field: Field) {
    const error = this.errors[field]
    return error
      ? html`<p part="field-error" class="error" id="${fieldIds[field]}-error">${error}</p>`
      : nothing
  }

  #setValue(field: 'name' | Field, event: Event) {
    const value = (event.target as HTMLInputElement | HTMLTextAreaElement).value
    this.values = { ...this.values, [field]: value }
    // An error goes away as soon as the visitor has fixed it, not only on the next blur.
    if (field !== 'name' && this.errors[field] && !this.#check(field)) {
      this.errors = { ...this.errors, [field]: '' }
    }
  }

  #check(field: Field): string {
    const strings = this.#allStrings
    if (field === 'email') return emailError(this.values.email, strings)
    const length = this.values.text.trim().length
    if (!length) return strings.messageMissing
    return this.maxLength > 0 && length > this.maxLength
      ? strings.messageTooLong(length.toLocaleString(), this.maxLength.toLocaleString())
      : ''
  }

  /** Leaving a field the visitor wrote in (or one already marked wrong) checks it. */
  #checkOnBlur(field: Field) {
    if (!this.values[field].trim() && !this.errors[field]) return
    this.errors = { ...this.errors, [field]: this.#check(field) }
  }

  async #onSubmit(event: SubmitEvent) {
    event.preventDefault()
    if (this.state === 'sending') return
    const errors = { email: this.#check('email'), text: this.#check('text') }
    this.errors = errors
    const wrong = (['email', 'text'] as const).find((field) => errors[field])
    if (wrong) {
      await this.updateComplete
      this.renderRoot.querySelector<HTMLElement>(`#${fieldIds[wrong]}`)?.focus()
      return
    }
    const { name, email, text } = this.values
    this.submittedEmail = email.trim()
    this.dispatchEvent(new OfflineSubmitEvent(name.trim(), email.trim(), text.trim()))
  }
}
