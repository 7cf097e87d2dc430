import { createClientId } from '../client/client-id.ts'
import type { ConnectionState as ClientState } from '../client/events.ts'
import type { SocketError } from '../client/socket-error.ts'
import { createVisitorClient, type VisitorClient } from '../client/visitor-client.ts'
import type {
  AccountStatus,
  Agent,
  ChatStatus,
  ConnectedData,
  ConnectOptions,
  Message,
  Rating,
  UploadLimits,
} from '../protocol.ts'
import { failureReason, isUploadRetryable } from './failure.ts'
import { type LocalAuthor, localUpload, pendingMessage } from './local-messages.ts'
import { Outbox } from './outbox.ts'
import {
  type ChatPersistence,
  emptyChat,
  memoryPersistence,
  type OutboxEntry,
  openPersistence,
  type SavedChat,
  warnMemory,
} from './persistence.ts'
import { type ChatItem, Timeline } from './timeline.ts'
import { checkUpload, type UploadProblem } from './upload-check.ts'

/** The connection as the visitor should see it. */
export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline'

/** Everything the widget renders, as one immutable snapshot. */
export interface ChatState {
  connection: ConnectionStatus
  accountStatus: AccountStatus
  agents: Agent[]
  /** The agent answering this chat, if one joined. */
  agent: Agent | null
  chatId: string | null
  chatStatus: ChatStatus | null
  items: readonly ChatItem[]
  /** Agent messages the visitor has not read yet (agreed across tabs via `chat.contact_read`). */
  unread: number
  agentTyping: boolean
  /** Whether older messages can be loaded with `loadOlder()`. */
  hasMore: boolean
  /** A handshake refusal (unknown key…): the widget shows it instead of a chat. */
  error: SocketError | null
  persistence: 'indexeddb' | 'memory'
  /** What the server accepts for uploads (ConnectedData `uploads`), once known. */
  uploadLimits: UploadLimits | null
  /** The longest text the server takes (ConnectedData `maxTextLength`), once known. */
  maxTextLength: number | null
  /** The visitor's rating of the current chat, once given. */
  rating: Rating | null
}

export interface ChatServiceOptions {
  /** Base URL of the chat server, e.g. `https://chat.example.com`. */
  server: string
  /** Account key. */
  key: string
  /** Socket.IO path. @default '/socket' */
  path?: string
  /** Identity to prefill (sent with `visitor.connect`). */
  identity?: Pick<ConnectOptions, 'name' | 'email' | 'group' | 'lang'>
  /** Where to keep the chat. @default IndexedDB, falling back to memory */
  persistence?: ChatPersistence
  /** Extra socket.io-client options (tests shorten the reconnect delays). */
  socketOptions?: Record<string, unknown>
  /** Messages per `chat.history` page. @default 50 */
  pageSize?: number
  /** How long an agent's "typing" lasts without a refresh. @default 15000 */
  typingTimeout?: number
  /** How long a request waits for its ack (see `VisitorClientOptions`). @default 15000 */
  requestTimeout?: number
  /** Attempts per send when its ack times out, and the first delay between them. */
  sendRetry?: { attempts?: number; delay?: number; maxDelay?: number }
}

type Listener = (state: ChatState) => void
type MessageListener = (message: Message) => void

const CONNECTION_STATUS: Record<ClientState, ConnectionStatus> = {
  idle: 'connecting',
  connecting: 'connecting',
  initialized: 'online',
  reconnecting: 'reconnecting',
  disconnected: 'offline',
}

const SAVE_DELAY_MS = 150

/**
 * A saved chat longer than this shows its newest this many first, the rest once they have
 * painted: the view renders only the newest screens anyway, and the rest costs time to list.
 */
export const RESTORE_FIRST = 100

/** The longest wait for a frame (a hidden tab paints none). */
const PAINT_WAIT_MS = 100

/**
 * Resolves once the view has had a frame to paint what it was just given (outside a browser,
 * or in a hidden tab that paints no frames: after a task, or at most `PAINT_WAIT_MS`).
 */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame !== 'function') return void setTimeout(resolve)
    const timer = setTimeout(resolve, PAINT_WAIT_MS)
    // rAF runs before its frame paints; a task after it runs once it has.
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(timer)
        resolve()
      }),
    )
  })
}

/**
 * The connection service under the widget: owns one `VisitorClient`, keeps the chat as one
 * ordered, deduped list, persists it so a reload shows history before the socket connects,
 * and rebuilds it from the latest data on every `initialized` (the seed's WARNING).
 */
export class ChatService {
  readonly client: VisitorClient
  readonly #timeline = new Timeline()
  readonly #listeners = new Set<Listener>()
  readonly #messageListeners = new Set<MessageListener>()
  readonly #subscriptions: (() => void)[] = []
  #persistence: ChatPersistence
  #saved: SavedChat = emptyChat()
  #saveTimer: ReturnType<typeof setTimeout> | undefined
  /** The visitor and chat ids of the last save, to save a change of them at once. */
  #savedIds = ''
  #typingTimer: ReturnType<typeof setTimeout> | undefined
  #snapshot: ChatState
  #started = false
  #initializedOnce = false
  /** Files of pending uploads by item key, kept for a retry. */
  readonly #files = new Map<string, File>()
  /** Uploads in flight by item key, to cancel them. */
  readonly #uploads = new Map<string, AbortController>()
  /** Ids already passed to `onMessage` listeners, so an echo never fires twice. */
  readonly #announced = new Set<string>()
  /** Unacknowledged sends, persisted beside the chat. */
  readonly #outbox: Outbox
  /** Bumped on every `initialized`, so a slow catch-up of an older one gives way. */
  #reconcileGeneration = 0
  #warned = false
  #stopped = false
  /**
   * While a saved chat shows only its newest messages (see `start`): the older ones held back.
   * Nothing is saved meanwhile: the chat would be saved without them.
   */
  #restore: { older: Message[] } | null = null

  readonly #options: ChatServiceOptions

  constructor(options: ChatServiceOptions) {
    this.#options = options
    this.#persistence = options.persistence ?? memoryPersistence()
    this.client = createVisitorClient({
      data: { id: null, key: options.key, ...options.identity },
      ...(options.requestTimeout ? { requestTimeout: options.requestTimeout } : {}),
      connection: {
        url: options.server,
        options: { path: options.path ?? '/socket', ...options.socketOptions },
      },
    })
    this.#snapshot = {
      connection: 'connecting',
      accountStatus: 'offline',
      agents: [],
      agent: null,
      chatId: null,
      chatStatus: null,
      items: [],
      unread: 0,
      agentTyping: false,
      hasMore: false,
      error: null,
      persistence: this.#persistence.kind,
      uploadLimits: null,
      maxTextLength: null,
      rating: null,
    }
    const retry = options.sendRetry ?? {}
    this.#outbox = new Outbox({
      send: (entry) =>
        entry.kind === 'text'
          ? this.client.chatMessage({
              content: { type: 'text', text: entry.text },
              clientId: entry.clientId,
            })
          : this.client.chatUploadFinish(entry.uploadToken, entry.clientId),
      ready: () => this.client.isInitialized(),
      onSent: (entry, message) => this.#receive([{ ...message, clientId: entry.clientId }]),
      onFailed: (entry) => {
        this.#timeline.patchPending(entry.clientId, {
          state: 'failed',
          error: entry.failed?.error,
          reason: entry.failed?.reason,
          retryable: entry.failed?.retryable,
        })
        this.#update()
      },
      save: (entries) => this.#persist((persistence) => persistence.saveOutbox(entries)),
      ...(retry.attempts ? { attempts: retry.attempts } : {}),
      ...(retry.delay ? { retryDelay: retry.delay } : {}),
      ...(retry.maxDelay ? { maxRetryDelay: retry.maxDelay } : {}),
    })
  }

  get state(): ChatState {
    return this.#snapshot
  }

  /** Calls `listener` with every new state; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /**
   * Calls `listener` once for every message new to this page: replies, the visitor's own
   * messages once stored, messages missed while away. Not for history restored or paged in.
   */
  onMessage(listener: MessageListener): () => void {
    this.#messageListeners.add(listener)
    return () => this.#messageListeners.delete(listener)
  }

  /** Shows the saved chat, then connects as the saved visitor. */
  async start(): Promise<void> {
    if (this.#started) return
    this.#started = true
    const namespace = `${this.#options.server.replace(/\/+$/, '')}#${this.#options.key}`
    const { persistence, saved, outbox, error } = await openPersistence(
      namespace,
      this.#options.persistence,
    )
    if (error) this.#warnOnce(error)
    this.#persistence = persistence
    if (saved) {
      // A long chat shows its newest messages first; the rest follow once they have painted.
      const cut = Math.max(0, saved.messages.length - RESTORE_FIRST)
      this.#timeline.upsert(cut > 0 ? saved.messages.slice(cut) : saved.messages)
      this.#restore = { older: saved.messages.slice(0, cut) }
      // The timeline holds the messages; a second list of them would only cost memory.
      this.#saved = { ...saved, messages: [] }
      this.#timeline.markSeen(saved.agentReadAt)
      this.client.setVisitorId(saved.visitorId)
    }
    // Sends of an earlier page load that the server never acknowledged: pending (or failed)
    // again, sent in order once the connection is initialized.
    const stored = new Set(saved?.messages.map((message) => message.clientId))
    const unsent = outbox.filter((entry) => !stored.has(entry.clientId))
    for (const entry of unsent) {
      this.#timeline.addPending(this.#outboxMessage(entry))
      if (entry.failed)
        this.#timeline.patchPending(entry.clientId, {
          state: 'failed',
          error: entry.failed.error,
          reason: entry.failed.reason,
          retryable: entry.failed.retryable,
        })
    }
    this.#outbox.restore(unsent)
    this.#savedIds = `${this.#saved.visitorId} ${this.#saved.chatId}`
    // A tab being closed: what waits for the save pause is written now (IndexedDB finishes a
    // transaction begun in pagehide).
    if (typeof addEventListener === 'function') {
      addEventListener('pagehide', this.#onPageHide)
      this.#subscriptions.push(() => removeEventListener('pagehide', this.#onPageHide))
    }
    this.#listen()
    this.#update({
      persistence: persistence.kind,
      chatId: this.#saved.chatId,
      hasMore: this.#saved.hasMore,
    })
    // The saved chat paints before the connection's work (a long task) begins.
    await afterPaint()
    if (this.#stopped) return
    // Sends saved by an earlier page that the server has stored since: their keys go.
    if (unsent.length === 0 && outbox.length > 0) void this.#outbox.persist()
    await this.#restoreOlder()
    if (this.#stopped) return
    try {
      await this.client.connect()
    } catch (error) {
      this.#update({ error: error as SocketError, connection: 'offline' })
    }
  }

  /**
   * The rest of a saved chat, before its newest messages (see `start`): what was held back of a
   * long one, and the older parts that the persistence reads only now.
   */
  async #restoreOlder(): Promise<void> {
    const restore = this.#restore
    if (!restore) return
    // Unreadable parts leave the newest shown; the server has the history (`loadOlder`).
    const parts = await this.#persistence.loadOlder().catch(() => [])
    if (this.#restore !== restore) return // a new chat meanwhile
    this.#restore = null
    const older = parts.length > 0 ? [...parts, ...restore.older] : restore.older
    this.#timeline.prependOlder(older)
    this.#timeline.markSeen(this.#saved.agentReadAt)
    this.#update()
  }

  /** Sends a text message: shown at once as pending, then reconciled with the server's Message. */
  async send(text: string): Promise<void> {
    const entry: OutboxEntry = {
      kind: 'text',
      clientId: createClientId(),
      createdAt: new Date().toISOString(),
      text,
    }
    this.#timeline.addPending(this.#outboxMessage(entry))
    this.#update()
    await this.#outbox.add(entry)
  }

  /**
   * Sends files as messages, each shown at once as a pending bubble with its progress. Files the
   * server would refuse (size, type) are not sent: they come back as problems to show.
   */
  sendFiles(files: readonly File[]): UploadProblem[] {
    const problems: UploadProblem[] = []
    for (const file of files) {
      const problem = checkUpload(file, this.#snapshot.uploadLimits)
      if (problem) {
        problems.push(problem)
        continue
      }
      const clientId = createClientId()
      this.#files.set(clientId, file)
      this.#timeline.addPending(localUpload(clientId, file, undefined, this.#author()))
      void this.#upload(clientId, file)
    }
    this.#update()
    return problems
  }

  /** Stops an upload in flight and drops its bubble. */
  cancel(key: string): void {
    this.#uploads.get(key)?.abort()
  }

  /** Drops a pending send that failed (the visitor gave up on it). */
  discard(key: string): void {
    this.#uploads.get(key)?.abort()
    this.#files.delete(key)
    this.#outbox.remove(key)
    this.#timeline.removePending(key)
    this.#update()
  }

  /** Sends a failed message or file again, with the same clientId so the server keeps one copy. */
  async retry(key: string): Promise<void> {
    const item = this.#timeline.pending.find((entry) => entry.key === key)
    if (!item) return
    this.#timeline.patchPending(key, {
      state: 'sending',
      error: undefined,
      reason: undefined,
      progress: undefined,
    })
    this.#update()
    const file = this.#files.get(key)
    if (this.#outbox.get(key)) await this.#outbox.retry(key)
    else if (file) await this.#upload(key, file)
  }

  /**
   * Leaves a message while no agent is online: saves the name and email the visitor gave, then
   * sends the text with `isOffline: true`. Rejects when the server refuses it.
   */
  async sendOffline({ name, email, text }: { name: string; email: string; text: string }) {
    this.client.updateVisitorIdentity({ name: name || null, email })
    const clientId = createClientId()
    const message = await this.client.chatMessage({
      content: { type: 'text', text },
      isOffline: true,
      clientId,
    })
    this.#receive([{ ...message, clientId }])
  }

  /** Ends the chat for the visitor (`chat.closed` follows for every tab). */
  async endChat(): Promise<void> {
    await this.client.chatClose()
  }

  /** Rates the current chat 1–5 with an optional comment. */
  async rate(value: number, text?: string): Promise<void> {
    const { message } = await this.client.chatRateInit()
    await this.client.chatRate({ messageId: message.id, value, ...(text ? { text } : {}) })
    this.#update({ rating: { value, text: text ?? null } })
  }

  /** Asks the server to email the chat's transcript. */
  async requestTranscript(email: string, lang = 'en'): Promise<void> {
    await this.client.chatTranscript(email, lang)
  }

  /** After a closed chat: a clean slate; the next message opens a new chat on the server. */
  startNewChat(): void {
    this.#resetChat()
    this.#update({ chatId: null, chatStatus: null, hasMore: false, rating: null })
  }

  /** Tells the server (and so the visitor's other tabs) that the visitor read the chat. */
  markRead(): void {
    const newest = this.#timeline.newest
    if (!newest || this.#snapshot.unread === 0) return
    this.#saved.visitorReadAt = newest.createdAt
    this.client.chatRead()
    this.#update()
  }

  /** Loads the page of messages before the oldest one held. */
  async loadOlder(): Promise<void> {
    const oldest = this.#timeline.oldest
    if (!oldest || !this.#snapshot.hasMore) return
    const page = await this.client.chatHistory({
      before: oldest.id,
      limit: this.#options.pageSize ?? 50,
    })
    this.#timeline.upsert(page.messages)
    this.#timeline.markSeen(this.#saved.agentReadAt)
    this.#saved.hasMore = page.hasMore
    this.#update({ hasMore: page.hasMore })
  }

  typing(is: boolean): void {
    if (this.client.isInitialized()) this.client.chatTyping(is)
  }

  /** Disconnects and forgets every listener. */
  async stop(): Promise<void> {
    this.#stopped = true
    this.#reconcileGeneration++
    for (const unsubscribe of this.#subscriptions.splice(0)) unsubscribe()
    await this.#outbox.stop()
    clearTimeout(this.#typingTimer)
    if (this.#saveTimer) {
      clearTimeout(this.#saveTimer)
      await this.#flushSave()
    }
    this.#listeners.clear()
    this.#messageListeners.clear()
    for (const controller of this.#uploads.values()) controller.abort()
    await this.client.disconnect()
  }

  /**
   * Forgets the visitor on this device (a logout): disconnects, then deletes the saved chat and
   * the unsent messages. A new service afterwards starts as a new visitor.
   */
  async forget(): Promise<void> {
    await this.stop()
    await this.#persistence.clear()
  }

  /**
   * Uploads the bytes (with progress and cancel); once the server has them, the finish joins
   * the outbox, so a lost ack or a reload cannot lose (or double) the file's message.
   */
  async #upload(key: string, file: File): Promise<void> {
    const controller = new AbortController()
    this.#uploads.set(key, controller)
    let uploadToken: string
    try {
      uploadToken = await this.client.postUpload(file, {
        signal: controller.signal,
        onProgress: (loaded, total) => {
          this.#timeline.patchPending(key, { progress: { loaded, total } })
          this.#update()
        },
      })
    } catch (error) {
      this.#uploads.delete(key)
      if ((error as Error).name === 'AbortError') this.discard(key)
      else this.#fail(key, error)
      return
    }
    this.#uploads.delete(key)
    if (controller.signal.aborted || this.#stopped) return
    this.#files.delete(key)
    await this.#outbox.add({
      kind: 'upload',
      clientId: key,
      createdAt: new Date().toISOString(),
      uploadToken,
      file: { name: file.name, type: file.type, size: file.size },
    })
  }

  /** An upload failed before the server had the file: say why, and whether to try again. */
  #fail(key: string, error: unknown): void {
    this.#timeline.patchPending(key, {
      state: 'failed',
      error: (error as Error).message,
      reason: failureReason(error as SocketError),
      retryable: isUploadRetryable(error as SocketError),
    })
    this.#update()
  }

  /** The pending bubble of an outbox entry. */
  #outboxMessage(entry: OutboxEntry): Message {
    return pendingMessage(entry, this.#author())
  }

  /** Who and where a local message is, until the server says. */
  #author(): LocalAuthor {
    return { chatId: this.#snapshot.chatId ?? '', visitorId: this.client.getVisitorId() ?? '' }
  }

  #listen(): void {
    const on = this.client.on.bind(this.client)
    this.#subscriptions.push(
      on('initialized', (data) => this.#onInitialized(data)),
      on('connection.state_changed', (state) =>
        this.#update({ connection: CONNECTION_STATUS[state] }),
      ),
      on('account.status_updated', (status) => this.#update({ accountStatus: status })),
      on('agent.updated', () => this.#update({ agents: [...this.client.getAgents()] })),
      on('agent.removed', () => this.#update({ agents: [...this.client.getAgents()] })),
      on('chat.message_received', ({ chatId, message }) => {
        if (this.#snapshot.chatId && chatId !== this.#snapshot.chatId) this.#switchChat(chatId)
        const agentSpoke = message.subType === 'agent'
        this.#receive([message], { chatId, ...(agentSpoke ? { agentTyping: false } : {}) })
      }),
      on('chat.agent_typing', ({ typing }) => this.#setAgentTyping(typing.is)),
      on('chat.contact_read', ({ lastReadAt }) => {
        this.#saved.visitorReadAt = maxIso(this.#saved.visitorReadAt, lastReadAt)
        this.#update()
      }),
      on('chat.agent_read', ({ lastReadAt }) => {
        this.#saved.agentReadAt = maxIso(this.#saved.agentReadAt, lastReadAt)
        this.#timeline.markSeen(this.#saved.agentReadAt)
        this.#update()
      }),
      on('chat.agent_joined', ({ message }) => this.#receive([message], { chatStatus: 'open' })),
      on('chat.agent_left', ({ message }) => this.#receive([message])),
      on('chat.agent_assigned', ({ message }) => this.#receive([message])),
      on('chat.agent_unassigned', ({ message }) => this.#receive([message])),
      on('chat.closed', ({ message }) => this.#receive([message], { chatStatus: 'closed' })),
      on('chat.rated', ({ message, rating }) => this.#receive([message], { rating })),
      on('chat.deleted', () => {
        // Queued sends stay (they will open a new chat).
        const pending = this.#timeline.pending
        this.#restore = null
        this.#timeline.clear()
        for (const item of pending) this.#timeline.addPending(item.message)
        this.#update({ chatId: null, chatStatus: null, hasMore: false })
      }),
    )
  }

  /**
   * Every `initialized` (first connect and each reconnect): the newest page is the truth for its
   * range; when it does not reach the newest message held, `chat.history({ after })` fills the
   * gap first (several pages if need be), so what arrived while away shows once and in order.
   * The outbox goes out at once, independently.
   */
  #onInitialized(data: ConnectedData): void {
    const generation = ++this.#reconcileGeneration
    if (this.#saved.visitorId && this.#saved.visitorId !== data.visitor.id) {
      // The server did not know our visitor (e.g. its data was reset): start afresh.
      this.#resetChat()
    }
    this.#saved.visitorId = data.visitor.id
    const chat = data.chat
    const shown = this.#timeline.newest
    // On the very first connect of a page its history is not news, but what came after the
    // saved chat it showed is: replies that arrived while the visitor was away (or while this
    // tab was still connecting). On a reconnect, whatever this page had not seen.
    const announce: Announce = this.#initializedOnce
      ? { after: null }
      : shown
        ? { after: shown.createdAt }
        : false
    this.#initializedOnce = true
    // Sends stored before the connection dropped (or before a reload) are done.
    for (const message of chat?.messages ?? []) {
      if (message.clientId) this.#outbox.remove(message.clientId)
    }
    this.#outbox.resume()
    const connected: Partial<ChatState> = {
      error: null,
      uploadLimits: data.uploads ?? null,
      maxTextLength: data.maxTextLength ?? null,
      accountStatus: data.account.status,
      agents: [...data.account.agents],
    }
    if (!chat) {
      this.#resetChat()
      this.#update({ ...connected, rating: null, chatId: null, chatStatus: null, hasMore: false })
      return
    }
    if (this.#saved.chatId !== chat.id) this.#resetChat()
    const newestHeld = this.#timeline.newest
    if (!newestHeld || chat.messages.some((m) => m.id === newestHeld.id)) {
      this.#applyPage(chat, [], announce, connected)
      return
    }
    this.#update(connected)
    void this.#catchUp(newestHeld.id, generation).then((caught) => {
      if (generation !== this.#reconcileGeneration) return
      // The server does not know our newest message (or refused): the page alone is the truth.
      if (!caught) this.#resetChat()
      this.#applyPage(chat, caught ?? [], announce, {})
    })
  }

  /** Messages newer than `afterId`, oldest first, over as many pages as it takes; null on error. */
  async #catchUp(afterId: string, generation: number): Promise<Message[] | null> {
    const caught: Message[] = []
    const limit = this.#options.pageSize ?? 50
    let cursor = afterId
    try {
      for (;;) {
        const page = await this.client.chatHistory({ after: cursor, limit })
        if (generation !== this.#reconcileGeneration) return null
        caught.push(...page.messages)
        const last = page.messages.at(-1)
        if (!page.hasMore || !last) return caught
        cursor = last.id
      }
    } catch {
      return null
    }
  }

  #applyPage(
    chat: NonNullable<ConnectedData['chat']>,
    caught: Message[],
    announce: Announce,
    patch: Partial<ChatState>,
  ): void {
    const known = new Set(this.#timeline.list.map((item) => item.message.id))
    const heldBefore = this.#timeline.newest !== undefined
    for (const message of caught) {
      if (message.clientId) this.#outbox.remove(message.clientId)
    }
    this.#timeline.upsert(caught)
    this.#timeline.rebuild(chat.messages)
    if (announce) {
      const { after } = announce
      this.#announce(
        this.#timeline.confirmed.filter(
          (m) => !known.has(m.id) && (after === null || m.createdAt >= after),
        ),
      )
    }
    this.#saved.chatId = chat.id
    this.#saved.agentReadAt = maxIso(
      this.#saved.agentReadAt,
      chat.readInfo.type === 'agent' ? chat.readInfo.lastReadAt : null,
    )
    this.#saved.visitorReadAt = maxIso(this.#saved.visitorReadAt, chat.unreadInfo.lastReadAt)
    const pageFull = chat.messages.length >= (this.#options.pageSize ?? 50)
    if (caught.length === 0 || !heldBefore) this.#saved.hasMore ||= pageFull
    this.#timeline.markSeen(this.#saved.agentReadAt)
    this.#update({
      ...patch,
      rating: chat.rating ?? null,
      chatId: chat.id,
      chatStatus: chat.status,
      hasMore: this.#saved.hasMore,
    })
  }

  #receive(messages: Message[], patch: Partial<ChatState> = {}): void {
    const chatId = patch.chatId ?? messages[0]?.chatId
    if (chatId && !this.#saved.chatId) this.#saved.chatId = chatId
    const pendingKeys = new Set(this.#timeline.pending.map((item) => item.key))
    // An echo (or another tab's copy) of a queued send: the server has it, do not send again.
    for (const message of messages) {
      if (message.clientId) this.#outbox.remove(message.clientId)
    }
    const fresh = this.#timeline.upsert(messages)
    // The visitor's own sends are news once the server has stored them.
    const confirmedOwn = messages.filter((m) => m.clientId && pendingKeys.has(m.clientId))
    this.#timeline.markSeen(this.#saved.agentReadAt)
    // The first message of a chat opens it (pending until an agent joins).
    const opened = !this.#snapshot.chatStatus && this.#saved.chatId ? 'pending' : undefined
    this.#update({
      chatId: this.#saved.chatId,
      ...(opened ? { chatStatus: opened } : {}),
      ...patch,
    })
    this.#announce([...confirmedOwn, ...fresh])
  }

  #announce(messages: Message[]): void {
    for (const message of messages) {
      if (this.#announced.has(message.id)) continue
      this.#announced.add(message.id)
      for (const listener of this.#messageListeners) listener(message)
    }
  }

  /** The server moved the visitor to a new chat (the previous one was closed). */
  #switchChat(chatId: string): void {
    this.#resetChat()
    this.#saved.chatId = chatId
    this.#snapshot = { ...this.#snapshot, chatId, chatStatus: null, rating: null, hasMore: false }
  }

  #resetChat(): void {
    this.#restore = null
    const pending = this.#timeline.pending
    this.#timeline.clear()
    for (const item of pending) this.#timeline.addPending(item.message)
    this.#saved = { ...emptyChat(), visitorId: this.#saved.visitorId }
  }

  #setAgentTyping(is: boolean): void {
    clearTimeout(this.#typingTimer)
    // A lost "stopped typing" must not leave the dots on forever.
    if (is)
      this.#typingTimer = setTimeout(
        () => this.#setAgentTyping(false),
        this.#options.typingTimeout ?? 15_000,
      )
    if (this.#snapshot.agentTyping !== is) this.#update({ agentTyping: is })
  }

  #update(patch: Partial<ChatState> = {}): void {
    const items = this.#timeline.list
    const agentId = [...items].reverse().find((item) => item.message.subType === 'agent')
      ?.message.agentId
    const agents = patch.agents ?? this.#snapshot.agents
    this.#snapshot = {
      ...this.#snapshot,
      ...patch,
      items,
      unread: countUnread(items, this.#saved.visitorReadAt),
      agent: agents.find((agent) => agent.id === agentId) ?? null,
    }
    this.#scheduleSave()
    for (const listener of this.#listeners) listener(this.#snapshot)
  }

  #scheduleSave(): void {
    // Who the visitor is and which chat is theirs must outlive a tab closed right after its
    // first send (the next page view resumes them): saved at once, the rest after a pause.
    const ids = `${this.#saved.visitorId} ${this.#saved.chatId}`
    if (ids !== this.#savedIds && this.#saved.visitorId) {
      this.#savedIds = ids
      clearTimeout(this.#saveTimer)
      this.#saveTimer = undefined
      void this.#flushSave()
      return
    }
    if (this.#saveTimer) return
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = undefined
      void this.#flushSave()
    }, SAVE_DELAY_MS)
  }

  /** The chat as it is saved: `#saved` with the timeline's confirmed messages. */
  #savedChat(): SavedChat {
    return { ...this.#saved, messages: this.#timeline.confirmed }
  }

  readonly #onPageHide = () => {
    if (!this.#saveTimer) return
    clearTimeout(this.#saveTimer)
    this.#saveTimer = undefined
    void this.#flushSave()
  }

  async #flushSave(): Promise<void> {
    // Saved once whole (restoring ends with an update, which saves); nothing new is lost.
    if (this.#restore) return
    await this.#persist((persistence) => persistence.save(this.#savedChat()))
  }

  /**
   * Runs a persistence operation; when IndexedDB fails (quota, closed, timed out), the chat and
   * its outbox move to memory for the rest of the page — said once in the console.
   */
  async #persist(operation: (persistence: ChatPersistence) => Promise<void>) {
    const persistence = this.#persistence
    try {
      await operation(persistence)
    } catch (error) {
      if (persistence.kind === 'memory') return
      if (this.#persistence === persistence) {
        this.#warnOnce(error)
        this.#persistence = memoryPersistence({
          chat: this.#savedChat(),
          outbox: this.#outbox.list,
        })
        if (!this.#stopped) this.#update({ persistence: 'memory' })
      }
      await operation(this.#persistence).catch(() => undefined)
    }
  }

  #warnOnce(error: unknown): void {
    if (this.#warned) return
    this.#warned = true
    warnMemory(error)
  }
}

/** Which messages of a server page are news: none, or those unknown from `after` on (null: all). */
type Announce = false | { after: string | null }

/** Agent messages newer than the visitor's read mark. */
function countUnread(items: readonly ChatItem[], readAt: string | null): number {
  return items.filter(
    (item) =>
      item.message.type === 'message' &&
      (item.message.subType === 'agent' || item.message.subType === 'trigger') &&
      (!readAt || item.message.createdAt > readAt),
  ).length
}

function maxIso(a: string | null, b: string | null): string | null {
  if (!a) return b
  if (!b) return a
  return a > b ? a : b
}

/** Creates the connection service for one server + account (IndexedDB persistence by default). */
export function createChatService(options: ChatServiceOptions): ChatService {
  return new ChatService(options)
}
