/**
 * The wire contract between the Web SDK, the agent console and the reference server.
 *
 * One source of truth: `src/` (the SDK), `server/` and the console import these types;
 * nothing here runs code except the constants. The visitor side follows the public
 * `smartsupp-websocket@1.2.2` protocol; see `docs/PROTOCOL.md` for the prose version.
 */

// ---------------------------------------------------------------------------
// Shared building blocks
// ---------------------------------------------------------------------------

/** Bumped when the wire format changes in a way clients must know about. */
export const SERVER_VERSION = 1

/** Default HTTP path of the Socket.IO endpoint. */
export const DEFAULT_SOCKET_PATH = '/socket'

/** Namespace that agents (the console) connect to. */
export const AGENT_NAMESPACE = '/agent'

export type AccountStatus = 'online' | 'offline'
export type AgentStatus = 'online' | 'offline'
export type ChatStatus = 'pending' | 'open' | 'closed'
export type ReadType = 'agent' | 'visitor'

export type Properties = Record<string, string | number | boolean>

export interface Visitor {
  id: string
  chatId: string | null
  lang: string | null
  name: string | null
  email: string | null
  phone: string | null
  bannedAt: string | null
  group: string | null
  visits: number
  variables: Properties
}

export interface Agent {
  id: string
  status: AgentStatus
  groups: string[]
  nickname: string
  fullname: string
  description: string
  avatar: string
}

export interface Group {
  key: string
  name: string
  status: AccountStatus
}

export interface Rating {
  value: number
  text: string | null
}

export interface Thumb {
  url: string
  expireAt: string
  width: number
  height: number
}

export interface Attachment {
  type: 'image' | 'file'
  fileName: string
  fileType: string
  url: string
  expireAt: string
  size: number
  width: number | null
  height: number | null
  thumb400?: Thumb
}

export type MessageType = 'message' | 'event'
/** `contact` is the visitor. */
export type MessageSubType = 'agent' | 'contact' | 'trigger' | 'system'

/** Message content types (`type: 'message'`). */
export type MessageContentType = 'text' | 'upload' | 'rate_form'
/**
 * Event content types (`type: 'event'`), each with its `content.data` (agent ids):
 * `agent_join` / `agent_leave` `{ agentId }`, `agent_assign` `{ assigned, assignedBy }`,
 * `agent_unassign` `{ unassigned, unassignedBy }`, `chat_close` `{ closeType }`.
 */
export type EventContentType =
  | 'agent_join'
  | 'agent_leave'
  | 'agent_assign'
  | 'agent_unassign'
  | 'chat_close'

export interface MessageContent {
  type: MessageContentType | EventContentType | (string & {})
  text: string | null
  // biome-ignore lint/suspicious/noExplicitAny: the wire format leaves `data` open per content type
  data: any | null
}

export interface Message {
  /** Server-assigned, unique: the dedupe key everywhere. */
  id: string
  type: MessageType
  subType: MessageSubType
  channel: { type: string; id: string | null }
  chatId: string
  groupId: string | null
  visitorId: string
  agentId: string | null
  trigger: { id: string; name: string } | null
  /** ISO 8601. Not enough to order two messages of one millisecond: use the list order. */
  createdAt: string
  content: MessageContent
  tags: string[] | null
  responseTime: number | null
  attachments: Attachment[]
  /**
   * Extension: the `clientId` the visitor sent with `chat.message`, echoed on the visitor's own
   * messages so a client can match the echo to its pending copy even before the ack arrives.
   */
  clientId?: string | null
  /** Extension: a message the visitor left while no agent was online (`isOffline` on send). */
  isOffline?: boolean
  /**
   * Extension: the message's place in its chat (1, 2, 3…), assigned by the server. Orders two
   * messages of the same millisecond, which `createdAt` cannot.
   */
  seq?: number
}

export interface ReadInfo {
  type: ReadType
  lastReadAt: string | null
}

export interface UnreadInfo {
  type: ReadType
  count: number
  lastReadAt: string | null
}

export interface ChatInfo {
  id: string
  assignedIds: string[] | null
  rating: Rating | null
  status: ChatStatus
  readInfo: ReadInfo
  unreadInfo: UnreadInfo
  /** Extension: the newest page only (oldest first); older ones via `chat.history`. */
  messages: Message[]
}

export interface BrowserInfo {
  isMobile: boolean
  isTablet: boolean
  isDesktop: boolean
  isSmartTV: boolean
  isIE: boolean
  isEdge: boolean
}

/** Error shape of a failed ack and of `server.error`. */
export interface WireError {
  message: string
  code?: number
  type?: string
  event?: string
}

/** Node-style acknowledgement: `ack(null, result)` or `ack(error)`. */
export type Ack<T> = (error: WireError | null, result?: T) => void

/** Well-known error types used in `WireError.type`. */
export type ErrorType =
  | 'auth_error'
  | 'not_found'
  | 'validation_error'
  | 'conflict'
  | 'rate_limited'
  | 'too_large'
  | 'server_error'

// ---------------------------------------------------------------------------
// Visitor side
// ---------------------------------------------------------------------------

export interface ConnectOptions {
  id: string | null
  key: string
  group?: string | null
  name?: string | null
  email?: string | null
  phone?: string | null
  lang?: string | null
  referer?: string | null
  domain?: string | null
  pageUrl?: string | null
  pageTitle?: string | null
  bundleVersion?: string
  visits?: number
  createdAt?: number
  variables?: Properties
  properties?: Properties
}

export interface AccountInfo {
  status: AccountStatus
  agents: Agent[]
  groups: Group[]
}

/**
 * Extension: what the server allows for uploads, so a client can refuse a file
 * before sending it.
 */
export interface UploadLimits {
  maxSize: number
  /** MIME types or `type/*` wildcards. */
  acceptedTypes: string[]
}

export interface ConnectedData {
  serverVersion: number
  visitor: Visitor
  browser: BrowserInfo | null
  account: AccountInfo
  /** null until the visitor's first message. */
  chat: ChatInfo | null
  /** Extension. */
  uploads?: UploadLimits
  /** Extension: the longest text `chat.message` takes, in UTF-16 code units (`string.length`). */
  maxTextLength?: number
}

export interface VisitorUpdateValues {
  name?: string | null
  email?: string | null
  phone?: string | null
  lang?: string | null
  group?: string | null
  variables?: Properties
  properties?: Properties
  /**
   * Extension: the page the visitor is on now (a single-page app navigated). An http(s) URL of
   * at most 2000 characters; `pageTitle` at most 500. Sent with `pageTitle` by the SDK.
   */
  pageUrl?: string | null
  pageTitle?: string | null
}

export interface AuthenticateValues {
  email?: string | null
  name?: string | null
  phone?: string | null
  /** Extension: HMAC-SHA256 of the email with the account secret, computed by the host site. */
  hash?: string
}

export interface AuthenticateResult {
  email: string | null
  name?: string | null
  phone?: string | null
  group?: string | null
  variables: Properties & { authenticated: boolean }
}

export interface TextContentInput {
  type: 'text'
  text: string
}

export interface ChatMessageOptions {
  content: TextContentInput
  type?: 'contact' | 'bot'
  isOffline?: boolean
  preventOpenChat?: boolean
  /** Extension: a client-generated id; a retry with the same id returns the stored Message. */
  clientId?: string
}

export interface TypingState {
  is: boolean
  text: string | null
}

export interface ChatUploadInitResult {
  url: string
  token: string
}

export interface ChatRateInitResult {
  message: Message
}

export interface ChatRateOptions {
  messageId: string
  value?: number
  text?: string
}

export interface ChatHistoryOptions {
  /** Message id: return messages strictly older than this one. */
  before?: string
  /** Extension of the extension: messages strictly newer than this id (reconnect catch-up). */
  after?: string
  limit?: number
}

export interface ChatHistoryResult {
  /** Oldest first. */
  messages: Message[]
  hasMore: boolean
}

/** Visitor → server: event name → [payload, ack result] (`undefined` result: no ack or a bare ok). */
export interface VisitorRequests {
  'visitor.connect': [ConnectOptions, ConnectedData]
  'visitor.update': [{ values: VisitorUpdateValues }, undefined]
  'visitor.authenticate': [{ values: AuthenticateValues }, AuthenticateResult]
  'chat.message': [ChatMessageOptions, Message]
  'chat.typing': [{ typing: TypingState }, undefined]
  'chat.read': [null, undefined]
  'chat.close': [null, undefined]
  'chat.upload_init': [null, ChatUploadInitResult]
  /** Extension `clientId`: as for `chat.message`, a retry returns the stored Message. */
  'chat.upload_finish': [{ uploadToken: string; clientId?: string }, Message]
  'chat.transcript': [{ email: string; lang: string }, undefined]
  'chat.rate_init': [null, ChatRateInitResult]
  'chat.rate': [ChatRateOptions, undefined]
  'chat.history': [ChatHistoryOptions, ChatHistoryResult]
}

export interface ChatReadEvent {
  chatId: string
  lastReadAt: string
  byId: string | null
}

/** Server → visitor events and their payloads. */
export interface VisitorEvents {
  'account.updated': { status?: AccountStatus }
  'agent.updated': { id: string; changes: Partial<Agent> }
  'agent.removed': { id: string }
  'visitor.updated': { id: string; changes: Partial<Visitor> }
  'chat.message_received': { chatId: string; message: Message }
  'chat.agent_typing': { chatId: string; typing: TypingState }
  'chat.contact_read': ChatReadEvent
  'chat.agent_read': ChatReadEvent
  'chat.agent_joined': { chatId: string; agent: Agent; message: Message }
  'chat.agent_left': { chatId: string; agent: Agent; message: Message }
  'chat.agent_assigned': { chatId: string; assigned: Agent; assignedBy: Agent; message: Message }
  'chat.agent_unassigned': {
    chatId: string
    unassigned: Agent
    unassignedBy: Agent
    message: Message
  }
  'chat.closed': { chatId: string; closeType: string | null; message: Message }
  'chat.rated': { chatId: string; rating: Rating; message: Message }
  'chat.deleted': { chatId: string }
  'server.error': WireError
}

// ---------------------------------------------------------------------------
// Agent side (our own; see docs/AGENT-PROTOCOL.md)
// ---------------------------------------------------------------------------

/** Handshake `auth` of the agent namespace. */
export interface AgentAuth {
  token: string
}

/** Where a visitor is: the page of their latest `visitor.connect` or `visitor.update`. */
export interface VisitorPage {
  /** An http(s) URL. */
  url: string
  title: string | null
  /** When the visitor arrived on it (ISO 8601). */
  at: string
}

/** The visitor as agents see them: the visitor's own fields and where they are. */
export interface AgentVisitor extends Visitor {
  /** The page the visitor is on now; null when unknown. */
  page?: VisitorPage | null
  /** The page that linked to the site (the referrer of their latest page load). */
  referer?: string | null
}

/** A chat as the console lists it. */
export interface AgentChat {
  id: string
  status: ChatStatus
  visitor: AgentVisitor
  assignedIds: string[]
  rating: Rating | null
  lastMessage: Message | null
  /** Visitor messages newer than the agents' last read mark. */
  unreadCount: number
  /** The chat holds a message the visitor left while no agent was online (`isOffline`). */
  hasOfflineMessage: boolean
  /** When the visitor last read the chat. */
  visitorLastReadAt: string | null
  /** When an agent last read the chat. */
  agentLastReadAt: string | null
  createdAt: string
  updatedAt: string
}

export interface AgentConnectedData {
  serverVersion: number
  agent: Agent
  account: { key: string; name: string; status: AccountStatus }
  agents: Agent[]
  /** Open and pending chats, most recently active first. */
  chats: AgentChat[]
  /** The longest text `chat.message` takes, in UTF-16 code units (`string.length`). */
  maxTextLength: number
}

/** Agent → server: event name → [payload, ack result]. */
export interface AgentRequests {
  'agent.connect': [null, AgentConnectedData]
  'agent.status': [{ status: AgentStatus }, undefined]
  'chats.list': [{ status?: ChatStatus | 'all'; limit?: number }, { chats: AgentChat[] }]
  'chat.history': [{ chatId: string } & ChatHistoryOptions, ChatHistoryResult]
  'chat.message': [{ chatId: string; content: TextContentInput; clientId?: string }, Message]
  'chat.typing': [{ chatId: string; typing: TypingState }, undefined]
  'chat.read': [{ chatId: string }, undefined]
  'chat.join': [{ chatId: string }, undefined]
  'chat.leave': [{ chatId: string }, undefined]
  /** Assigns the chat to an agent of the same account (a colleague, or oneself). */
  'chat.assign': [{ chatId: string; agentId: string }, undefined]
  'chat.unassign': [{ chatId: string; agentId: string }, undefined]
  'chat.close': [{ chatId: string }, undefined]
  /** Deletes the chat, its messages and its files for good. */
  'chat.delete': [{ chatId: string }, undefined]
  /** An agent uploads a file into a chat: init → HTTP POST → finish, as on the visitor side. */
  'chat.upload_init': [{ chatId: string }, ChatUploadInitResult]
  'chat.upload_finish': [{ chatId: string; uploadToken: string }, Message]
}

/** Server → agent events and their payloads. */
export interface AgentEvents {
  /** A new message, with the agents' row of its chat as it is after it (new chats too). */
  'chat.message_received': { chatId: string; message: Message; chat: AgentChat }
  /** A chat changed without a new message (read marks, rating, visitor identity or page). */
  'chat.updated': { chat: AgentChat }
  'chat.visitor_typing': { chatId: string; visitorId: string; typing: TypingState }
  'chat.agent_typing': { chatId: string; agentId: string; typing: TypingState }
  'chat.contact_read': ChatReadEvent
  'chat.agent_read': ChatReadEvent
  'chat.closed': { chatId: string; closeType: string | null; message: Message }
  'chat.rated': { chatId: string; rating: Rating; message: Message }
  /** A chat was deleted: drop it (its history is gone). */
  'chat.deleted': { chatId: string }
  'agent.updated': { id: string; changes: Partial<Agent> }
  'account.updated': { status?: AccountStatus }
  'server.error': WireError
}
