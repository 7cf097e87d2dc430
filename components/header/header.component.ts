import { html, LitElement } from 'lit'
import { property } from 'lit/decorators.js'
import type { Agent } from '../../src/protocol.ts'
import type { ConnectionStatus } from '../../src/store/chat-service.ts'
import { base, tokens } from '../../styles/index.ts'
import avatarStyles from '../shared/avatar.styles.ts'
import { avatar } from '../shared/avatar.ts'
import { MinimizeEvent } from '../shared/events.ts'
import styles from './header.styles.ts'

export type { ConnectionStatus }

/** Texts of the header; set `strings` to translate. */
export interface HeaderStrings {
  online: string
  offline: string
  connecting: string
  reconnecting: string
  close: string
}

export const defaultHeaderStrings: HeaderStrings = {
  online: 'Online',
  offline: 'Offline — leave a message',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  close: 'Minimize chat',
}

/**
 * @summary The top bar of the chat panel: who you talk to, whether they are there, and a button
 * to minimize.
 *
 * The title is the assigned agent's name (with their avatar) when there is one, else the
 * account's name.
 *
 * @event chat-widget-minimize - The visitor clicked the close (minimize) button.
 *
 * @csspart header - The bar.
 * @csspart avatar - The agent's picture or initials (only when an agent is assigned).
 * @csspart title - The account or agent name.
 * @csspart status-badge - The status line with its coloured dot; `aria-live="polite"`.
 * @csspart close-button - The minimize button.
 *
 * @cssproperty --chat-widget-accent - Bar background.
 * @cssproperty --chat-widget-accent-contrast - Bar text and icons.
 * @cssproperty --chat-widget-success - Dot when online.
 * @cssproperty --chat-widget-warning - Dot while connecting.
 */
export class ChatWidgetHeader extends LitElement {
  static override styles = [tokens, base, avatarStyles, styles]

  /** The account (company) name, shown when no agent is assigned. */
  @property({ attribute: 'account-name' }) accountName = ''

  /** The agent assigned to the chat, if any. */
  @property({ attribute: false }) agent: Agent | null = null

  @property({ reflect: true }) status: ConnectionStatus = 'connecting'

  @property({ attribute: false }) strings: Partial<HeaderStrings> = {}

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
        <button
          part="close-button"
          type="button"
          class="close"
          aria-label=${strings.close}
          @click=${this.onClose}
        >
          <svg viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor"
            stroke-width="2.25" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
            <path d="M6 9l6 6 6-6" />
          </svg>
        </button>
      </header>
    `
  }

  private onClose() {
    this.dispatchEvent(new MinimizeEvent())
  }
}
