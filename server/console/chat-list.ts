import { css, html, LitElement } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import { repeat } from 'lit/directives/repeat.js'
import type { Agent, AgentChat } from '../../src/protocol.ts'
import { ChatSelectEvent } from './events.ts'
import { longTime, messagePreview, RATING_MAX, shortTime, visitorName } from './format.ts'
import { baseStyles } from './styles.ts'

/**
 * The agent's chats, most recently active first: visitor, last message, time, unread count,
 * the rating and an "Offline message" flag.
 *
 * @event console-chat-select - The agent picked a chat (`ChatSelectEvent`).
 */
@customElement('chat-list')
export class ChatList extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        overflow-y: auto;
        background: var(--console-surface);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      button {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 0.15rem 0.5rem;
        width: 100%;
        text-align: left;
        border: 0;
        border-bottom: 1px solid var(--console-border);
        border-radius: 0;
        padding: 0.7rem 0.9rem;
        background: transparent;
      }
      button[aria-current='true'] {
        background: var(--console-selected);
      }
      .name {
        font-weight: 600;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .time {
        color: var(--console-muted);
        font-size: 0.8rem;
        justify-self: end;
      }
      .preview {
        color: var(--console-muted);
        font-size: 0.88rem;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .unread .name,
      .unread .preview {
        color: var(--console-text);
        font-weight: 600;
      }
      .badge {
        justify-self: end;
        min-width: 1.4rem;
        padding: 0 0.4rem;
        border-radius: 999px;
        background: var(--console-accent);
        color: var(--console-on-accent);
        font-size: 0.75rem;
        font-weight: 600;
        line-height: 1.4rem;
        text-align: center;
      }
      /* A closed chat fades, but not its rating or flags. */
      .closed .name,
      .closed .time,
      .closed .preview {
        opacity: 0.6;
      }
      .tag {
        font-size: 0.7rem;
        font-weight: 500;
        text-transform: uppercase;
        letter-spacing: 0.03em;
        color: var(--console-muted);
        margin-left: 0.35rem;
      }
      .flags {
        grid-column: 1 / -1;
        display: flex;
        flex-wrap: wrap;
        gap: 0.35rem;
        margin-top: 0.2rem;
      }
      .flags:empty {
        display: none;
      }
      .offline {
        font-size: 0.75rem;
        font-weight: 600;
        padding: 0.05rem 0.45rem;
        border-radius: 999px;
        background: var(--console-warning-bg);
        color: var(--console-warning-text);
      }
      .rating {
        font-size: 0.8rem;
        font-weight: 600;
        color: var(--console-rating);
      }
      .empty {
        padding: 2rem 1rem;
        color: var(--console-muted);
        text-align: center;
      }
    `,
  ]

  @property({ attribute: false }) chats: AgentChat[] = []
  @property({ attribute: false }) agents: Agent[] = []
  @property({ attribute: false }) selectedId: string | null = null

  override render() {
    if (this.chats.length === 0) {
      return html`<p class="empty">No chats yet. New chats appear here as visitors write.</p>`
    }
    return html`
      <ul aria-label="Chats">
        ${repeat(
          this.chats,
          (chat) => chat.id,
          (chat) => this.renderChat(chat),
        )}
      </ul>
    `
  }

  private renderChat(chat: AgentChat) {
    const unread = chat.unreadCount > 0
    const time = chat.lastMessage?.createdAt ?? chat.updatedAt
    const classes = [unread ? 'unread' : '', chat.status === 'closed' ? 'closed' : ''].join(' ')
    const label = [
      visitorName(chat.visitor),
      unread ? `${chat.unreadCount} unread` : '',
      chat.hasOfflineMessage ? 'offline message' : '',
      chat.rating ? `rated ${chat.rating.value} of ${RATING_MAX}` : '',
      chat.status === 'closed' ? 'closed' : '',
    ]
      .filter(Boolean)
      .join(', ')
    return html`
      <li>
        <button
          class=${classes}
          aria-current=${this.selectedId === chat.id ? 'true' : 'false'}
          aria-label=${label}
          @click=${() => this.dispatchEvent(new ChatSelectEvent(chat.id))}
        >
          <span class="name"
            >${visitorName(chat.visitor)}${
              chat.status === 'pending'
                ? html`<span class="tag">new</span>`
                : chat.status === 'closed'
                  ? html`<span class="tag">closed</span>`
                  : ''
            }</span
          >
          <time class="time" datetime=${time} title=${longTime(time)}>${shortTime(time)}</time>
          <span class="preview" dir="auto">${messagePreview(chat.lastMessage, this.agents)}</span>
          ${unread ? html`<span class="badge" aria-hidden="true">${chat.unreadCount}</span>` : ''}
          <span class="flags" aria-hidden="true"
            >${chat.hasOfflineMessage ? html`<span class="offline">Offline message</span>` : ''}${
              chat.rating ? html`<span class="rating">★ ${chat.rating.value}</span>` : ''
            }</span
          >
        </button>
      </li>
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-list': ChatList
  }
}
