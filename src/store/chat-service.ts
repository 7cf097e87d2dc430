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
import {
  type ChatPersistence,
  emptyChat,
  memoryPersistence,
  openPersistence,
  type SavedChat,
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
 * The connection service under the widget: owns one `VisitorClient`, keeps the chat as one
 * ordered, deduped list, persists it so a reload shows history before the socket connects,
 * and rebuilds it from the latest data on every `initialized` (the seed's WARNING).
 */
export class ChatService {
  readonly client: VisitorClient
  private readonly timeline = new Timeline()
  private readonly listeners = new Set<Listener>()
  private readonly messageListeners = new Set<MessageListener>()
  private readonly subscriptions: (() => void)[] = []
  private persistence: ChatPersistence
  private saved: SavedChat = emptyChat()
  private saveTimer: ReturnType<typeof setTimeout> | undefined
  private typingTimer: ReturnType<typeof setTimeout> | undefined
  private snapshot: ChatState
  private started = false
  private initializedOnce = false
  /** Files of pending uploads by item key, kept for a retry. */
  private readonly files = new Map<string, File>()
  /** Uploads in flight by item key, to cancel them. */
  private readonly uploads = new Map<string, AbortController>()
  /** Ids already passed to `onMessage` listeners, so an echo never fires twice. */
  private readonly announced = new Set<string>()

  constructor(private readonly options: ChatServiceOptions) {
    this.persistence = options.persistence ?? memoryPersistence()
    this.client = createVisitorClient({
      data: { id: null, key: options.key, ...options.identity },
      connection: {
        url: options.server,
        options: { path: options.path ?? '/socket', ...options.socketOptions },
      },
    })
    this.snapshot = {
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
      persistence: this.persistence.kind,
      uploadLimits: null,
      rating: null,
    }
  }

  get state(): ChatState {
    return this.snapshot
  }

  /** Calls `listener` with every new state; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Calls `listener` once for every message new to this page: replies, the visitor's own
   * messages once stored, messages missed while away. Not for history restored or paged in.
   */
  onMessage(listener: MessageListener): () => void {
    this.messageListeners.add(listener)
    return () => this.messageListeners.delete(listener)
  }

  /** Shows the saved chat, then connects as the saved visitor. */
  async start(): Promise<void> {
    if (this.started) return
    this.started = true
    const namespace = `${this.options.server.replace(/\/+$/, '')}#${this.options.key}`
    const { persistence, saved } = await openPersistence(namespace, this.options.persistence)
    this.persistence = persistence
    if (saved) {
      this.saved = saved
      this.timeline.upsert(saved.messages)
      this.timeline.markSeen(saved.agentReadAt)
      this.client.setVisitorId(saved.visitorId)
    }
    this.listen()
    this.update({
      persistence: persistence.kind,
      chatId: this.saved.chatId,
      hasMore: this.saved.hasMore,
    })
    try {
      await this.client.connect()
    } catch (error) {
      this.update({ error: error as SocketError, connection: 'offline' })
    }
  }

  /** Sends a text message: shown at once as pending, then reconciled with the server's Message. */
  async send(text: string): Promise<void> {
    const clientId = createClientId()
    this.timeline.addPending(this.localMessage(clientId, text))
    this.update()
    await this.deliver(clientId, text)
  }

  /**
   * Sends files as messages, each shown at once as a pending bubble with its progress. Files the
   * server would refuse (size, type) are not sent: they come back as problems to show.
   */
  sendFiles(files: readonly File[]): UploadProblem[] {
    const problems: UploadProblem[] = []
    for (const file of files) {
      const problem = checkUpload(file, this.snapshot.uploadLimits)
      if (problem) {
        problems.push(problem)
        continue
      }
      const clientId = createClientId()
      this.files.set(clientId, file)
      this.timeline.addPending(this.localUpload(clientId, file))
      void this.upload(clientId, file)
    }
    this.update()
    return problems
  }

  /** Stops an upload in flight and drops its bubble. */
  cancel(key: string): void {
    this.uploads.get(key)?.abort()
  }

  /** Drops a pending send that failed (the visitor gave up on it). */
  discard(key: string): void {
    this.uploads.get(key)?.abort()
    this.files.delete(key)
    this.timeline.removePending(key)
    this.update()
  }

  /** Sends a failed message or file again, with the same clientId so the server keeps one copy. */
  async retry(key: string): Promise<void> {
    const item = this.timeline.pending.find((entry) => entry.key === key)
    if (!item) return
    this.timeline.patchPending(key, { state: 'sending', error: undefined, progress: undefined })
    this.update()
    const file = this.files.get(key)
    if (file) await this.upload(key, file)
    else await this.deliver(key, item.message.content.text ?? '')
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
    this.receive([{ ...message, clientId }])
  }

  /** Ends the chat for the visitor (`chat.closed` follows for every tab). */
  async endChat(): Promise<void> {
    await this.client.chatClose()
  }

  /** Rates the current chat 1–5 with an optional comment. */
  async rate(value: number, text?: string): Promise<void> {
    const { message } = await this.client.chatRateInit()
    await this.client.chatRate({ messageId: message.id, value, ...(text ? { text } : {}) })
    this.update({ rating: { value, text: text ?? null } })
  }

  /** Asks the server to email the chat's transcript. */
  async requestTranscript(email: string, lang = 'en'): Promise<void> {
    await this.client.chatTranscript(email, lang)
  }

  /** After a closed chat: a clean slate; the next message opens a new chat on the server. */
  startNewChat(): void {
    this.resetChat()
    this.update({ chatId: null, chatStatus: null, hasMore: false, rating: null })
  }

  /** Tells the server (and so the visitor's other tabs) that the visitor read the chat. */
  markRead(): void {
    const newest = this.timeline.newest
    if (!newest || this.snapshot.unread === 0) return
    this.saved.visitorReadAt = newest.createdAt
    this.client.chatRead()
    this.update()
  }

  /** Loads the page of messages before the oldest one held. */
  async loadOlder(): Promise<void> {
    const oldest = this.timeline.oldest
    if (!oldest || !this.snapshot.hasMore) return
    const page = await this.client.chatHistory({
      before: oldest.id,
      limit: this.options.pageSize ?? 50,
    })
    this.timeline.upsert(page.messages)
    this.timeline.markSeen(this.saved.agentReadAt)
    this.saved.hasMore = page.hasMore
    this.update({ hasMore: page.hasMore })
  }

  typing(is: boolean): void {
    if (this.client.isInitialized()) this.client.chatTyping(is)
  }

  /** Disconnects and forgets every listener. */
  async stop(): Promise<void> {
    for (const unsubscribe of this.subscriptions.splice(0)) unsubscribe()
    clearTimeout(this.typingTimer)
    if (this.saveTimer) {
      clearTimeout(this.saveTimer)
      await this.flushSave()
    }
    this.listeners.clear()
    this.messageListeners.clear()
    for (const controller of this.uploads.values()) controller.abort()
    await this.client.disconnect()
  }

  private async deliver(clientId: string, text: string): Promise<void> {
    try {
      const message = await this.client.chatMessage({ content: { type: 'text', text }, clientId })
      this.receive([{ ...message, clientId }])
    } catch (error) {
      this.fail(clientId, error)
    }
  }

  private async upload(key: string, file: File): Promise<void> {
    const controller = new AbortController()
    this.uploads.set(key, controller)
    try {
      const message = await this.client.uploadFile(file, {
        signal: controller.signal,
        clientId: key,
        onProgress: (loaded, total) => {
          this.timeline.patchPending(key, { progress: { loaded, total } })
          this.update()
        },
      })
      this.files.delete(key)
      this.receive([{ ...message, clientId: key }])
    } catch (error) {
      if ((error as Error).name === 'AbortError') this.discard(key)
      else this.fail(key, error)
    } finally {
      this.uploads.delete(key)
    }
  }

  /** A send failed: say why, and whether trying again can help (not for a refused payload). */
  private fail(key: string, error: unknown): void {
    const code = (error as SocketError).code
    this.timeline.patchPending(key, {
      state: 'failed',
      error: (error as Error).message,
      retryable: !(code === 400 || code === 413 || code === 415),
    })
    this.update()
  }

  private localUpload(clientId: string, file: File): Message {
    const message = this.localMessage(clientId, '')
    return {
      ...message,
      content: {
        type: 'upload',
        text: null,
        data: {
          type: file.type.startsWith('image/') ? 'image' : 'file',
          fileName: file.name,
          fileType: file.type,
          size: file.size,
          url: '',
          expireAt: '',
          width: null,
          height: null,
        },
      },
    }
  }

  private localMessage(clientId: string, text: string): Message {
    return {
      id: `local-${clientId}`,
      clientId,
      type: 'message',
      subType: 'contact',
      channel: { type: 'default', id: null },
      chatId: this.snapshot.chatId ?? '',
      groupId: null,
      visitorId: this.client.getVisitorId() ?? '',
      agentId: null,
      trigger: null,
      createdAt: new Date().toISOString(),
      content: { type: 'text', text, data: null },
      tags: null,
      responseTime: null,
      attachments: [],
    }
  }

  private listen(): void {
    const on = this.client.on.bind(this.client)
    this.subscriptions.push(
      on('initialized', (data) => this.onInitialized(data)),
      on('connection.state_changed', (state) =>
        this.update({ connection: CONNECTION_STATUS[state] }),
      ),
      on('account.status_updated', (status) => this.update({ accountStatus: status })),
      on('agent.updated', () => this.update({ agents: [...this.client.getAgents()] })),
      on('agent.removed', () => this.update({ agents: [...this.client.getAgents()] })),
      on('chat.message_received', ({ chatId, message }) => {
        if (this.snapshot.chatId && chatId !== this.snapshot.chatId) this.switchChat(chatId)
        const agentSpoke = message.subType === 'agent'
        this.receive([message], { chatId, ...(agentSpoke ? { agentTyping: false } : {}) })
      }),
      on('chat.agent_typing', ({ typing }) => this.setAgentTyping(typing.is)),
      on('chat.contact_read', ({ lastReadAt }) => {
        this.saved.visitorReadAt = maxIso(this.saved.visitorReadAt, lastReadAt)
        this.update()
      }),
      on('chat.agent_read', ({ lastReadAt }) => {
        this.saved.agentReadAt = maxIso(this.saved.agentReadAt, lastReadAt)
        this.timeline.markSeen(this.saved.agentReadAt)
        this.update()
      }),
      on('chat.agent_joined', ({ message }) => this.receive([message], { chatStatus: 'open' })),
      on('chat.agent_left', ({ message }) => this.receive([message])),
      on('chat.agent_assigned', ({ message }) => this.receive([message])),
      on('chat.agent_unassigned', ({ message }) => this.receive([message])),
      on('chat.closed', ({ message }) => this.receive([message], { chatStatus: 'closed' })),
      on('chat.rated', ({ message, rating }) => this.receive([message], { rating })),
      on('chat.deleted', () => {
        this.timeline.clear()
        this.update({ chatId: null, chatStatus: null, hasMore: false })
      }),
    )
  }

  private onInitialized(data: ConnectedData): void {
    if (this.saved.visitorId && this.saved.visitorId !== data.visitor.id) {
      // The server did not know our visitor (e.g. its data was reset): start afresh.
      this.resetChat()
    }
    this.saved.visitorId = data.visitor.id
    const chat = data.chat
    if (!chat) {
      this.resetChat()
    } else {
      if (this.saved.chatId !== chat.id) this.resetChat()
      const pageSize = this.options.pageSize ?? 50
      const newestHeld = this.timeline.newest
      const overlaps = !newestHeld || chat.messages.some((m) => m.id === newestHeld.id)
      // A full page that does not reach what we hold would leave a gap: keep the page only.
      if (!overlaps && chat.messages.length >= pageSize) this.resetChat()
      const fresh = this.timeline.rebuild(chat.messages)
      // On the very first connect of a page the page's history is not news.
      if (this.initializedOnce) this.announce(fresh)
      this.saved.chatId = chat.id
      this.saved.agentReadAt = maxIso(
        this.saved.agentReadAt,
        chat.readInfo.type === 'agent' ? chat.readInfo.lastReadAt : null,
      )
      this.saved.visitorReadAt = maxIso(this.saved.visitorReadAt, chat.unreadInfo.lastReadAt)
      this.saved.hasMore ||= chat.messages.length >= pageSize
      this.timeline.markSeen(this.saved.agentReadAt)
    }
    this.initializedOnce = true
    this.update({
      error: null,
      uploadLimits: data.uploads ?? null,
      rating: chat?.rating ?? null,
      accountStatus: data.account.status,
      agents: [...data.account.agents],
      chatId: chat?.id ?? null,
      chatStatus: chat?.status ?? null,
      hasMore: this.saved.hasMore,
    })
  }

  private receive(messages: Message[], patch: Partial<ChatState> = {}): void {
    const chatId = patch.chatId ?? messages[0]?.chatId
    if (chatId && !this.saved.chatId) this.saved.chatId = chatId
    const pendingKeys = new Set(this.timeline.pending.map((item) => item.key))
    const fresh = this.timeline.upsert(messages)
    // The visitor's own sends are news once the server has stored them.
    const confirmedOwn = messages.filter((m) => m.clientId && pendingKeys.has(m.clientId))
    this.timeline.markSeen(this.saved.agentReadAt)
    // The first message of a chat opens it (pending until an agent joins).
    const opened = !this.snapshot.chatStatus && this.saved.chatId ? 'pending' : undefined
    this.update({
      chatId: this.saved.chatId,
      ...(opened ? { chatStatus: opened } : {}),
      ...patch,
    })
    this.announce([...confirmedOwn, ...fresh])
  }

  private announce(messages: Message[]): void {
    for (const message of messages) {
      if (this.announced.has(message.id)) continue
      this.announced.add(message.id)
      for (const listener of this.messageListeners) listener(message)
    }
  }

  /** The server moved the visitor to a new chat (the previous one was closed). */
  private switchChat(chatId: string): void {
    this.resetChat()
    this.saved.chatId = chatId
    this.snapshot = { ...this.snapshot, chatId, chatStatus: null, rating: null, hasMore: false }
  }

  private resetChat(): void {
    const pending = this.timeline.pending
    this.timeline.clear()
    for (const item of pending) this.timeline.addPending(item.message)
    this.saved = { ...emptyChat(), visitorId: this.saved.visitorId }
  }

  private setAgentTyping(is: boolean): void {
    clearTimeout(this.typingTimer)
    // A lost "stopped typing" must not leave the dots on forever.
    if (is)
      this.typingTimer = setTimeout(
        () => this.setAgentTyping(false),
        this.options.typingTimeout ?? 15_000,
      )
    if (this.snapshot.agentTyping !== is) this.update({ agentTyping: is })
  }

  private update(patch: Partial<ChatState> = {}): void {
    const items = this.timeline.list
    const agentId = [...items].reverse().find((item) => item.message.subType === 'agent')
      ?.message.agentId
    const agents = patch.agents ?? this.snapshot.agents
    this.snapshot = {
      ...this.snapshot,
      ...patch,
      items,
      unread: countUnread(items, this.saved.visitorReadAt),
      agent: agents.find((agent) => agent.id === agentId) ?? null,
    }
    this.scheduleSave()
    for (const listener of this.listeners) listener(this.snapshot)
  }

  private scheduleSave(): void {
    if (this.saveTimer) return
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined
      void this.flushSave()
    }, SAVE_DELAY_MS)
  }

  private async flushSave(): Promise<void> {
    this.saved.messages = this.timeline.confirmed
    try {
      await this.persistence.save({ ...this.saved })
    } catch (error) {
      if (this.persistence.kind === 'memory') return
      console.warn(
        '[chat-widget] Could not save the chat to IndexedDB; keeping it in memory.',
        error,
      )
      this.persistence = memoryPersistence()
      this.update({ persistence: 'memory' })
    }
  }
}

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
