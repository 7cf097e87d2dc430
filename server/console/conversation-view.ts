import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import { customElement, property, query, state } from 'lit/decorators.js'
import { repeat } from 'lit/directives/repeat.js'
import type { Agent, AgentChat, Message, Rating, VisitorPage } from '../../src/protocol.ts'
import type { AgentConnection } from './agent-connection.ts'
import { attachmentStyles, renderAttachment } from './attachments.ts'
import './console-composer.ts'
import {
  ChatReadEvent,
  ChatSelectEvent,
  type ComposerFilesEvent,
  type ComposerSendEvent,
  type ComposerTypingEvent,
} from './events.ts'
import {
  agentName,
  eventText,
  fileSize,
  longTime,
  mailtoUrl,
  pageLink,
  RATING_MAX,
  ratingOf,
  ratingText,
  shortTime,
  stars,
  visitorName,
} from './format.ts'
import { fileIcon } from './icons.ts'
import { groupMessages, type MessageGroup, mergeNewest } from './message-groups.ts'
import { baseStyles } from './styles.ts'
import { isAbort, sendFile } from './upload.ts'

/** Messages per `chat.history` page. */
const PAGE_SIZE = 50
/** Hide the visitor's typing mark if no news came for this long. */
const TYPING_TIMEOUT = 10_000
/** Within this many pixels of the bottom counts as "at the bottom" (keep following). */
const STICKY_BOTTOM = 80

/** A file the agent is sending: a row with progress and cancel, or the server's refusal. */
interface PendingUpload {
  id: string
  chatId: string
  file: File
  /** 0–1 of the bytes sent. */
  progress: number
  /** Why it was not sent; the row stays until dismissed. */
  error: string | null
  controller: AbortController
}

/**
 * One chat: its history (with "load older"), the visitor's typing and read marks, the
 * join/leave/close actions and the composer. Marks the chat read while it is on screen.
 * The agent sends files with the composer's paperclip, by pasting an image or by dropping
 * files on the conversation; each shows as a row with progress and cancel until it is sent.
 * Images open full size in an overlay; ratings and offline messages stand out.
 *
 * @event console-chat-read - The chat was marked read (`ChatReadEvent`).
 * @event console-chat-select - The back button (narrow screens): `chatId` null.
 */
@customElement('conversation-view')
export class ConversationView extends LitElement {
  static override styles = [
    baseStyles,
    attachmentStyles,
    css`
      :host {
        position: relative;
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
      .page {
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
      .assign {
        padding: 0.3rem 0.5rem;
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
      /* Attachments without text stand on their own, not inside a coloured bubble. */
      .bubble.media,
      .agent .bubble.media {
        padding: 0;
        background: none;
        border: 0;
        color: var(--console-text);
        display: flex;
        flex-direction: column;
        gap: 0.3rem;
      }
      .visitor .bubble.media {
        align-items: flex-start;
      }
      .agent .bubble.media {
        align-items: flex-end;
      }
      .bubble:not(.media) .image,
      .bubble:not(.media) .file-card {
        margin-top: 0.4rem;
      }
      .meta a {
        color: inherit;
      }
      .rating-chip {
        color: var(--console-rating);
        font-weight: 600;
      }
      .offline-label {
        font-size: 0.75rem;
        font-weight: 600;
        padding: 0.05rem 0.45rem;
        border-radius: 999px;
        background: var(--console-warning-bg);
        color: var(--console-warning-text);
      }
      .offline-note {
        margin: 0;
        padding: 0.5rem 0.9rem;
        background: var(--console-warning-bg);
        color: var(--console-warning-text);
        font-size: 0.88rem;
        border-bottom: 1px solid var(--console-border);
      }
      .offline-note a {
        color: inherit;
        font-weight: 600;
      }
      .rating-card {
        align-self: center;
        text-align: center;
        padding: 0.5rem 1rem;
        border-radius: var(--console-radius);
        border: 1px solid var(--console-border);
        background: var(--console-surface);
        max-width: min(30rem, 90%);
      }
      .rating-card .title {
        font-size: 0.8rem;
        color: var(--console-muted);
      }
      .rating-card .stars {
        font-size: 1.3rem;
        letter-spacing: 0.1em;
        color: var(--console-rating);
      }
      .rating-card .comment {
        margin: 0.2rem 0 0;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .upload {
        display: flex;
        align-items: center;
        gap: 0.6rem;
        width: 20rem;
        max-width: 100%;
        padding: 0.55rem 0.7rem;
        border: 1px solid var(--console-border);
        border-radius: 10px;
        background: var(--console-surface);
      }
      .upload .icon {
        flex: none;
        color: var(--console-muted);
      }
      .upload progress {
        width: 100%;
        height: 0.4rem;
        accent-color: var(--console-accent);
      }
      .upload.failed {
        border-color: var(--console-danger);
      }
      .upload .error {
        font-size: 0.8rem;
        color: var(--console-danger);
        overflow-wrap: anywhere;
      }
      .upload button {
        flex: none;
        font-size: 0.85rem;
        padding: 0.2rem 0.55rem;
      }
      .drop {
        position: absolute;
        inset: 0;
        z-index: 2;
        display: grid;
        place-items: center;
        background: rgb(47 111 222 / 0.12);
        border: 3px dashed var(--console-accent);
        color: var(--console-accent-strong);
        font-weight: 600;
        font-size: 1.1rem;
      }
      .drop span {
        pointer-events: none;
        padding: 0.6rem 1rem;
        border-radius: var(--console-radius);
        background: var(--console-surface);
      }
      dialog.viewer {
        padding: 0;
        border: 0;
        background: transparent;
        max-width: 94vw;
        max-height: 94vh;
        overflow: visible;
      }
      dialog.viewer::backdrop {
        background: var(--console-overlay);
      }
      .viewer figure {
        margin: 0;
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: 0.5rem;
      }
      .viewer img {
        display: block;
        max-width: 94vw;
        max-height: calc(94vh - 3.5rem);
        object-fit: contain;
        background: var(--console-surface);
        border-radius: 6px;
      }
      .viewer figcaption {
        display: flex;
        align-items: center;
        gap: 0.8rem;
        color: #fff;
        font-size: 0.9rem;
      }
      .viewer figcaption a {
        color: inherit;
      }
      .viewer figcaption button {
        color: var(--console-text);
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
  @state() private uploads: PendingUpload[] = []
  /** Files are being dragged over the conversation. */
  @state() private dragging = false
  /** The image open full size, if any. */
  @state() private viewing: { url: string; name: string } | null = null

  @query('.log') private log!: HTMLElement
  @query('dialog.viewer') private viewer!: HTMLDialogElement

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

  constructor() {
    super()
    // Files dragged from the desktop may be dropped anywhere on the conversation.
    this.addEventListener('dragenter', this.onDragOver)
    this.addEventListener('dragover', this.onDragOver)
    this.addEventListener('drop', this.onDrop)
  }

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
    for (const upload of this.uploads) upload.controller.abort()
    this.uploads = []
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
    const colleagues = this.agents.filter(
      (a) => a.id !== this.agent.id && !chat.assignedIds.includes(a.id),
    )
    const email = chat.visitor.email
    const mailto = mailtoUrl(email)
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
          <div class="meta">
            ${mailto ? html`<a href=${mailto}>${email}</a> · ` : email ? `${email} · ` : nothing}${statusLabel(chat.status)}${
              chat.rating ? html` · ${ratingChip(chat.rating)}` : nothing
            }
          </div>
          ${renderPage(chat.visitor.page)}
        </div>
        <div class="actions">
          ${
            closed || colleagues.length === 0
              ? nothing
              : html`<select class="assign" aria-label="Assign to a colleague" @change=${this.onAssign}>
                  <option value="">Assign to…</option>
                  ${colleagues.map((a) => html`<option value=${a.id}>${agentName(a)}</option>`)}
                </select>`
          }
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
      ${this.renderOfflineNote()}
      <div
        class="log"
        role="log"
        aria-label="Messages"
        aria-live="polite"
        @load=${this.onImageLoad}
        @click=${this.onLogClick}
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
        ${this.renderGroups()} ${this.renderUploads()}
      </div>
      <div class="typing" aria-live="polite">
        ${this.visitorTyping !== null ? `${visitorName(chat.visitor)} is typing…` : ''}
      </div>
      ${this.notice ? html`<p class="notice" role="alert">${this.notice}</p>` : nothing}
      <console-composer
        ?disabled=${closed}
        placeholder=${closed ? 'This chat is closed' : 'Write a reply…'}
        .maxLength=${this.connection.data?.maxTextLength ?? 0}
        @console-send=${this.onSend}
        @console-typing=${this.onTyping}
        @console-files=${this.onFiles}
      ></console-composer>
      ${
        this.dragging
          ? html`<div class="drop" @dragleave=${this.onDragLeave}>
            <span>Drop files to send them to ${visitorName(chat.visitor)}</span>
          </div>`
          : nothing
      }
      <dialog
        class="viewer"
        aria-label=${this.viewing?.name ?? 'Image'}
        @close=${this.onViewerClose} @click=${this.onViewerClick}>
        ${
          this.viewing
            ? html`<figure>
              <img src=${this.viewing.url} alt=${this.viewing.name} />
              <figcaption>
                <span>${this.viewing.name}</span>
                <a href=${this.viewing.url} target="_blank" rel="noopener noreferrer">Open in a new tab</a>
                <button autofocus @click=${() => this.viewer.close()}>Close</button>
              </figcaption>
            </figure>`
            : nothing
        }
      </dialog>
    `
  }

  /** A chat with a message left while nobody was online: who it is and how to answer. */
  private renderOfflineNote() {
    const chat = this.chat
    if (!chat.hasOfflineMessage && !this.messages.some((m) => m.isOffline)) return nothing
    const mailto = mailtoUrl(chat.visitor.email)
    return html`<p class="offline-note">
      <strong>${visitorName(chat.visitor)}</strong> left a message while you were offline.
      ${
        mailto
          ? html`Reply by email: <a href=${mailto}>${chat.visitor.email}</a>`
          : 'They left no email address.'
      }
    </p>`
  }

  /** The files this agent is sending to this chat, with progress, cancel or the refusal. */
  private renderUploads() {
    const uploads = this.uploads.filter((upload) => upload.chatId === this.chat.id)
    if (uploads.length === 0) return nothing
    return html`<div class="group agent uploads">
      ${repeat(
        uploads,
        (upload) => upload.id,
        (upload) => {
          const name = upload.file.name || 'file'
          return html`<div class="upload ${upload.error ? 'failed' : ''}">
            ${fileIcon}
            <span class="file-text">
              <span class="file-name" title=${name}>${name}</span>
              ${
                upload.error
                  ? html`<span class="error" role="alert">Not sent: ${upload.error}</span>`
                  : html`<span class="file-meta"
                      >${upload.progress < 1 ? `Uploading… ${fileSize(upload.file.size)}` : 'Sending…'}</span
                    >
                    <progress
                      max="1"
                      .value=${upload.progress}
                      aria-label="Uploading ${name}"
                    ></progress>`
              }
            </span>
            ${
              upload.error
                ? html`<button aria-label="Dismiss ${name}" @click=${() => this.dropUpload(upload.id)}>
                  Dismiss
                </button>`
                : html`<button
                  aria-label="Cancel upload of ${name}"
                  @click=${() => upload.controller.abort()}
                >
                  Cancel
                </button>`
            }
          </div>`
        },
      )}
    </div>`
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
      const rating = first.content.type === 'rate_form' ? ratingOf(first) : null
      if (rating) return renderRating(rating, first)
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
            ${
              message.isOffline
                ? html`<span class="offline-label">Left while you were offline</span>`
                : nothing
            }
            <!-- no whitespace inside: the bubble keeps the text's own line breaks -->
            <div class="bubble ${textOf(message) === null ? 'media' : ''}" title=${longTime(message.createdAt)}>${renderContent(message)}</div>
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

  /**
   * Adds one message, or replaces the one with its id: the agent's own send comes back as an
   * event too, and a rating form comes back filled in (`chat.rated`).
   */
  private add(message: Message | undefined): void {
    if (!message) return
    if (this.messages.some((m) => m.id === message.id)) {
      this.messages = this.messages.map((m) => (m.id === message.id ? message : m))
      return
    }
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

  /** The "Assign to…" choice: assigns the chat to that colleague, then shows the prompt again. */
  private readonly onAssign = async (event: Event): Promise<void> => {
    const select = event.target as HTMLSelectElement
    const agentId = select.value
    select.value = ''
    if (!agentId) return
    this.notice = null
    try {
      await this.connection.request('chat.assign', { chatId: this.chat.id, agentId })
    } catch (error) {
      this.notice = `Could not assign the chat: ${messageOf(error)}`
    }
  }

  private readonly onFiles = (event: ComposerFilesEvent): void => this.sendFiles(event.files)

  /** Sends each file on its own, so one refusal does not stop the others. */
  private sendFiles(files: readonly File[]): void {
    if (this.chat.status === 'closed') {
      this.notice = 'This chat is closed: files cannot be sent.'
      return
    }
    this.notice = null
    for (const file of files) {
      const upload: PendingUpload = {
        id: crypto.randomUUID(),
        chatId: this.chat.id,
        file,
        progress: 0,
        error: null,
        controller: new AbortController(),
      }
      this.uploads = [...this.uploads, upload]
      this.scrollToEnd = true
      void this.runUpload(upload)
    }
  }

  private async runUpload(upload: PendingUpload): Promise<void> {
    const { id, chatId, file, controller } = upload
    try {
      const message = await sendFile(this.connection, chatId, file, {
        signal: controller.signal,
        onProgress: (progress) => this.patchUpload(id, { progress }),
      })
      this.dropUpload(id)
      if (chatId === this.chat.id) this.add(message)
    } catch (error) {
      if (isAbort(error)) this.dropUpload(id)
      else this.patchUpload(id, { error: messageOf(error) })
    }
  }

  private patchUpload(id: string, changes: Partial<PendingUpload>): void {
    this.uploads = this.uploads.map((u) => (u.id === id ? { ...u, ...changes } : u))
  }

  private dropUpload(id: string): void {
    this.uploads = this.uploads.filter((u) => u.id !== id)
  }

  private readonly onDragOver = (event: DragEvent): void => {
    if (!event.dataTransfer?.types.includes('Files')) return
    event.preventDefault() // allows the drop
    const closed = this.chat?.status === 'closed'
    event.dataTransfer.dropEffect = closed ? 'none' : 'copy'
    if (!closed) this.dragging = true
  }

  /** The overlay covers the view while dragging, so leaving it is leaving the view. */
  private readonly onDragLeave = (event: DragEvent): void => {
    if (event.target === event.currentTarget) this.dragging = false
  }

  private readonly onDrop = (event: DragEvent): void => {
    const files = [...(event.dataTransfer?.files ?? [])]
    if (files.length === 0) return
    event.preventDefault()
    this.dragging = false
    this.sendFiles(files)
  }

  /** A plain click on a thumbnail opens it full size here (a modified click: a new tab). */
  private readonly onLogClick = (event: MouseEvent): void => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey)
      return
    const link = event
      .composedPath()
      .find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement)
    if (!link?.hasAttribute('data-viewer')) return
    event.preventDefault()
    const name = link.querySelector('img')?.alt ?? ''
    this.viewing = { url: link.href, name }
    void this.updateComplete.then(() => {
      if (!this.viewer.open) this.viewer.showModal()
    })
  }

  private readonly onViewerClose = (): void => {
    this.viewing = null
  }

  /** A click on the backdrop (the dialog itself, outside the figure) closes the viewer. */
  private readonly onViewerClick = (event: MouseEvent): void => {
    if (event.target === this.viewer) this.viewer.close()
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

function textOf(message: Message): string | null {
  return message.content.type === 'text' && message.content.text ? message.content.text : null
}

function renderContent(message: Message) {
  const text = textOf(message)
  // Its own direction: an Arabic visitor's line reads right to left here too.
  return html`${text === null ? nothing : html`<span dir="auto">${text}</span>`}${message.attachments.map(renderAttachment)}`
}

function ratingChip(rating: Rating) {
  return html`<span class="rating-chip" title="Rated ${rating.value} of ${RATING_MAX}"
    >★ ${rating.value}/${RATING_MAX}</span
  >`
}

/** The visitor's rating: stars, the value in words, and the comment as text. */
function renderRating(rating: Rating, message: Message) {
  return html`<div class="rating-card" role="group" aria-label="Visitor's rating">
    <div class="title">
      Visitor rated the chat ·
      <time datetime=${message.createdAt} title=${longTime(message.createdAt)}
        >${shortTime(message.createdAt)}</time
      >
    </div>
    <div>
      <span class="stars" aria-hidden="true">${stars(rating.value)}</span>
      <span class="value">${rating.value} of ${RATING_MAX}</span>
    </div>
    ${rating.text ? html`<p class="comment">“${rating.text}”</p>` : nothing}
  </div>`
}

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

/** "Now on: <title>", a link (in a new tab) only for an http(s) page; text either way. */
function renderPage(page: VisitorPage | null | undefined) {
  if (!page) return nothing
  const href = pageLink(page.url)
  const label = page.title?.trim() || page.url
  return html`<div class="page" title=${page.url}>
    Now on:
    ${href ? html`<a href=${href} target="_blank" rel="noopener noreferrer">${label}</a>` : label}
  </div>`
}
