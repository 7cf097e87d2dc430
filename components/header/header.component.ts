import { html, LitElement, nothing, type PropertyValues } from 'lit'
import { property, state } from 'lit/decorators.js'
import type { Agent } from '../../src/protocol.ts'
import type { ConnectionStatus } from '../../src/store/chat-service.ts'
import { base, tokens } from '../../styles/index.ts'
import avatarStyles from '../shared/avatar.styles.ts'
import { avatar } from '../shared/avatar.ts'
import { EndChatEvent, MinimizeEvent, TranscriptRequestEvent } from '../shared/events.ts'
import { moreIcon } from '../shared/icons.ts'
import styles from './header.styles.ts'

export type { ConnectionStatus }
/** The connection's status, or `away`: nobody online, but an agent answers this chat. */
export type HeaderStatus = ConnectionStatus | 'away'

/** Texts of the header; set `strings` to translate. */
export interface HeaderStrings {
  online: string
  offline: string
  /** Nobody online, but an agent answers this chat: the visitor can go on writing. */
  away: string
  connecting: string
  reconnecting: string
  close: string
  /** Accessible name of the "more" button and its menu. */
  menu: string
  endChat: string
  transcript: string
}

export const defaultHeaderStrings: HeaderStrings = {
  online: 'Online',
  offline: 'Offline — leave a message',
  away: 'Away — replies may take a while',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  close: 'Minimize chat',
  menu: 'More options',
  endChat: 'End chat',
  transcript: 'Email transcript',
}

/**
 * @summary The top bar of the chat panel: who you talk to, whether they are there, and a button
 * to minimize.
 *
 * The title is the assigned agent's name (with their avatar) when there is one, else the
 * account's name.
 *
 * A "more" button opens a menu of chat actions (End chat, Email transcript), each shown only
 * when the owner allows it; with none allowed the button is gone. The menu follows the ARIA
 * menu button pattern: Enter, Space or the arrow keys open it, the arrow keys, Home and End
 * move, Escape (or Tab, or a click elsewhere) closes it and focus returns to the button.
 *
 * @event chat-widget-minimize - The visitor clicked the close (minimize) button.
 * @event chat-widget-end-chat - The visitor chose "End chat" in the menu.
 * @event chat-widget-transcript-request - The visitor chose "Email transcript" in the menu.
 *
 * @csspart header - The bar.
 * @csspart avatar - The agent's picture or initials (only when an agent is assigned).
 * @csspart title - The account or agent name.
 * @csspart status-badge - The status line with its coloured dot; `aria-live="polite"`.
 * @csspart close-button - The minimize button.
 * @csspart menu-button - The "more" button that opens the menu.
 * @csspart menu - The menu (`role="menu"`).
 * @csspart menu-item - Each of its items (`role="menuitem"`).
 *
 * @cssproperty --chat-widget-accent - Bar background.
 * @cssproperty --chat-widget-accent-contrast - Bar text and icons.
 * @cssproperty --chat-widget-success - Dot when online.
 * @cssproperty --chat-widget-warning - Dot while connecting.
 * @cssproperty --chat-widget-surface - Menu background.
 * @cssproperty --chat-widget-shadow - Menu shadow.
 */
export class ChatWidgetHeader extends LitElement {
  static override styles = [tokens, base, avatarStyles, styles]

  /** The account (company) name, shown when no agent is assigned. */
  @property({ attribute: 'account-name' }) accountName = ''

  /** The agent assigned to the chat, if any. */
  @property({ attribute: false }) agent: Agent | null = null

  @property({ reflect: true }) status: HeaderStatus = 'connecting'

  /** Whether the menu offers "End chat" (e.g. false when there is no open chat). */
  @property({ attribute: false }) canEnd = true

  /** Whether the menu offers "Email transcript" (e.g. false before the first message). */
  @property({ attribute: false }) canTranscript = true

  /** Whether the header has the minimize button (not in an inline chat, which stays open). */
  @property({ attribute: false }) canClose = true

  @property({ attribute: false }) strings: Partial<HeaderStrings> = {}

  @state() private menuOpen = false

  // Rendered elements, looked up when used (as `@query` did; none before the first render).
  get #menuButton() {
    return this.renderRoot?.querySelector<HTMLButtonElement>('[part~="menu-button"]')
  }

  get #menuItems(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('[role="menuitem"]')]
  }

  /** Where focus goes once the menu is open: the first item or the last. */
  #focusOnOpen: 'first' | 'last' = 'first'

  override disconnectedCallback() {
    super.disconnectedCallback()
    document.removeEventListener('pointerdown', this.#onOutsidePointer, true)
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    // Nothing left to offer: a menu open on nothing closes.
    if ((changed.has('canEnd') || changed.has('canTranscript')) && !this.#hasMenu) {
      this.menuOpen = false
    }
  }

  // Untyped: `menuOpen` is private, which `PropertyValues<this>` cannot see.
  protected override updated(changed: PropertyValues) {
    if (!changed.has('menuOpen')) return
    if (this.menuOpen) {
      document.addEventListener('pointerdown', this.#onOutsidePointer, true)
      const items = this.#menuItems
      ;(this.#focusOnOpen === 'last' ? items.at(-1) : items[0])?.focus()
    } else {
      document.removeEventListener('pointerdown', this.#onOutsidePointer, true)
    }
  }

  get #hasMenu() {
    return this.canEnd || this.canTranscript
  }

  override render() {
    const strings = { ...defaultHeaderStrings, ...this.strings }
    const agentName = this.agent ? this.agent.nickname || this.agent.fullname : ''
    const title = agentName || this.accountName
    return html`
      <header part="header">
        ${this.agent ? avatar(agentName, this.agent.avatar) : null}
        <div class="text">
          <h2 part="title" class="title">${title}</h2>
          <p part="status-badge" class="status" aria-live="polite">
            <span class="dot" aria-hidden="true"></span>
            <span>${strings[this.status] ?? strings.connecting}</span>
          </p>
        </div>
        ${this.#hasMenu ? this.#renderMenu(strings) : nothing}
${
  this.canClose
    ? html`<button
          part="close-button"
          type="button"
          class="icon-button"
          aria-label=${strings.close}
          @click=${this.#onClose}
        >
          <svg viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor"
            stroke-width="2.25" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
            <path d="M6 9l6 6 6-6" />
          </svg>
        </button>`
    : nothing
}
      </header>
    `
  }

  #renderMenu(strings: HeaderStrings) {
    const item = (label: string, action: () => Event) =>
      html`<button
        part="menu-item"
        role="menuitem"
        type="button"
        tabindex="-1"
        @click=${() => this.#choose(action)}
      >
        ${label}
      </button>`
    return html`<div class="menu-wrap">
      <button
        part="menu-button"
        type="button"
        class="icon-button"
        id="menu-button"
        aria-label=${strings.menu}
        aria-haspopup="menu"
        aria-expanded=${this.menuOpen ? 'true' : 'false'}
        aria-controls="menu"
        @click=${() => this.#toggleMenu('first')}
        @keydown=${this.#onButtonKeyDown}
      >
        ${moreIcon(22)}
      </button>
      <div
        part="menu"
        id="menu"
        class="menu"
        role="menu"
        aria-labelledby="menu-button"
        ?hidden=${!this.menuOpen}
        @keydown=${this.#onMenuKeyDown}
        @focusout=${this.#onMenuFocusOut}
      >
        ${this.canEnd ? item(strings.endChat, () => new EndChatEvent()) : nothing}
        ${this.canTranscript ? item(strings.transcript, () => new TranscriptRequestEvent()) : nothing}
      </div>
    </div>`
  }

  #toggleMenu(focus: 'first' | 'last') {
    this.#focusOnOpen = focus
    this.menuOpen = !this.menuOpen
  }

  /** Closes the menu; focus goes back to its button unless it went elsewhere on purpose. */
  #closeMenu(returnFocus = true) {
    if (!this.menuOpen) return
    this.menuOpen = false
    if (returnFocus) this.#menuButton?.focus()
  }

  #choose(action: () => Event) {
    this.#closeMenu()
    this.dispatchEvent(action())
  }

  #onButtonKeyDown(event: KeyboardEvent) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return
    event.preventDefault()
    this.#focusOnOpen = event.key === 'ArrowUp' ? 'last' : 'first'
    if (this.menuOpen) {
      const items = this.#menuItems
      ;(this.#focusOnOpen === 'last' ? items.at(-1) : items[0])?.focus()
    } else {
      this.menuOpen = true
    }
  }

  #onMenuKeyDown(event: KeyboardEvent) {
    const items = this.#menuItems
    const index = items.indexOf(this.renderRoot.querySelector(':focus') as HTMLElement)
    const move = (to: number) => {
      event.preventDefault()
      items[(to + items.length) % items.length]?.focus()
    }
    switch (event.key) {
      case 'ArrowDown':
        return move(index + 1)
      case 'ArrowUp':
        return move(index - 1)
      case 'Home':
        return move(0)
      case 'End':
        return move(items.length - 1)
      case 'Escape':
        event.preventDefault()
        // The menu is what Escape closes here, not the chat panel around it.
        event.stopPropagation()
        return this.#closeMenu()
      case 'Tab':
        return this.#closeMenu(false)
    }
  }

  #onMenuFocusOut(event: FocusEvent) {
    const next = event.relatedTarget as Node | null
    const wrap = this.renderRoot.querySelector('.menu-wrap')
    if (next && wrap?.contains(next)) return
    if (next) this.#closeMenu(false)
  }

  readonly #onOutsidePointer = (event: PointerEvent) => {
    const wrap = this.renderRoot.querySelector('.menu-wrap')
    if (wrap && !event.composedPath().includes(wrap)) this.#closeMenu(false)
  }

  #onClose() {
    this.dispatchEvent(new MinimizeEvent())
  }
}
