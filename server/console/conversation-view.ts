import { css, html, LitElement, nothing, type PropertyValues, svg } from 'lit'
import { customElement, property, query, state } from 'lit/decorators.js'
import { repeat } from 'lit/directives/repeat.js'
import type { Agent, AgentChat, Attachment, Message } from '../../src/protocol.ts'
import type { AgentConnection } from './agent-connection.ts'
import './console-composer.ts'
import {
  ChatReadEvent,
  ChatSelectEvent,
  type ComposerSendEvent,
  type ComposerTypingEvent,
} from './events.ts'
import {
  agentName,
  eventText,
  fileSize,
  longTime,
  ratingText,
  safeUrl,
  shortTime,
  visitorName,
} from './format.ts'
import { groupMessages, type MessageGroup, mergeNewest } from './message-groups.ts'
import { baseStyles } from './styles.ts'

/** Messages per `chat.history` page. */
const PAGE_SIZE = 50
/** Hide the visitor's typing mark if no news came for this long. */
const TYPING_TIMEOUT = 10_000
/** Within this many pixels of the bottom counts as "at the bottom" (keep following). */
const STICKY_BOTTOM = 80

/**
 * One chat: its history (with "load older"), the visitor's typing and read marks, the
 * join/leave/close actions and the composer. Marks the chat read while it is on screen.
 *
 * @event console-chat-read - The chat was marked read (`ChatReadEvent`).
 * @event console-chat-select - The back button (narrow screens): `chatId` null.
 */
@customElement('conversation-view')
export class ConversationView extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 0;
        min-width: 0;
        background: var(--console-bg);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
        padding: 0.6rem 0.9rem;
        background: var(--console-surface);
        border-bottom: 1px solid var(--console-border);
      }
      .who {
        flex: 1;
        min-width: 8rem;
      }
      h2 {
        font-size: 1rem;
        margin: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .meta {
        font-size: 0.8rem;
        color: var(--console-muted);
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .actions {
        display: flex;
        gap: 0.4rem;
      }
      .back {
        display: none;
      }
      :host([narrow]) .back {
        display: inline-block;
      }
      .danger {
        color: var(--console-danger);
      }
      .log {
        flex: 1;
        overflow-y: auto;
        padding: 1rem 0.9rem 0.5rem;
        display: flex;
        flex-direction: column;
        gap: 0.75rem;
      }
      .older {
        align-self: center;
      }
      .group {
        display: flex;
        flex-direction: column;
        gap: 0.2rem;
        max-width: min(34rem, 85%);
      }
      .group.visitor {
        align-self: flex-start;
        align-items: flex-start;
      }
      .group.agent {
        align-self: flex-end;
        align-items: flex-end;
      }
      .author {
        font-size: 0.75rem;
        color: var(--console-muted);
        padding: 0 0.3rem;
      }
      .bubble {
        padding: 0.45rem 0.75rem;
        border-radius: var(--console-bubble-radius);
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        background: var(--console-visitor-bubble);
        border: 1px solid var(--console-border);
      }
      .agent .bubble {
        background: var(--console-agent-bubble);
        border-color: var(--console-agent-bubble);
        color: var(--console-on-agent-bubble);
      }
      .agent .bubble a {
        color: inherit;
      }
      .bubble img {
        display: block;
        max-width: 100%;
        height: auto;
        max-height: 14rem;
        object-fit: contain;
        border-radius: 6px;
        margin: 0.2rem 0;
      }
      .file {
        display: inline-flex;
        align-items: center;
        gap: 0.35rem;
      }
      .file .size {
        opacity: 0.7;
        font-size: 0.8em;
      }
      .icon {
        flex: none;
      }
      .event {
        align-self: center;
        font-size: 0.8rem;
        color: var(--console-muted);
        text-align: center;
      }
      .seen,
      .typing {
        font-size: 0.75rem;
        color: var(--console-muted);
        padding: 0 0.3rem;
      }
      .typing {
        padding: 0.2rem 1.2rem 0.4rem;
        min-height: 1.4rem;
      }
      .notice {
        margin: 0 0.9rem 0.5rem;
        padding: 0.4rem 0.7rem;
        border-radius: var(--console-radius);
        background: var(--console-warning-bg);
        color: var(--console-warning-text);
        font-size: 0.85rem;
      }
      .empty {
        margin: auto;
        color: var(--console-muted);
      }
    `,
  ]

  @property({ attribute: false }) connection!: AgentConnection
  @property({ attribute: false }) chat!: AgentChat
  /** The signed-in agent. */
  @property({ attribute: false }) agent!: Agent
  @property({ attribute: false }) agents: Agent[] = []
  /** Set by the app on small screens: shows a back button. */
  @property({ type: Boolean, reflect: true }) narrow = false

  @state() private messages: Message[] = []
  @state() private hasMore = false
  @state() private loading = false
  @state() private visitorTyping: string | null = null
  @state() private visitorLastReadAt: string | null = null
  @state() private notice: string | null = null

  @query('.log') private log!: HTMLElement

  private subs: Array<() => void> = []
  private typingTimer: ReturnType<typeof setTimeout> | undefined
  /** Scroll to the bottom after the next render (new chat, own message, following along). */
  private scrollToEnd = false
  /** Keep the view where it was after prepending older messages. */
  private keepScrollFrom: number | null = null
  /** Visitor messages were added while the tab was hidden. */
  private readPending = false
  /** The newest visitor message already marked read. */
  private readUpTo: string | null = null

  override connectedCallback(): void {
    super.connectedCallback()
    document.addEventListener('visibilitychange', this.onVisibility)
    if (this.connection) this.subscribe()
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    document.removeEventListener('visibilitychange', this.onVisibility)
    this.unsubscribe()
    clearTimeout(this.typingTimer)
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('connection') && this.isConnected) this.subscribe()
    const previous = changed.get('chat') as AgentChat | undefined
    if (changed.has('chat') && previous?.id !== this.chat.id) {
      this.messages = []
      this.hasMore = false
      this.visitorTyping = null
      this.notice = null
      this.readUpTo = null
      this.visitorLastReadAt = this.chat.visitorLastReadAt
      void this.loadNewest()
    } else if (changed.has('chat')) {
      this.visitorLastReadAt = later(this.visitorLastReadAt, this.chat.visitorLastReadAt)
    }
  }

  protected override updated(): void {
    const log = this.log
    if (!log) return
    if (this.keepScrollFrom !== null) {
      log.scrollTop = log.scrollHeight - this.keepScrollFrom
      this.keepScrollFrom = null
    } else if (this.scrollToEnd) {
      log.scrollTop = log.scrollHeight
      this.scrollToEnd = false
    }
  }

  override render() {
    const chat = this.chat
    const joined = chat.assignedIds.includes(this.agent.id)
    const closed = chat.status === 'closed'
    const details = [chat.visitor.email, statusLabel(chat.status)].filter(Boolean).join(' · ')
    return html`
      <header>
        <button
          class="back"
          aria-label="Back to chats"
          @click=${() => this.dispatchEvent(new ChatSelectEvent(null))}
        >
          ←
        </button>
        <div class="who">
          <h2>${visitorName(chat.visitor)}</h2>
          <div class="meta">${details}</div>
        </div>
        <div class="actions">
          ${
            closed
              ? nothing
              : joined
                ? html`<button @click=${() => this.act('chat.leave')}>Leave</button>`
                : html`<button class="primary" @click=${() => this.act('chat.join')}>Join</button>`
          }
          ${
            closed
              ? nothing
              : html`<button class="danger" @click=${() => this.act('chat.close')}>Close chat</button>`
          }
        </div>
      </header>
      <div
        class="log"
        role="log"
        aria-label="Messages"
        aria-live="polite"
        @load=${this.onImageLoad}
      >
        ${
          this.hasMore
            ? html`<button class="older" ?disabled=${this.loading} @click=${this.loadOlder}>
              ${this.loading ? 'Loading…' : 'Load older messages'}
            </button>`
            : nothing
        }
        ${
          this.messages.length === 0 && !this.loading
            ? html`<p class="empty">No messages yet.</p>`
            : nothing
        }
        ${this.renderGroups()}
      </div>
      <div class="typing" aria-live="polite">
        ${this.visitorTyping !== null ? `${visitorName(chat.visitor)} is typing…` : ''}
      </div>
      ${this.notice ? html`<p class="notice" role="alert">${this.notice}</p>` : nothing}
      <console-composer
        ?disabled=${closed}
        placeholder=${closed ? 'This chat is closed' : 'Write a reply…'}
        @console-send=${this.onSend}
        @console-typing=${this.onTyping}
      ></console-composer>
    `
  }

  private renderGroups() {
    const groups = groupMessages(this.messages)
    const seenId = this.lastSeenAgentMessageId()
    return repeat(
      groups,
      (group) => group.messages[0]?.id,
      (group) => this.renderGroup(group, seenId),
    )
  }

  private renderGroup(group: MessageGroup, seenId: string | null) {
    const first = group.messages[0]
    if (!first) return nothing
    if (group.side === 'event') {
      const text =
        first.content.type === 'rate_form' ? ratingText(first) : eventText(first, this.agents)
      return html`<p class="event">
        ${text} · <time datetime=${first.createdAt} title=${longTime(first.createdAt)}
          >${shortTime(first.createdAt)}</time
        >
      </p>`
    }
    const author =
      group.side === 'visitor'
        ? visitorName(this.chat.visitor)
        : (group.trigger ?? agentName(this.agents.find((a) => a.id === group.agentId)))
    return html`
      <div class="group ${group.side}">
        <span class="author"
          >${author} ·
          <time datetime=${first.createdAt} title=${longTime(first.createdAt)}
            >${shortTime(first.createdAt)}</time
          ></span
        >
        ${group.messages.map(
          (message) => html`
            <!-- no whitespace inside: the bubble keeps the text's own line breaks -->
            <div class="bubble" title=${longTime(message.createdAt)}>${renderContent(message)}</div>
            ${message.id === seenId ? html`<span class="seen">Seen</span>` : nothing}
          `,
        )}
      </div>
    `
  }

  /** The newest agent message the visitor has read, for the "Seen" mark. */
  private lastSeenAgentMessageId(): string | null {
    const readAt = this.visitorLastReadAt
    if (!readAt) return null
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const message = this.messages[i]
      if (message && message.subType === 'agent' && message.type === 'message') {
        return message.createdAt <= readAt ? message.id : null
      }
    }
    return null
  }

  private subscribe(): void {
    this.unsubscribe()
    const connection = this.connection
    const mine = (chatId: string) => chatId === this.chat?.id
    this.subs = [
      connection.on('chat.message_received', ({ chatId, message }) => {
        if (!mine(chatId)) return
        if (message.subType === 'contact') this.setVisitorTyping(null)
        this.add(message)
      }),
      connection.on('chat.closed', ({ chatId, message }) => mine(chatId) && this.add(message)),
      connection.on('chat.rated', ({ chatId, message }) => mine(chatId) && this.add(message)),
      connection.on('chat.visitor_typing', ({ chatId, typing }) => {
        if (mine(chatId)) this.setVisitorTyping(typing.is ? (typing.text ?? '') : null)
      }),
      connection.on('chat.contact_read', ({ chatId, lastReadAt }) => {
        if (mine(chatId)) this.visitorLastReadAt = later(this.visitorLastReadAt, lastReadAt)
      }),
      // After a reconnect: catch up on what was said meanwhile.
      connection.onReady(() => void this.loadNewest()),
    ]
  }

  private unsubscribe(): void {
    for (const unsubscribe of this.subs) unsubscribe()
    this.subs = []
  }

  /** Adds one message unless it is already shown (its own send comes back as an event too). */
  private add(message: Message | undefined): void {
    if (!message || this.messages.some((m) => m.id === message.id)) return
    this.scrollToEnd = message.subType === 'agent' || this.atBottom()
    this.messages = [...this.messages, message]
    if (message.subType === 'contact') this.markRead()
  }

  private async loadNewest(): Promise<void> {
    const chatId = this.chat.id
    this.loading = true
    try {
      const page = await this.connection.request('chat.history', { chatId, limit: PAGE_SIZE })
      if (chatId !== this.chat.id) return
      const first = this.messages.length === 0
      const merged = mergeNewest(this.messages, page.messages)
      if (first || merged[0]?.id !== this.messages[0]?.id) this.hasMore = page.hasMore
      this.scrollToEnd = first || this.atBottom()
      this.messages = merged
      this.markRead()
    } catch (error) {
      if (chatId === this.chat.id) this.notice = `Could not load messages: ${messageOf(error)}`
    } finally {
      if (chatId === this.chat.id) this.loading = false
    }
  }

  private async loadOlder(): Promise<void> {
    const chatId = this.chat.id
    const before = this.messages[0]?.id
    if (!before || this.loading) return
    this.loading = true
    try {
      const page = await this.connection.request('chat.history', {
        chatId,
        before,
        limit: PAGE_SIZE,
      })
      if (chatId !== this.chat.id) return
      const shown = new Set(this.messages.map((m) => m.id))
      this.keepScrollFrom = this.log.scrollHeight - this.log.scrollTop
      this.messages = [...page.messages.filter((m) => !shown.has(m.id)), ...this.messages]
      this.hasMore = page.hasMore
    } catch (error) {
      this.notice = `Could not load older messages: ${messageOf(error)}`
    } finally {
      if (chatId === this.chat.id) this.loading = false
    }
  }

  /** Marks the chat read up to the newest visitor message, if the agent can see it. */
  private markRead(): void {
    const last = lastVisitorMessage(this.messages)
    if (!last || last.id === this.readUpTo) return
    if (document.visibilityState !== 'visible') {
      this.readPending = true
      return
    }
    this.readPending = false
    this.readUpTo = last.id
    const { id: chatId, unreadCount, agentLastReadAt } = this.chat
    if (unreadCount === 0 && agentLastReadAt && last.createdAt <= agentLastReadAt) return
    this.connection.request('chat.read', { chatId }).then(
      () => this.dispatchEvent(new ChatReadEvent(chatId)),
      () => {
        this.readUpTo = null
      },
    )
  }

  private readonly onVisibility = (): void => {
    if (document.visibilityState === 'visible' && this.readPending) this.markRead()
  }

  private async onSend(event: ComposerSendEvent): Promise<void> {
    const chatId = this.chat.id
    this.notice = null
    try {
      const message = await this.connection.request('chat.message', {
        chatId,
        content: { type: 'text', text: event.text },
        clientId: crypto.randomUUID(),
      })
      if (chatId === this.chat.id) this.add(message)
    } catch (error) {
      this.notice = `Not sent: ${messageOf(error)}`
    }
  }

  private onTyping(event: ComposerTypingEvent): void {
    this.connection
      .request('chat.typing', {
        chatId: this.chat.id,
        typing: { is: event.isTyping, text: null },
      })
      .catch(() => {})
  }

  private async act(action: 'chat.join' | 'chat.leave' | 'chat.close'): Promise<void> {
    this.notice = null
    try {
      await this.connection.request(action, { chatId: this.chat.id })
    } catch (error) {
      this.notice = `Could not ${action.slice(5)} the chat: ${messageOf(error)}`
    }
  }

  private setVisitorTyping(text: string | null): void {
    clearTimeout(this.typingTimer)
    this.visitorTyping = text
    if (text !== null)
      this.typingTimer = setTimeout(() => this.setVisitorTyping(null), TYPING_TIMEOUT)
  }

  /** An image grew the log: keep following the end if the agent was there. */
  private readonly onImageLoad = {
    capture: true, // \`load\` does not bubble
    handleEvent: (event: Event) => {
      const log = this.log
      if (!(event.target instanceof HTMLImageElement) || !log) return
      if (log.scrollHeight - log.scrollTop - log.clientHeight < STICKY_BOTTOM + event.target.height)
        log.scrollTop = log.scrollHeight
    },
  }

  private atBottom(): boolean {
    const log = this.log
    return !log || log.scrollHeight - log.scrollTop - log.clientHeight < STICKY_BOTTOM
  }
}

function renderContent(message: Message) {
  const text = message.content.type === 'text' ? message.content.text : null
  return html`${text ?? nothing}${message.attachments.map(renderAttachment)}`
}

function renderAttachment(attachment: Attachment) {
  const url = safeUrl(attachment.url)
  const thumb = attachment.thumb400
  const thumbUrl = safeUrl(thumb?.url)
  if (attachment.type === 'image' && url) {
    // Known dimensions keep the layout still while the image loads.
    const width = (thumbUrl && thumb?.width) || attachment.width
    const height = (thumbUrl && thumb?.height) || attachment.height
    return html`<a class="image" href=${url} target="_blank" rel="noopener noreferrer"
      ><img
        src=${thumbUrl ?? url}
        alt=${attachment.fileName}
        width=${width ?? nothing}
        height=${height ?? nothing}
    /></a>`
  }
  const label = html`${paperclip}<span>${attachment.fileName}</span
    ><span class="size">${fileSize(attachment.size)}</span>`
  return url
    ? html`<a class="file" href=${url} target="_blank" rel="noopener noreferrer" download=${attachment.fileName}
        >${label}</a
      >`
    : html`<span class="file">${label}</span>`
}

const paperclip = svg`<svg class="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"
  fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"
  ><path d="M21 12.5l-8.5 8.5a5 5 0 0 1-7-7L14 5.5a3.5 3.5 0 0 1 5 5L10.5 19a2 2 0 0 1-3-3L15 8.5"
/></svg>`

function lastVisitorMessage(messages: readonly Message[]): Message | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.subType === 'contact') return messages[i]
  }
  return undefined
}

function statusLabel(status: AgentChat['status']): string {
  return status === 'pending' ? 'Waiting for an agent' : status === 'open' ? 'Open' : 'Closed'
}

/** The later of two ISO times (either may be missing). */
function later(a: string | null, b: string | null): string | null {
  if (!a) return b
  if (!b) return a
  return a > b ? a : b
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

declare global {
  interface HTMLElementTagNameMap {
    'conversation-view': ConversationView
  }
}
