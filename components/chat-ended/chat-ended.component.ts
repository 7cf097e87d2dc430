import { html, LitElement, nothing, type PropertyValues } from 'lit'
import { property, state } from 'lit/decorators.js'
import { live } from 'lit/directives/live.js'
import type { Rating } from '../../src/protocol.ts'
import { base, tokens } from '../../styles/index.ts'
import { NewChatEvent, RateEvent, TranscriptEvent } from '../shared/events.ts'
import formStyles from '../shared/form.styles.ts'
import { starIcon, thumbDownIcon, thumbUpIcon } from '../shared/icons.ts'
import { emailError } from '../shared/validation.ts'
import {
  type ChatEndedStrings,
  defaultChatEndedStrings,
  type RatingScale,
} from './chat-ended.strings.ts'
import styles from './chat-ended.styles.ts'

export {
  type ChatEndedStrings,
  defaultChatEndedStrings,
  type RatingScale,
} from './chat-ended.strings.ts'

/** Where the transcript is: asked for, on its way, sent, or refused. */
export type TranscriptState = 'idle' | 'sending' | 'sent' | 'error'

/**
 * @summary What follows a closed conversation: a rating, the transcript by email, and a way
 * to start again.
 *
 * The rating is a radio group (five stars named "1 of 5"…, or thumbs up and down for 5 and 1)
 * with an optional comment, asked for once a rating is chosen (so the whole block fits a short
 * panel until then); once the owner sets `rating`, a thanks replaces it. The transcript
 * form checks the address before sending it; the owner reports with `transcriptState`.
 *
 * @event chat-widget-rate - The visitor rated: `event.value` (1–5), `event.text` (trimmed comment or null).
 * @event chat-widget-transcript - The visitor asked for the transcript at `event.email` (trimmed, checked).
 * @event chat-widget-new-chat - The visitor asked to start a new chat.
 *
 * @csspart chat-ended - The whole block.
 * @csspart rating - The rating form.
 * @csspart rating-option - Each star or thumb (a label around its radio button).
 * @csspart comment - The comment field (shown once a rating is chosen).
 * @csspart rate-button - The rating's submit button.
 * @csspart rating-thanks - The thanks shown once rated.
 * @csspart transcript-form - The transcript form.
 * @csspart transcript-input - Its email field.
 * @csspart field-error - The error under the email field.
 * @csspart transcript-button - Its submit button.
 * @csspart transcript-status - The line that says it was sent (or could not be).
 * @csspart new-chat-button - "Start a new chat".
 *
 * @cssproperty --chat-widget-accent - Chosen stars and thumbs, buttons, focused fields.
 * @cssproperty --chat-widget-danger - Errors.
 * @cssproperty --chat-widget-success - Confirmation tint.
 */
export class ChatWidgetChatEnded extends LitElement {
  static override styles = [tokens, base, formStyles, styles]

  @property() scale: RatingScale = '5'

  /** The visitor's rating once given (the chat's `rating`): shows the thanks instead of the form. */
  @property({ attribute: false }) rating: Rating | null = null

  /** Prefills the transcript's email field. */
  @property() email = ''

  @property({ attribute: 'transcript-state' }) transcriptState: TranscriptState = 'idle'

  /** Whether the transcript form is offered. */
  @property({ attribute: false }) canTranscript = true

  @property({ attribute: false }) strings: Partial<ChatEndedStrings> = {}

  @state() private choice = 0
  @state() private hover = 0
  @state() private comment = ''
  @state() private emailValue = ''
  @state() private emailProblem = ''
  @state() private submittedEmail = ''

  /** Focus follows the visitor's own submit to the result that replaces the form. */
  #focusResult: 'rating' | 'transcript' | null = null

  get #allStrings(): ChatEndedStrings {
    return { ...defaultChatEndedStrings, ...this.strings }
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('email')) this.emailValue = this.email
    if (changed.has('scale')) this.choice = 0
  }

  protected override updated(changed: PropertyValues<this>) {
    const focus = (selector: string) =>
      this.renderRoot.querySelector<HTMLElement>(selector)?.focus()
    if (changed.has('rating') && this.rating && this.#focusResult === 'rating') {
      this.#focusResult = null
      focus('[part~="rating-thanks"]')
    }
    if (
      changed.has('transcriptState') &&
      this.transcriptState === 'sent' &&
      this.#focusResult === 'transcript'
    ) {
      this.#focusResult = null
      focus('[part~="transcript-status"]')
    }
  }

  override render() {
    const strings = this.#allStrings
    return html`<section part="chat-ended" class="ended" aria-labelledby="ended">
      <p id="ended" class="title">${strings.ended}</p>
      ${this.rating ? this.#renderThanks(this.rating, strings) : this.#renderRating(strings)}
      ${this.canTranscript ? this.#renderTranscript(strings) : nothing}
      <button part="new-chat-button" class="secondary" type="button" @click=${this.#newChat}>
        ${strings.newChat}
      </button>
    </section>`
  }

  #renderThanks(rating: Rating, strings: ChatEndedStrings) {
    return html`<div part="rating-thanks" class="done" role="status" tabindex="-1">
      <strong>${strings.rateThanks}</strong>
      <span class="rated">${strings.rated(rating.value, this.scale)}</span>
      ${rating.text ? html`<q class="rated">${rating.text}</q>` : nothing}
    </div>`
  }

  #renderRating(strings: ChatEndedStrings) {
    const options =
      this.scale === 'thumbs'
        ? [
            { value: 5, label: strings.thumbsUp, icon: thumbUpIcon(26) },
            { value: 1, label: strings.thumbsDown, icon: thumbDownIcon(26) },
          ]
        : [1, 2, 3, 4, 5].map((value) => ({
            value,
            label: strings.star(value),
            icon: starIcon(30),
          }))
    const lit = this.hover || this.choice
    return html`<form part="rating" class="card" @submit=${this.#rate}>
      <fieldset>
        <legend class="label">${strings.rateQuestion}</legend>
        <div
          class="options options--${this.scale === 'thumbs' ? 'thumbs' : 'stars'}"
          @mouseleave=${() => {
            this.hover = 0
          }}
        >
          ${options.map(
            ({ value, label, icon }) => html`<label
              part="rating-option"
              class="option"
              ?data-on=${this.scale === 'thumbs' ? this.choice === value : value <= lit}
              @mouseenter=${() => {
                if (this.scale !== 'thumbs') this.hover = value
              }}
            >
              <input
                class="visually-hidden"
                type="radio"
                name="rating"
                value=${value}
                .checked=${live(this.choice === value)}
                @change=${() => {
                  this.choice = value
                }}
              />
              <span class="visually-hidden">${label}</span>
              ${icon}
            </label>`,
          )}
        </div>
      </fieldset>
      ${
        this.choice === 0
          ? nothing
          : html`<div class="field">
            <label for="comment">${strings.comment} <span class="optional">${strings.optional}</span></label>
            <textarea
              part="comment"
              id="comment"
              rows="2"
              .value=${live(this.comment)}
              @input=${(event: Event) => {
                this.comment = (event.target as HTMLTextAreaElement).value
              }}
            ></textarea>
          </div>`
      }
      <button part="rate-button" class="primary" type="submit" ?disabled=${this.choice === 0}>
        ${strings.rate}
      </button>
    </form>`
  }

  #renderTranscript(strings: ChatEndedStrings) {
    if (this.transcriptState === 'sent') {
      return html`<p part="transcript-status" class="done" role="status" tabindex="-1">
        ${strings.transcriptSent(this.submittedEmail || this.emailValue.trim())}
      </p>`
    }
    const sending = this.transcriptState === 'sending'
    return html`<form
      part="transcript-form"
      class="card"
      novalidate
      aria-busy=${sending ? 'true' : 'false'}
      @submit=${this.#sendTranscript}
    >
      <div class="field">
        <label for="transcript-email">${strings.transcript}</label>
        <div class="inline">
          <input
            part="transcript-input"
            id="transcript-email"
            type="email"
            autocomplete="email"
            inputmode="email"
            spellcheck="false"
            required
            aria-required="true"
            aria-invalid=${this.emailProblem ? 'true' : 'false'}
            aria-describedby=${this.emailProblem ? 'transcript-email-error' : nothing}
            placeholder="name@example.com"
            .value=${live(this.emailValue)}
            ?readonly=${sending}
            @input=${this.#onEmailInput}
            @blur=${this.#onEmailBlur}
          />
          <button part="transcript-button" class="primary" type="submit" ?disabled=${sending}>
            ${sending ? strings.sending : strings.sendTranscript}
          </button>
        </div>
        ${
          this.emailProblem
            ? html`<p part="field-error" class="error" id="transcript-email-error">
                ${this.emailProblem}
              </p>`
            : nothing
        }
      </div>
      ${
        this.transcriptState === 'error'
          ? html`<p part="transcript-status" class="alert" role="alert">
              ${strings.transcriptError}
            </p>`
          : nothing
      }
    </form>`
  }

  #rate(event: SubmitEvent) {
    event.preventDefault()
    if (this.choice === 0) return
    this.#focusResult = 'rating'
    this.dispatchEvent(new RateEvent(this.choice, this.comment.trim() || null))
  }

  #onEmailInput(event: Event) {
    this.emailValue = (event.target as HTMLInputElement).value
    if (this.emailProblem && !emailError(this.emailValue, this.#allStrings)) this.emailProblem = ''
  }

  #onEmailBlur() {
    if (!this.emailValue.trim() && !this.emailProblem) return
    this.emailProblem = emailError(this.emailValue, this.#allStrings)
  }

  async #sendTranscript(event: SubmitEvent) {
    event.preventDefault()
    if (this.transcriptState === 'sending') return
    this.emailProblem = emailError(this.emailValue, this.#allStrings)
    if (this.emailProblem) {
      await this.updateComplete
      this.renderRoot.querySelector<HTMLElement>('#transcript-email')?.focus()
      return
    }
    this.submittedEmail = this.emailValue.trim()
    this.#focusResult = 'transcript'
    this.dispatchEvent(new TranscriptEvent(this.submittedEmail))
  }

  #newChat() {
    this.dispatchEvent(new NewChatEvent())
  }
}
