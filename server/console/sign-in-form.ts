import { css, html, LitElement, nothing } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { SignInEvent } from './events.ts'
import { baseStyles } from './styles.ts'

/**
 * Asks for the agent token.
 *
 * @event console-sign-in - The agent submitted a token (`SignInEvent`).
 */
@customElement('sign-in-form')
export class SignInForm extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        place-items: center;
        min-height: 100%;
        padding: 1rem;
      }
      form {
        width: min(22rem, 100%);
        display: flex;
        flex-direction: column;
        gap: 0.75rem;
        padding: 1.5rem;
        background: var(--console-surface);
        border: 1px solid var(--console-border);
        border-radius: 12px;
      }
      h1 {
        font-size: 1.2rem;
        margin: 0;
      }
      p {
        margin: 0;
        color: var(--console-muted);
        font-size: 0.9rem;
      }
      label {
        font-weight: 600;
        font-size: 0.9rem;
      }
      input {
        font: inherit;
        padding: 0.5rem 0.65rem;
        border: 1px solid var(--console-border);
        border-radius: var(--console-radius);
      }
      .error {
        color: var(--console-danger);
      }
      button {
        padding: 0.55rem;
      }
    `,
  ]

  /** Why the last attempt failed, if it did. */
  @property() error: string | null = null

  @state() private token = ''

  override render() {
    return html`
      <form @submit=${this.onSubmit}>
        <h1>Agent console</h1>
        <p>Sign in with your agent token to answer chats.</p>
        <label for="token">Agent token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          required
          .value=${this.token}
          @input=${(event: InputEvent) => {
            this.token = (event.target as HTMLInputElement).value
          }}
          aria-describedby=${this.error ? 'error' : nothing}
        />
        ${this.error ? html`<p id="error" class="error" role="alert">${this.error}</p>` : nothing}
        <button class="primary" type="submit" ?disabled=${!this.token.trim()}>Sign in</button>
      </form>
    `
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault()
    const token = this.token.trim()
    if (token) this.dispatchEvent(new SignInEvent(token))
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sign-in-form': SignInForm
  }
}
