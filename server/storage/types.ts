/**
 * The storage boundary. Async on purpose: SQLite answers synchronously today, a
 * PostgreSQL implementation joins later and must pass the same suite
 * (`test/server/storage.test.ts`). Records are plain data; wire shapes are built
 * from them in `server/views.ts`.
 */
import type {
  ChatHistoryResult,
  ChatStatus,
  Message,
  Properties,
  Rating,
} from '../../src/protocol.ts'

export interface AccountRecord {
  id: string
  /** The public site key visitors connect with. */
  key: string
  name: string
  /** Signs `visitor.authenticate` hashes (HMAC-SHA256 of the email). */
  secret: string
  /** Origins allowed to open visitor sockets for this account (rules: server/origins.ts). */
  allowedOrigins: string[]
  createdAt: string
}

export interface AgentRecord {
  id: string
  accountId: string
  /** Bearer token of the agent console handshake. */
  token: string
  nickname: string
  fullname: string
  description: string
  avatar: string
  groups: string[]
}

export interface VisitorRecord {
  id: string
  accountId: string
  /** The visitor's latest chat (open or closed); null before the first message. */
  chatId: string | null
  name: string | null
  email: string | null
  phone: string | null
  lang: string | null
  group: string | null
  bannedAt: string | null
  visits: number
  /** Host-site variables; never contains `authenticated` (that is the flag below). */
  variables: Properties
  /** Set by `visitor.authenticate` with a valid HMAC. */
  authenticated: boolean
  /** The page the visitor is on now (an http(s) URL), from `visitor.connect` or `visitor.update`. */
  pageUrl?: string | null
  pageTitle?: string | null
  /** When the visitor arrived on that page. */
  pageAt?: string | null
  /** The referrer of the latest `visitor.connect` (the page that linked to the site). */
  referer?: string | null
  createdAt: string
  updatedAt: string
}

export type VisitorChanges = Partial<
  Pick<
    VisitorRecord,
    | 'name'
    | 'email'
    | 'phone'
    | 'lang'
    | 'group'
    | 'visits'
    | 'variables'
    | 'authenticated'
    | 'pageUrl'
    | 'pageTitle'
    | 'pageAt'
    | 'referer'
  >
>

export interface ChatRecord {
  id: string
  accountId: string
  visitorId: string
  status: ChatStatus
  assignedIds: string[]
  rating: Rating | null
  visitorLastReadAt: string | null
  agentLastReadAt: string | null
  /** Agent messages after the visitor's read mark. */
  unreadByVisitor: number
  /** Visitor messages after the agents' read mark. */
  unreadByAgent: number
  lastMessage: Message | null
  /** Some message of the chat was sent with `isOffline` (no agent was online). */
  hasOfflineMessage: boolean
  createdAt: string
  updatedAt: string
}

export type ChatChanges = Partial<Pick<ChatRecord, 'status' | 'assignedIds' | 'rating'>>

export type ReadSide = 'visitor' | 'agent'

export interface MessagePage {
  before?: string
  after?: string
  limit: number
}

/** A stored upload: created by `chat.upload_init`, filled by the HTTP POST, used once by `upload_finish`. */
export interface UploadRecord {
  token: string
  accountId: string
  /** The visitor who uploads, or whose chat an agent uploads into. */
  visitorId: string
  /** Set for an agent's upload: only that agent may finish it. */
  agentId?: string | null
  /** Set for an agent's upload: it may only be finished into this chat. */
  chatId?: string | null
  expiresAt: string
  state: 'pending' | 'uploaded' | 'used'
  file: StoredFile | null
}

export interface StoredFile {
  /** Unguessable; part of the download URL and the file name on disk. */
  id: string
  name: string
  /** The sniffed MIME type. */
  type: string
  size: number
  /** Oriented size for images sharp could decode, else null. */
  width: number | null
  height: number | null
  /** The ≤400 px thumbnail beside the file (`<id>.thumb`), for decodable images. */
  thumb?: StoredThumb | null
}

export interface StoredThumb {
  width: number
  height: number
  /** `image/jpeg` or `image/webp`. */
  type: string
}

export interface TranscriptRequest {
  id: string
  chatId: string
  visitorId: string
  email: string
  lang: string
  createdAt: string
}

/** What `addMessage` answers. */
export interface Appended {
  /** The stored message, with its `seq`; a repeated clientId's first message. */
  message: Message
  /** False when a repeated clientId found the message already stored. */
  created: boolean
  /**
   * The chat as stored right after this append, where the storage has it without another
   * read (SQLite); absent otherwise, and when nothing was appended.
   */
  chat?: ChatRecord
  /**
   * The chat's visitor as stored at the append, when asked for (`withVisitor`) and the
   * storage reads it for less than a read of its own (SQLite: in the append's transaction).
   */
  visitor?: VisitorRecord
}

export interface AppendOptions {
  /** Answer the chat's visitor too (`Appended.visitor`), where that is cheaper than `getVisitor`. */
  withVisitor?: boolean
}

export interface Storage {
  /** Cheap round trip for `/healthz`. */
  ping(): Promise<void>
  close(): Promise<void>

  /** Insert or update by id. */
  saveAccount(account: AccountRecord): Promise<void>
  getAccount(id: string): Promise<AccountRecord | null>
  getAccountByKey(key: string): Promise<AccountRecord | null>
  /** Every account (the handshake's origin check reads their allowed origins). */
  listAccounts(): Promise<AccountRecord[]>

  /** Insert or update by id. */
  saveAgent(agent: AgentRecord): Promise<void>
  getAgent(id: string): Promise<AgentRecord | null>
  /** Agents of one account, or of every account when `accountId` is omitted. */
  listAgents(accountId?: string): Promise<AgentRecord[]>

  createVisitor(visitor: VisitorRecord): Promise<void>
  getVisitor(id: string): Promise<VisitorRecord | null>
  updateVisitor(id: string, changes: VisitorChanges, at: string): Promise<VisitorRecord>

  /**
   * The visitor's chat if it is not closed, else a new pending chat with `newId`
   * that becomes the visitor's `chatId`. Atomic, so two tabs cannot open two chats.
   */
  ensureOpenChat(
    visitorId: string,
    newId: string,
    at: string,
  ): Promise<{ chat: ChatRecord; created: boolean }>
  getChat(id: string): Promise<ChatRecord | null>
  /** Most recently active first. */
  listChats(
    accountId: string,
    query: { statuses: ChatStatus[]; limit: number },
  ): Promise<ChatRecord[]>
  updateChat(id: string, changes: ChatChanges, at: string): Promise<ChatRecord>
  /** Moves one side's read mark to `at` and past every message stored so far. */
  markRead(chatId: string, side: ReadSide, at: string): Promise<ChatRecord>
  /**
   * Deletes a chat for good, in one transaction: its messages, its transcript requests,
   * the uploads bound to it (an agent's) or shown in its messages (their attachments), and
   * the visitor's pointer to it (`chatId` becomes null, so the next message opens a new
   * chat). Answers the ids of the deleted files, whose blobs the caller removes; null when
   * there is no such chat.
   */
  deleteChat(id: string): Promise<{ fileIds: string[] } | null>

  /**
   * Appends a message to its chat with the next sequence number. With a `clientId`,
   * a second call by the same author returns the first message (`created: false`);
   * the unique (author, clientId) index decides between concurrent calls.
   */
  addMessage(
    message: Message,
    dedupe?: { authorId: string; clientId: string },
    options?: AppendOptions,
  ): Promise<Appended>
  /**
   * True when appends are stored in the order `addMessage` was called, even while earlier
   * ones are still waiting for their commit (SQLite's group commit): a caller may start its
   * next append without waiting. False or absent: only an awaited append is ordered.
   */
  readonly appendsInCallOrder?: boolean
  findMessageByClientId(authorId: string, clientId: string): Promise<Message | null>
  getMessage(id: string): Promise<Message | null>
  /** Replaces a stored message's body (keeps its place in the order). */
  updateMessage(message: Message): Promise<void>
  /**
   * A page of a chat, oldest first. No cursor: the newest `limit`. `before`: older than
   * that message; `after`: newer than it (oldest first from there). `hasMore` tells whether
   * more exist beyond the page in the direction of paging. Unknown cursor: null.
   */
  listMessages(chatId: string, page: MessagePage): Promise<ChatHistoryResult | null>

  createUpload(upload: UploadRecord): Promise<void>
  getUpload(token: string): Promise<UploadRecord | null>
  /** pending → uploaded with the file; false when the token is not pending any more. */
  attachFile(token: string, file: StoredFile): Promise<boolean>
  /** uploaded → used; the record, or null when it was not in state `uploaded`. */
  consumeUpload(token: string): Promise<UploadRecord | null>
  /** A file by its id, once it was uploaded. */
  getFile(id: string): Promise<StoredFile | null>

  addTranscriptRequest(request: TranscriptRequest): Promise<void>
  listTranscriptRequests(chatId: string): Promise<TranscriptRequest[]>
}
