import { html, LitElement } from 'lit'
import { property } from 'lit/decorators.js'
import { base, tokens } from '../../styles/index.ts'
import type { LauncherToggleEvent } from '../shared/events.ts'
import styles from './launcher.styles.ts'

/** Texts of the launcher; set `strings` to translate. */
export interface LauncherStrings {
  open: string
  close: string
  /** After the count in the badge, for screen readers: "3 unread messages". */
  unread: string
  /** Added to the button's name while an agent is online: "Open chat, we're online". */
  online?: string
}

export const defaultLauncherStrings: LauncherStrings = {
  open: 'Open chat',
  close: 'Close chat',
  unread: 'unread messages',
  online: "we're online",
}

/**
 * @summary The round button that opens and closes the chat, with an unread badge.
 *
 * It is controlled: clicking it asks for the other state with `chat-widget-toggle`, and the
 * owner sets `open` in return.
 *
 * @event chat-widget-toggle - The visitor clicked; `event.open` is the state they asked for.
 *
 * @csspart launcher - The button.
 * @csspart icon - The icon inside the button (a chat bubble, or a cross when open).
 * @csspart unread-badge - The unread count ("9+" above 9); hidden at 0.
 * @csspart status - A dot on the button while an agent is online (`status="online"`).
 *
 * @cssproperty --chat-widget-accent - Button background.
 * @cssproperty --chat-widget-accent-contrast - Icon colour.
 * @cssproperty --chat-widget-danger - Badge background.
 * @cssproperty --chat-widget-success - The online dot.
 */
export class ChatWidgetLauncher extends LitElement {
  static override styles = [tokens, base, styles]

  /** Whether the chat panel is open: the label says "Close chat" and the icon is a cross. */
  @property({ type: Boolean, reflect: true }) open = false

  /** Messages the visitor has not read yet; the badge hides at 0. */
  @property({ type: Number }) unread = 0

  /** Whether an agent is online (a dot on the button); empty while unknown. */
  @property({ reflect: true }) status: 'online' | 'offline' | '' = ''

  @property({ attribute: false }) strings: Partial<LauncherStrings> = {}

  override render() {
    const strings = { ...defaultLauncherStrings, ...this.strings }
    const unread = Math.max(0, Math.floor(this.unread) || 0)
    const online = this.status === 'online' && !this.open
    const label = this.open ? strings.close : strings.open
    return html`
      <button
        part="launcher"
        type="button"
        aria-label=${online && strings.online ? `${label}, ${strings.online}` : label}
        aria-expanded=${this.open ? 'true' : 'false'}
        @click=${this.#onClick}
      >
        <span part="icon" class="icon" aria-hidden="true">
          ${this.open ? closeIcon : chatIcon}
        </span>
      </button>
      <span part="status" class="status" ?hidden=${!online || unread > 0}></span>
      <span part="unread-badge" class="badge" role="status" ?hidden=${unread === 0}>
        <span aria-hidden="true">${unread > 9 ? '9+' : unread}</span>
        <span class="visually-hidden">${unread} ${strings.unread}</span>
      </span>
    `
  }

  /** Moves keyboard focus to the button. */
  override focus(options?: FocusOptions) {
    this.renderRoot.querySelector('button')?.focus(options)
  }

  #onClick() {
    // A `LauncherToggleEvent` in all but its class: the launcher is in the widget's first
    // script, which stays small without the module of every other event.
    const event = new Event('chat-widget-toggle', { bubbles: true, composed: true })
    this.dispatchEvent(Object.assign(event, { open: !this.open }) as LauncherToggleEvent)
  }
}

const chatIcon = html`<svg viewBox="0 0 24 24" width="28" height="28" fill="currentColor">
  <path
    d="M12 3C6.9 3 3 6.6 3 11c0 2.3 1.1 4.4 2.9 5.9-.2 1.3-.8 2.6-1.8 3.6-.2.2 0 .6.3.6 2.1-.1 3.9-.8 5.2-1.8.8.2 1.6.3 2.4.3 5.1 0 9-3.6 9-8s-3.9-8.6-9-8.6Z"
  />
</svg>`

const closeIcon = html`<svg viewBox="0 0 24 24" width="24" height="24" fill="none"
  stroke="currentColor" stroke-width="2.25" stroke-linecap="round">
  <path d="M6 6l12 12M18 6L6 18" />
</svg>`
