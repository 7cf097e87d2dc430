import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client'
import {
  type AccountStatus,
  type Agent,
  type AuthenticateResult,
  type AuthenticateValues,
  type ChatHistoryOptions,
  type ChatHistoryResult,
  type ChatMessageOptions,
  type ChatRateInitResult,
  type ChatRateOptions,
  type ChatUploadInitResult,
  type ConnectedData,
  type ConnectOptions,
  DEFAULT_SOCKET_PATH,
  type Group,
  type Message,
  type Visitor,
  type VisitorEvents,
  type VisitorRequests,
  type VisitorUpdateValues,
  type WireError,
} from '../protocol.ts'
import { backoffDelay } from './backoff.ts'
import { createClientId } from './client-id.ts'
import { Emitter } from './emitter.ts'
import { type ConnectionState, PASS_THROUGH_EVENTS, type VisitorClientEvents } from './events.ts'
import {
  browserPageEnvironment,
  currentPage,
  type Page,
  type PageEnvironment,
  PageTracker,
} from './page-tracker.ts'
import { SocketError } from './socket-error.ts'
import { abortError, postFile, type UploadFile, type UploadOptions } from './upload.ts'

/** socket.io-client options (Manager and Socket). */
export type SocketIoOptions = Partial<ManagerOptions & SocketOptions>

export interface ConnectionOptions {
  /**
   * The chat server, e.g. `https://chat.example.com`.
   * @default the page's origin (browsers only; required in Node)
   */
  url?: string
  /** socket.io-client options, laid over `DEFAULT_SOCKET_OPTIONS`. */
  options?: SocketIoOptions
}

export interface VisitorClientOptions {
  /** Sent with `visitor.connect`: `key` picks the account; `id` resumes a visitor (null: a new one). */
  data: Omit<ConnectOptions, 'id'> & { id?: string | null }
  connection?: ConnectionOptions
  /**
   * How long a request waits for the server's answer, counted from when it is actually sent
   * (time spent buffered while offline does not count). Then it rejects with a
   * `SocketError` of type `timeout`, code 408.
   * @default 15000
   */
  requestTimeout?: number
  /**
   * The page whose navigation to follow: a single-page app's `pushState`, `replaceState`,
   * `popstate` and `hashchange` send the new `pageUrl` and `pageTitle` with `visitor.update`
   * (after 300 ms of quiet, only when they changed). null: follow nothing.
   * @default window (browsers), null (Node)
   */
  page?: PageEnvironment | null
}

/** Our defaults for socket.io-client; `connection.options` overrides any of them. */
export const DEFAULT_SOCKET_OPTIONS = {
  /** @default '/socket' */
  path: DEFAULT_SOCKET_PATH,
  /** `connect()` opens the socket. @default false */
  autoConnect: false,
  /** One Manager per client, so two clients (tabs, tests) never share a connection. @default true */
  forceNew: true,
  /** WebSocket first, long-polling where it is blocked. @default ['websocket', 'polling'] */
  transports: ['websocket', 'polling'],
  /**
   * Without it socket.io-client retries only the first transport: a visitor behind a proxy
   * that refuses WebSocket would never connect. @default true
   */
  tryAllTransports: true,
  /**
   * Reconnect with capped, jittered exponential backoff: these are socket.io-client's own
   * Manager settings (`reconnectionDelay` doubles per attempt up to `reconnectionDelayMax`,
   * each moved by up to ±`randomizationFactor`), so a server restart does not bring every
   * widget back in the same second. The one case the Manager leaves alone — the server
   * closing our socket (`io server disconnect`) — reuses the same three numbers.
   * @default true
   */
  reconnection: true,
  /** @default 1000 */
  reconnectionDelay: 1000,
  /** @default 10000 */
  reconnectionDelayMax: 10_000,
  /** @default 0.5 */
  randomizationFactor: 0.5,
} satisfies SocketIoOptions

/** @default */
const DEFAULT_REQUEST_TIMEOUT = 15_000

const BUNDLE_VERSION = 'chat-widget SDK 0.1.0'

/** Identity fields the server owns: never sent back in `visitor.connect`. */
const READONLY_IDENTITY_KEYS = new Set<string>(['bannedAt', 'chatId'])

/** Visitor fields that `visitor.updated` may change. */
const IDENTITY_KEYS = new Set<string>([
  'id',
  'chatId',
  'lang',
  'name',
  'email',
  'phone',
  'bannedAt',
  'group',
  'visits',
  'variables',
])

/**
 * Requests that are safe to send again after the connection dropped before the answer came:
 * `chat.message` always carries a `clientId`, so the server returns the stored message.
 */
const RESENDABLE = new Set<keyof VisitorRequests>([
  'chat.message',
  'chat.history',
  'chat.upload_init',
  'visitor.authenticate',
])

type Result<E extends keyof VisitorRequests> = VisitorRequests[E][1]

interface Packet {
  event: keyof VisitorRequests
  data: unknown
  /** Present when the server answers with an ack. */
  reply?: { resolve: (value: unknown) => void; reject: (error: SocketError) => void }
  timer?: ReturnType<typeof setTimeout>
}

interface Waiter {
  resolve: (data: ConnectedData) => void
  reject: (error: SocketError) => void
}

/**
 * The visitor's connection to the chat server: the `smartsupp-websocket` VisitorClient API
 * (method and event names, buffering before init, `initialized` on every reconnect) on
 * socket.io-client 4.
 */
export class VisitorClient extends Emitter<VisitorClientEvents> {
  private readonly socket: Socket
  private readonly requestTimeout: number
  private readonly connectData: VisitorClientOptions['data']
  private readonly baseUrl: string | undefined

  private state: ConnectionState = 'idle'
  private initialized = false
  private everInitialized = false
  /** True from `disconnect()` (or a refused handshake) until the next `connect()`. */
  private closed = false
  /** Bumped on every connect and disconnect, so a late handshake answer is ignored. */
  private generation = 0
  private reconnectAttempt = 0
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined

  /** Sends waiting for initialization, oldest first. */
  private queue: Packet[] = []
  /** Sent requests waiting for their ack, oldest first. */
  private readonly inFlight = new Set<Packet>()
  private waiters: Waiter[] = []

  private connectedData: ConnectedData | null = null
  private identity: Visitor | null = null
  private accountStatus: AccountStatus = 'offline'
  private agents: Agent[] = []
  private groups: Group[] = []
  private assignedIds: string[] = []

  private readonly pageEnv: PageEnvironment | null
  private readonly pageTracker: PageTracker | null
  /** The page the server knows: sent with the latest handshake or `visitor.update`. */
  private sentPage: Page | null = null

  constructor(options: VisitorClientOptions) {
    super()
    this.pageEnv = options.page === undefined ? browserPageEnvironment() : options.page
    this.pageTracker = this.pageEnv && new PageTracker(this.pageEnv, () => this.sendPage())
    this.connectData = { ...options.data }
    this.requestTimeout = options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT
    const { url, options: socketOptions } = options.connection ?? {}
    this.baseUrl = url
    const opts = { ...DEFAULT_SOCKET_OPTIONS, ...socketOptions }
    this.socket = url === undefined ? io(opts) : io(url, opts)
    this.listen()
  }

  // -------------------------------------------------------------------------
  // Connection
  // -------------------------------------------------------------------------

  /**
   * Connects and resolves with ConnectedData (at once if already initialized). Rejects only
   * when the server refuses the handshake (unknown key, …) or `disconnect()` is called; an
   * unreachable server is retried with backoff while the promise waits.
   */
  connect(): Promise<ConnectedData> {
    if (this.initialized && this.connectedData) return Promise.resolve(this.connectedData)
    const promise = new Promise<ConnectedData>((resolve, reject) => {
      this.waiters.push({ resolve, reject })
    })
    if (this.state === 'idle' || this.state === 'disconnected') {
      this.closed = false
      this.pageTracker?.start()
      this.setState('connecting')
      this.socket.connect()
    }
    return promise
  }

  /** Closes the connection; buffered and unanswered requests reject (type `disconnected`). */
  disconnect(): Promise<void> {
    this.close(new SocketError('Client disconnected', { code: 499, type: 'disconnected' }))
    return Promise.resolve()
  }

  /** The connection state; `connection.state_changed` fires when it changes. */
  get readyState(): ConnectionState {
    return this.state
  }

  getConnectionState(): ConnectionState {
    return this.state
  }

  /** The socket is connected (the handshake may still be running). */
  isConnected(): boolean {
    return this.socket.connected
  }

  /** The handshake succeeded: sends go out at once instead of being buffered. */
  isInitialized(): boolean {
    return this.initialized
  }

  /** The underlying socket.io-client socket. */
  getConnection(): Socket {
    return this.socket
  }

  // -------------------------------------------------------------------------
  // State
  // -------------------------------------------------------------------------

  /** The answer of the latest handshake. */
  getConnectedData(): ConnectedData | null {
    return this.connectedData
  }

  getAccountStatus(): AccountStatus {
    return this.accountStatus
  }

  getAgents(): Agent[] {
    return this.agents
  }

  getAgent(id: string): Agent | null {
    return this.agents.find((agent) => agent.id === id) ?? null
  }

  getGroups(): Group[] {
    return this.groups
  }

  getGroup(key: string): Group | null {
    return this.groups.find((group) => group.key === key) ?? null
  }

  /** The agents assigned to the chat, kept current by `chat.agent_*` events. */
  getAssignedAgents(): Agent[] {
    return this.assignedIds.flatMap((id) => this.getAgent(id) ?? [])
  }

  getVisitorIdentity(): Visitor | null {
    return this.identity
  }

  getVisitorId(): string | null {
    return this.identity?.id ?? this.connectData.id ?? null
  }

  /**
   * The visitor to resume (e.g. an id saved by an earlier page view), sent with the next
   * handshake; null starts a new visitor.
   */
  setVisitorId(id: string | null): void {
    this.connectData.id = id
    if (this.identity && id) this.identity.id = id
  }

  // -------------------------------------------------------------------------
  // Requests (buffered until initialized)
  // -------------------------------------------------------------------------

  /** Sends a message; resolves with the stored Message. A `clientId` makes retries safe. */
  chatMessage(options: ChatMessageOptions): Promise<Message> {
    return this.request('chat.message', {
      ...options,
      clientId: options.clientId ?? createClientId(),
    })
  }

  /** Starts an upload: `{ url, token }` for the HTTP POST. */
  chatUploadInit(): Promise<ChatUploadInitResult> {
    return this.request('chat.upload_init', null)
  }

  /** Turns a finished HTTP upload into a message. */
  chatUploadFinish(uploadToken: string, clientId?: string): Promise<Message> {
    return this.request(
      'chat.upload_finish',
      clientId ? { uploadToken, clientId } : { uploadToken },
    )
  }

  /** Tells the agents whether the visitor is typing. */
  chatTyping(is: boolean, text: string | null = null): void {
    this.send('chat.typing', { typing: { is, text } })
  }

  /** Marks the chat read up to now. */
  chatRead(): void {
    this.send('chat.read', null)
  }

  chatClose(): Promise<void> {
    return this.request('chat.close', null)
  }

  /** Asks for the rating form; resolves with its system message. */
  chatRateInit(): Promise<ChatRateInitResult> {
    return this.request('chat.rate_init', null)
  }

  chatRate(options: ChatRateOptions): Promise<void> {
    return this.request('chat.rate', options)
  }

  /** Queues a transcript of the chat to `email`. */
  chatTranscript(email: string, lang: string): Promise<void> {
    return this.request('chat.transcript', { email, lang })
  }

  /** A page of older (`before`) or newer (`after`) messages, oldest first. */
  chatHistory(options: ChatHistoryOptions = {}): Promise<ChatHistoryResult> {
    return this.request('chat.history', options)
  }

  /** Changes name, email, lang, group or variables: merged locally, then `visitor.update`. */
  updateVisitorIdentity(values: VisitorUpdateValues): void {
    const target = (this.identity ?? this.connectData) as unknown as Record<string, unknown>
    for (const [key, value] of Object.entries(values)) {
      if (key !== 'properties') target[key] = value
    }
    this.send('visitor.update', { values })
  }

  /** Identity from the host site (see `AuthenticateValues.hash`). */
  authenticate(values: AuthenticateValues): Promise<AuthenticateResult> {
    return this.request('visitor.authenticate', { values })
  }

  /**
   * Uploads a file as a message: `chatUploadInit`, an HTTP multipart POST, `chatUploadFinish`.
   * Aborting `signal` rejects with an `AbortError` and sends nothing further.
   */
  async uploadFile(file: UploadFile, options: UploadOptions = {}): Promise<Message> {
    const token = await this.postUpload(file, options)
    if (options.signal?.aborted) throw abortError(options.signal)
    return this.chatUploadFinish(token, options.clientId)
  }

  /**
   * The first two steps of `uploadFile`: `chatUploadInit` and the HTTP POST. Resolves with the
   * upload token once the server has the bytes; `chatUploadFinish(token, clientId)` makes the
   * message (callers that keep an outbox store the token in between).
   */
  async postUpload(file: UploadFile, options: UploadOptions = {}): Promise<string> {
    const { signal } = options
    if (signal?.aborted) throw abortError(signal)
    const { url, token } = await this.chatUploadInit()
    if (signal?.aborted) throw abortError(signal)
    await postFile(this.resolveUrl(url), file, options)
    return token
  }

  // -------------------------------------------------------------------------
  // Sending
  // -------------------------------------------------------------------------

  private send<E extends keyof VisitorRequests>(event: E, data: VisitorRequests[E][0]): void {
    this.enqueue({ event, data })
  }

  private request<E extends keyof VisitorRequests>(
    event: E,
    data: VisitorRequests[E][0],
  ): Promise<Result<E>> {
    return new Promise<Result<E>>((resolve, reject) => {
      this.enqueue({ event, data, reply: { resolve: resolve as (value: unknown) => void, reject } })
    })
  }

  private enqueue(packet: Packet): void {
    this.queue.push(packet)
    this.flush()
  }

  /** Sends what was buffered, in order, while initialized. */
  private flush(): void {
    while (this.initialized && this.queue.length > 0) {
      this.emitPacket(this.queue.shift()!)
    }
  }

  private emitPacket(packet: Packet): void {
    const { event, data, reply } = packet
    if (!reply) {
      this.socket.emit(event, data)
      return
    }
    this.inFlight.add(packet)
    packet.timer = setTimeout(() => {
      if (this.inFlight.delete(packet)) reply.reject(timeoutError(event, this.requestTimeout))
    }, this.requestTimeout)
    this.socket.emit(event, data, (error: WireError | null, result?: unknown) => {
      if (!this.inFlight.delete(packet)) return
      clearTimeout(packet.timer)
      if (error) reply.reject(SocketError.from(error, event))
      else reply.resolve(result)
    })
  }

  /** After a lost connection: safe requests go back to the front of the queue, others reject. */
  private settleInFlight(): void {
    const resend: Packet[] = []
    for (const packet of this.inFlight) {
      clearTimeout(packet.timer)
      if (RESENDABLE.has(packet.event)) resend.push(packet)
      else
        packet.reply?.reject(
          new SocketError('Connection lost before the server answered', {
            code: 503,
            type: 'disconnected',
            event: packet.event,
          }),
        )
    }
    this.inFlight.clear()
    this.queue = [...resend, ...this.queue]
  }

  /** Rejects every buffered and unanswered request. */
  private failAll(error: SocketError): void {
    const packets = [...this.inFlight, ...this.queue]
    this.inFlight.clear()
    this.queue = []
    for (const packet of packets) {
      clearTimeout(packet.timer)
      packet.reply?.reject(
        new SocketError(error.message, { code: error.code, type: error.type, event: packet.event }),
      )
    }
  }

  /**
   * Tells the server the visitor's page when it differs from what it was last told. Before
   * initialization nothing is sent: the next handshake carries the page (and this runs again).
   */
  private sendPage(): void {
    if (!this.initialized || !this.pageEnv) return
    const page = currentPage(this.pageEnv)
    if (!page) return
    const sent = this.sentPage
    if (sent && sent.pageUrl === page.pageUrl && sent.pageTitle === page.pageTitle) return
    this.sentPage = page
    this.send('visitor.update', { values: page })
  }

  // -------------------------------------------------------------------------
  // Handshake and reconnects
  // -------------------------------------------------------------------------

  private onSocketConnect(): void {
    const generation = ++this.generation
    this.emit('connect')
    const event = 'visitor.connect'
    const timer = setTimeout(() => {
      if (generation === this.generation) {
        this.onHandshakeError(timeoutError(event, this.requestTimeout))
      }
    }, this.requestTimeout)
    this.socket.emit(
      event,
      this.connectPayload(),
      (error: WireError | null, data?: ConnectedData) => {
        clearTimeout(timer)
        if (generation !== this.generation) return
        if (error || !data) this.onHandshakeError(SocketError.from(error, event))
        else this.onInitialized(data)
      },
    )
  }

  /** ConnectOptions: page context, the options' data, then the identity the server gave us. */
  private connectPayload(): ConnectOptions {
    this.sentPage = this.pageEnv && currentPage(this.pageEnv)
    const payload: Record<string, unknown> = {
      ...pageContext(this.pageEnv),
      bundleVersion: BUNDLE_VERSION,
      ...this.connectData,
      id: this.connectData.id ?? null,
    }
    for (const [key, value] of Object.entries(this.identity ?? {})) {
      if (!READONLY_IDENTITY_KEYS.has(key) && value != null) payload[key] = value
    }
    return payload as unknown as ConnectOptions
  }

  private onInitialized(data: ConnectedData): void {
    this.connectedData = data
    this.identity = { ...data.visitor }
    this.accountStatus = data.account.status
    this.agents = data.account.agents.map((agent) => ({ ...agent }))
    this.groups = data.account.groups.map((group) => ({ ...group }))
    this.assignedIds = [...(data.chat?.assignedIds ?? [])]
    this.initialized = true
    this.everInitialized = true
    this.reconnectAttempt = 0
    this.setState('initialized')
    this.flush()
    this.sendPage() // a navigation while the handshake ran
    this.emit('initialized', data)
    const waiters = this.waiters
    this.waiters = []
    for (const waiter of waiters) waiter.resolve(data)
  }

  /**
   * A refused handshake (unknown key, banned, invalid data) is final: reject and close, do not
   * loop. A timeout or a server error is retried like a lost connection.
   */
  private onHandshakeError(error: SocketError): void {
    const transient =
      error.type === 'timeout' || error.type === 'rate_limited' || (error.code ?? 500) >= 500
    if (transient) {
      this.emit('error', error)
      this.socket.disconnect() // → onSocketDisconnect → scheduleReconnect
      return
    }
    if (this.waiters.length === 0) this.emit('error', error)
    this.close(error)
  }

  private onSocketDisconnect(reason: string): void {
    this.generation++
    this.initialized = false
    this.settleInFlight()
    this.emit('disconnect', reason)
    if (this.closed) return
    this.setState(this.everInitialized ? 'reconnecting' : 'connecting')
    // The Manager reconnects after a lost transport by itself; not after the server (or we,
    // after a failed handshake) closed the socket. Then `socket.active` is false.
    if (!this.socket.active) this.scheduleReconnect()
  }

  private onConnectError(error: Error & { data?: Partial<WireError> }): void {
    if (this.socket.active) return // the Manager retries with backoff
    // The server refused the socket itself (a middleware): final, like a refused handshake.
    const socketError = SocketError.from(
      { message: error.message, ...error.data },
      'visitor.connect',
    )
    if (this.waiters.length === 0) this.emit('error', socketError)
    this.close(socketError)
  }

  private scheduleReconnect(): void {
    const manager = this.socket.io
    if (this.reconnectTimer || !manager.reconnection()) return
    const delay = backoffDelay(this.reconnectAttempt++, {
      min: manager.reconnectionDelay(),
      max: manager.reconnectionDelayMax(),
      jitter: manager.randomizationFactor(),
    })
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined
      if (!this.closed) this.socket.connect()
    }, delay)
  }

  /** Stops for good (until `connect()`): rejects waiters and requests with `error`. */
  private close(error: SocketError): void {
    this.closed = true
    this.pageTracker?.stop()
    clearTimeout(this.reconnectTimer)
    this.reconnectTimer = undefined
    this.socket.disconnect()
    this.initialized = false
    this.setState('disconnected')
    this.failAll(error)
    const waiters = this.waiters
    this.waiters = []
    for (const waiter of waiters) waiter.reject(error)
  }

  private setState(state: ConnectionState): void {
    const previous = this.state
    if (previous === state) return
    this.state = state
    this.emit('connection.state_changed', state, previous)
  }

  // -------------------------------------------------------------------------
  // Server events
  // -------------------------------------------------------------------------

  private listen(): void {
    this.socket.on('connect', () => this.onSocketConnect())
    this.socket.on('disconnect', (reason) => this.onSocketDisconnect(reason))
    this.socket.on('connect_error', (error) => this.onConnectError(error))

    for (const event of PASS_THROUGH_EVENTS) {
      this.on_(event, (data) => this.emit(event, data as never))
    }
    this.on_('server.error', (data) => this.emit('error', SocketError.from(data)))
    this.on_('account.updated', (data) => {
      if (data.status) {
        this.accountStatus = data.status
        this.emit('account.status_updated', data.status)
      }
      this.emit('account.updated', data)
    })
    this.on_('agent.updated', (data) => {
      const agent = this.getAgent(data.id)
      if (agent) Object.assign(agent, data.changes)
      this.syncGroups()
      this.emit('agent.updated', data)
    })
    this.on_('agent.removed', (data) => {
      this.agents = this.agents.filter((agent) => agent.id !== data.id)
      this.assignedIds = this.assignedIds.filter((id) => id !== data.id)
      this.syncGroups()
      this.emit('agent.removed', data)
    })
    this.on_('visitor.updated', (data) => {
      const changes: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(data.changes)) {
        if (IDENTITY_KEYS.has(key)) changes[key] = value
      }
      if (Object.keys(changes).length === 0) return
      if (this.identity) Object.assign(this.identity, changes)
      this.emit('visitor.updated', changes as Partial<Visitor>)
    })
    this.on_('chat.message_received', (data) => {
      if (this.identity && !this.identity.chatId) this.identity.chatId = data.chatId
    })
    this.on_('chat.deleted', () => {
      if (this.identity) this.identity.chatId = null
      this.assignedIds = []
    })
    this.on_('chat.agent_joined', (data) => {
      this.assign(data.agent.id)
      this.emit('chat.agent_joined', data)
    })
    this.on_('chat.agent_left', (data) => {
      this.unassign(data.agent.id)
      this.emit('chat.agent_left', data)
    })
    this.on_('chat.agent_assigned', (data) => {
      this.assign(data.assigned.id)
      this.emit('chat.agent_assigned', data)
    })
    this.on_('chat.agent_unassigned', (data) => {
      this.unassign(data.unassigned.id)
      this.emit('chat.agent_unassigned', data)
    })
  }

  /** A typed `socket.on` for server → visitor events. */
  private on_<K extends keyof VisitorEvents>(
    event: K,
    handler: (data: VisitorEvents[K]) => void,
  ): void {
    this.socket.on(event as string, handler as (data: unknown) => void)
  }

  private assign(agentId: string): void {
    if (!this.assignedIds.includes(agentId)) this.assignedIds.push(agentId)
  }

  private unassign(agentId: string): void {
    this.assignedIds = this.assignedIds.filter((id) => id !== agentId)
  }

  /** A group is online when one of its agents (or an agent of every group) is. */
  private syncGroups(): void {
    for (const group of this.groups) {
      const online = this.agents.some(
        (agent) =>
          agent.status === 'online' &&
          (agent.groups.length === 0 || agent.groups.includes(group.key)),
      )
      const status: AccountStatus = online ? 'online' : 'offline'
      if (group.status !== status) {
        group.status = status
        this.emit('group.updated', group)
      }
    }
  }

  /** Upload URLs may be relative to the chat server. */
  private resolveUrl(url: string): string {
    const base =
      this.baseUrl ?? (typeof location === 'undefined' ? undefined : location.href) ?? undefined
    return base ? new URL(url, base).toString() : url
  }
}

/** Creates a client; call `connect()` to open it. */
export function createVisitorClient(options: VisitorClientOptions): VisitorClient {
  return new VisitorClient(options)
}

function timeoutError(event: string, ms: number): SocketError {
  return new SocketError(`No answer to ${event} within ${ms} ms`, {
    code: 408,
    type: 'timeout',
    event,
  })
}

/** What the official client sends about the page, in browsers. */
function pageContext(env: PageEnvironment | null): Partial<ConnectOptions> {
  if (!env) return {}
  return {
    pageUrl: env.location.href,
    pageTitle: env.document.title,
    referer: env.document.referrer || null,
    domain: env.location.hostname ?? null,
  }
}
