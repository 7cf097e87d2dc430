/**
 * SQLite storage (better-sqlite3). One file `DATA_DIR/chat.db` in WAL mode, or
 * `:memory:` for tests. The schema grows by numbered migrations tracked in
 * `PRAGMA user_version`; never edit a shipped migration, add the next one.
 * better-sqlite3 is synchronous, so every method is atomic on its own.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { ChatHistoryResult, ChatStatus, Message } from '../../src/protocol.ts'
import { attachedFileIds } from '../messages.ts'
import { type Checkpointer, startCheckpointer } from './checkpointer.ts'
import { type Row, toAccount, toAgent, toChat, toUpload, toVisitor } from './rows.ts'
import type {
  AccountRecord,
  AgentRecord,
  Appended,
  AppendOptions,
  ChatChanges,
  ChatRecord,
  MessagePage,
  ReadSide,
  Storage,
  StoredFile,
  TranscriptRequest,
  UploadRecord,
  VisitorChanges,
  VisitorRecord,
} from './types.ts'

const MIGRATIONS: string[] = [
  // 1: the first schema
  `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, secret TEXT NOT NULL,
    allowed_origins TEXT NOT NULL, created_at TEXT NOT NULL
  );
  CREATE TABLE agents (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id), token TEXT NOT NULL,
    nickname TEXT NOT NULL, fullname TEXT NOT NULL, description TEXT NOT NULL,
    avatar TEXT NOT NULL, groups TEXT NOT NULL
  );
  CREATE INDEX agents_account ON agents(account_id);
  CREATE TABLE visitors (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id), chat_id TEXT,
    name TEXT, email TEXT, phone TEXT, lang TEXT, grp TEXT, banned_at TEXT,
    visits INTEGER NOT NULL, variables TEXT NOT NULL, authenticated INTEGER NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
  );
  CREATE TABLE chats (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, visitor_id TEXT NOT NULL REFERENCES visitors(id),
    status TEXT NOT NULL, assigned_ids TEXT NOT NULL, rating TEXT,
    visitor_read_at TEXT, visitor_read_seq INTEGER NOT NULL DEFAULT 0,
    agent_read_at TEXT, agent_read_seq INTEGER NOT NULL DEFAULT 0,
    last_seq INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
  );
  CREATE INDEX chats_account ON chats(account_id, status, updated_at);
  CREATE TABLE messages (
    id TEXT PRIMARY KEY, chat_id TEXT NOT NULL REFERENCES chats(id), seq INTEGER NOT NULL,
    type TEXT NOT NULL, sub_type TEXT NOT NULL, author_id TEXT, client_id TEXT,
    body TEXT NOT NULL,
    UNIQUE (chat_id, seq), UNIQUE (author_id, client_id)
  );
  CREATE TABLE uploads (
    token TEXT PRIMARY KEY, account_id TEXT NOT NULL, visitor_id TEXT NOT NULL,
    expires_at TEXT NOT NULL, state TEXT NOT NULL, file_id TEXT UNIQUE, file TEXT
  );
  CREATE TABLE transcripts (
    id TEXT PRIMARY KEY, chat_id TEXT NOT NULL, visitor_id TEXT NOT NULL,
    email TEXT NOT NULL, lang TEXT NOT NULL, created_at TEXT NOT NULL
  );
  `,
  // 2: agent uploads are bound to an agent and a chat
  `
  ALTER TABLE uploads ADD COLUMN agent_id TEXT;
  ALTER TABLE uploads ADD COLUMN chat_id TEXT;
  `,
  // 3: where the visitor is (live page of a single-page app) and where they came from
  `
  ALTER TABLE visitors ADD COLUMN page_url TEXT;
  ALTER TABLE visitors ADD COLUMN page_title TEXT;
  ALTER TABLE visitors ADD COLUMN page_at TEXT;
  ALTER TABLE visitors ADD COLUMN referer TEXT;
  `,
  // 4: what a chat shows in lists is kept on its row, updated by each append and read mark,
  // instead of counted over its messages on every read (that grew with the chat).
  `
  ALTER TABLE chats ADD COLUMN unread_by_visitor INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE chats ADD COLUMN unread_by_agent INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE chats ADD COLUMN last_body TEXT;
  ALTER TABLE chats ADD COLUMN has_offline INTEGER NOT NULL DEFAULT 0;
  UPDATE chats SET
    unread_by_visitor = (SELECT count(*) FROM messages m WHERE m.chat_id = chats.id
      AND m.type = 'message' AND m.sub_type = 'agent' AND m.seq > chats.visitor_read_seq),
    unread_by_agent = (SELECT count(*) FROM messages m WHERE m.chat_id = chats.id
      AND m.type = 'message' AND m.sub_type = 'contact' AND m.seq > chats.agent_read_seq),
    last_body = (SELECT body FROM messages m WHERE m.chat_id = chats.id ORDER BY m.seq DESC LIMIT 1),
    has_offline = EXISTS (SELECT 1 FROM messages m WHERE m.chat_id = chats.id
      AND m.sub_type = 'contact' AND json_extract(m.body, '$.isOffline') = 1);
  `,
]

/** Unread counters, the last message and the offline flag are columns (migration 4). */
const CHAT_SELECT = 'SELECT c.* FROM chats c'

/** A chat's columns but its last message (an append knows that one already). */
const CHAT_COLUMNS_BUT_LAST = `id, account_id, visitor_id, status, assigned_ids, rating,
  visitor_read_at, visitor_read_seq, agent_read_at, agent_read_seq, last_seq, created_at,
  updated_at, unread_by_visitor, unread_by_agent, has_offline`

/** Opens (and migrates) the database: a file in `dataDir`, or in memory. */
export function openSqliteStorage(options: {
  dataDir?: string
  inMemory?: boolean
  /** `PRAGMA synchronous` (default `normal`): see docs/STORAGE.md, "Durability". */
  sync?: 'normal' | 'full'
}): SqliteStorage {
  let file = ':memory:'
  if (!options.inMemory) {
    if (!options.dataDir) throw new Error('dataDir is required for a file database')
    mkdirSync(options.dataDir, { recursive: true })
    file = join(options.dataDir, 'chat.db')
  }
  return new SqliteStorage(new Database(file), options.sync ?? 'normal')
}

export class SqliteStorage implements Storage {
  private readonly statements = new Map<string, Database.Statement>()

  constructor(
    private readonly db: Database.Database,
    sync: 'normal' | 'full' = 'normal',
  ) {
    db.pragma('journal_mode = WAL')
    // In WAL mode a COMMIT is in the log file before it returns either way; `full` also
    // waits for the disk (fsync) on every commit, `normal` only at checkpoints.
    db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`)
    db.pragma('foreign_keys = ON')
    this.migrate()
    if (!db.memory) {
      // Checkpoints move to a worker (server/storage/checkpointer.ts); should it die,
      // this connection takes them back (SQLite's default: at 1000 pages of log).
      db.pragma('wal_autocheckpoint = 0')
      this.checkpointer = startCheckpointer(db.name, () => {
        if (db.open) db.pragma('wal_autocheckpoint = 1000')
      })
    }
  }

  private readonly checkpointer: Checkpointer | null = null

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number
    for (let i = version; i < MIGRATIONS.length; i++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[i]!)
        this.db.pragma(`user_version = ${i + 1}`)
      })()
    }
  }

  /**
   * Prepared once per SQL text: preparing costs more than running a lookup by key. The
   * texts are constants of this file (plus the few column sets of the update methods), so
   * the cache stays small.
   */
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }

  /**
   * A write transaction that takes the write lock at its BEGIN (IMMEDIATE), where SQLite's busy
   * handler waits while another connection holds it (the checkpointer's RESTART, another
   * process). A deferred one that has read first gets SQLITE_BUSY at its first write instead.
   */
  private write<T>(run: () => T): T {
    return this.db.transaction(run).immediate()
  }

  private one(sql: string, ...params: unknown[]): Row | undefined {
    return this.statement(sql).get(...params) as Row | undefined
  }

  private all(sql: string, ...params: unknown[]): Row[] {
    return this.statement(sql).all(...params) as Row[]
  }

  private run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.statement(sql).run(...params)
  }

  async ping(): Promise<void> {
    this.one('SELECT 1')
  }

  async close(): Promise<void> {
    if (!this.db.open) return
    this.flushBatch()
    await this.checkpointer?.stop()
    if (this.db.open) this.db.close()
  }

  // --- accounts and agents -------------------------------------------------

  async saveAccount(a: AccountRecord): Promise<void> {
    this.run(
      `INSERT INTO accounts (id, key, name, secret, allowed_origins, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET key = excluded.key, name = excluded.name,
         secret = excluded.secret, allowed_origins = excluded.allowed_origins`,
      a.id,
      a.key,
      a.name,
      a.secret,
      JSON.stringify(a.allowedOrigins),
      a.createdAt,
    )
  }

  async getAccount(id: string): Promise<AccountRecord | null> {
    const row = this.one('SELECT * FROM accounts WHERE id = ?', id)
    return row ? toAccount(row) : null
  }

  async getAccountByKey(key: string): Promise<AccountRecord | null> {
    const row = this.one('SELECT * FROM accounts WHERE key = ?', key)
    return row ? toAccount(row) : null
  }

  async listAccounts(): Promise<AccountRecord[]> {
    return this.all('SELECT * FROM accounts ORDER BY rowid').map(toAccount)
  }

  async saveAgent(a: AgentRecord): Promise<void> {
    this.run(
      `INSERT INTO agents (id, account_id, token, nickname, fullname, description, avatar, groups)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET token = excluded.token, nickname = excluded.nickname,
         fullname = excluded.fullname, description = excluded.description,
         avatar = excluded.avatar, groups = excluded.groups`,
      a.id,
      a.accountId,
      a.token,
      a.nickname,
      a.fullname,
      a.description,
      a.avatar,
      JSON.stringify(a.groups),
    )
  }

  async getAgent(id: string): Promise<AgentRecord | null> {
    const row = this.one('SELECT * FROM agents WHERE id = ?', id)
    return row ? toAgent(row) : null
  }

  async listAgents(accountId?: string): Promise<AgentRecord[]> {
    const rows = accountId
      ? this.all('SELECT * FROM agents WHERE account_id = ? ORDER BY rowid', accountId)
      : this.all('SELECT * FROM agents ORDER BY rowid')
    return rows.map(toAgent)
  }

  // --- visitors --------------------------------------------------------------

  async createVisitor(v: VisitorRecord): Promise<void> {
    this.run(
      `INSERT INTO visitors (id, account_id, chat_id, name, email, phone, lang, grp, banned_at,
         visits, variables, authenticated, page_url, page_title, page_at, referer,
         created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      v.id,
      v.accountId,
      v.chatId,
      v.name,
      v.email,
      v.phone,
      v.lang,
      v.group,
      v.bannedAt,
      v.visits,
      JSON.stringify(v.variables),
      v.authenticated ? 1 : 0,
      v.pageUrl ?? null,
      v.pageTitle ?? null,
      v.pageAt ?? null,
      v.referer ?? null,
      v.createdAt,
      v.updatedAt,
    )
  }

  async getVisitor(id: string): Promise<VisitorRecord | null> {
    const row = this.one('SELECT * FROM visitors WHERE id = ?', id)
    return row ? toVisitor(row) : null
  }

  async updateVisitor(id: string, changes: VisitorChanges, at: string): Promise<VisitorRecord> {
    const columns: Record<keyof VisitorChanges, string> = {
      name: 'name',
      email: 'email',
      phone: 'phone',
      lang: 'lang',
      group: 'grp',
      visits: 'visits',
      variables: 'variables',
      authenticated: 'authenticated',
      pageUrl: 'page_url',
      pageTitle: 'page_title',
      pageAt: 'page_at',
      referer: 'referer',
    }
    const sets: string[] = ['updated_at = ?']
    const params: unknown[] = [at]
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) continue
      sets.push(`${columns[key as keyof VisitorChanges]} = ?`)
      if (key === 'variables') params.push(JSON.stringify(value))
      else if (key === 'authenticated') params.push(value ? 1 : 0)
      else params.push(value)
    }
    this.run(`UPDATE visitors SET ${sets.join(', ')} WHERE id = ?`, ...params, id)
    const visitor = await this.getVisitor(id)
    if (!visitor) throw new Error(`No visitor ${id}`)
    return visitor
  }

  // --- chats -------------------------------------------------------------------

  async ensureOpenChat(
    visitorId: string,
    newId: string,
    at: string,
  ): Promise<{ chat: ChatRecord; created: boolean }> {
    const result = this.write(() => {
      const visitor = this.one('SELECT account_id, chat_id FROM visitors WHERE id = ?', visitorId)
      if (!visitor) throw new Error(`No visitor ${visitorId}`)
      if (visitor.chat_id) {
        const current = this.one('SELECT status FROM chats WHERE id = ?', visitor.chat_id)
        if (current && current.status !== 'closed')
          return { id: visitor.chat_id as string, created: false }
      }
      this.run(
        `INSERT INTO chats (id, account_id, visitor_id, status, assigned_ids, created_at, updated_at)
         VALUES (?, ?, ?, 'pending', '[]', ?, ?)`,
        newId,
        visitor.account_id,
        visitorId,
        at,
        at,
      )
      this.run('UPDATE visitors SET chat_id = ?, updated_at = ? WHERE id = ?', newId, at, visitorId)
      return { id: newId, created: true }
    })
    const chat = await this.getChat(result.id)
    return { chat: chat!, created: result.created }
  }

  async getChat(id: string): Promise<ChatRecord | null> {
    const row = this.one(`${CHAT_SELECT} WHERE c.id = ?`, id)
    return row ? toChat(row) : null
  }

  async listChats(
    accountId: string,
    query: { statuses: ChatStatus[]; limit: number },
  ): Promise<ChatRecord[]> {
    if (query.statuses.length === 0) return []
    const marks = query.statuses.map(() => '?').join(', ')
    return this.all(
      `${CHAT_SELECT} WHERE c.account_id = ? AND c.status IN (${marks})
       ORDER BY c.updated_at DESC, c.rowid DESC LIMIT ?`,
      accountId,
      ...query.statuses,
      query.limit,
    ).map(toChat)
  }

  async updateChat(id: string, changes: ChatChanges, at: string): Promise<ChatRecord> {
    const sets: string[] = ['updated_at = ?']
    const params: unknown[] = [at]
    if (changes.status !== undefined) {
      sets.push('status = ?')
      params.push(changes.status)
    }
    if (changes.assignedIds !== undefined) {
      sets.push('assigned_ids = ?')
      params.push(JSON.stringify(changes.assignedIds))
    }
    if (changes.rating !== undefined) {
      sets.push('rating = ?')
      params.push(changes.rating === null ? null : JSON.stringify(changes.rating))
    }
    this.run(`UPDATE chats SET ${sets.join(', ')} WHERE id = ?`, ...params, id)
    const chat = await this.getChat(id)
    if (!chat) throw new Error(`No chat ${id}`)
    return chat
  }

  async markRead(chatId: string, side: ReadSide, at: string): Promise<ChatRecord> {
    const column = side === 'visitor' ? 'visitor' : 'agent'
    this.run(
      `UPDATE chats SET ${column}_read_at = ?, ${column}_read_seq = last_seq,
         unread_by_${column} = 0 WHERE id = ?`,
      at,
      chatId,
    )
    const chat = await this.getChat(chatId)
    if (!chat) throw new Error(`No chat ${chatId}`)
    return chat
  }

  async deleteChat(id: string): Promise<{ fileIds: string[] } | null> {
    // Appends asked for before the delete are stored first, then deleted with the rest.
    this.flushBatch()
    return this.write(() => {
      const chat = this.one('SELECT account_id, visitor_id FROM chats WHERE id = ?', id)
      if (!chat) return null
      const messages = this.all(
        "SELECT body FROM messages WHERE chat_id = ? AND type = 'message'",
        id,
      ).map(parseBody)
      const files = this.all(
        `DELETE FROM uploads WHERE chat_id = ? OR (account_id = ? AND visitor_id = ?
           AND file_id IN (SELECT value FROM json_each(?)))
         RETURNING file_id`,
        id,
        chat.account_id,
        chat.visitor_id,
        JSON.stringify(attachedFileIds(messages)),
      )
      this.run('DELETE FROM messages WHERE chat_id = ?', id)
      this.run('DELETE FROM transcripts WHERE chat_id = ?', id)
      this.run('DELETE FROM chats WHERE id = ?', id)
      this.run(
        'UPDATE visitors SET chat_id = NULL WHERE id = ? AND chat_id = ?',
        chat.visitor_id,
        id,
      )
      return { fileIds: files.flatMap((row) => (row.file_id as string | null) ?? []) }
    })
  }

  // --- messages ----------------------------------------------------------------

  /**
   * Group commit: the appends asked for within one turn of the event loop are written in
   * one transaction, and each caller hears back only after its COMMIT (an ack still means
   * "on disk"). One commit per message is what limited the throughput: each writes the
   * same few pages (the chat row, index leaves) to the WAL again.
   */
  addMessage(
    message: Message,
    dedupe?: { authorId: string; clientId: string },
    { withVisitor = false }: AppendOptions = {},
  ): Promise<Appended> {
    return new Promise((resolve, reject) => {
      if (this.batch.length === 0) setImmediate(this.flushBatch)
      this.batch.push({ message, dedupe, withVisitor, resolve, reject })
    })
  }

  private readonly batch: PendingAppend[] = []

  /** The batch is one FIFO written in one synchronous transaction. */
  readonly appendsInCallOrder = true

  /** Writes every pending append in one transaction, each in a savepoint of its own. */
  private readonly flushBatch = (): void => {
    const batch = this.batch.splice(0)
    if (batch.length === 0) return
    const outcomes: Array<Appended | { error: unknown }> = []
    try {
      this.writeBatch.immediate(batch, outcomes)
    } catch (error) {
      // The COMMIT failed (disk full, I/O error): nothing of the batch is stored.
      for (const item of batch) item.reject(error)
      return
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!
      if ('error' in outcome) item.reject(outcome.error)
      else item.resolve(outcome)
    })
  }

  /** The batch's transaction (begun IMMEDIATE, see `write`), made once like `insertMessage`. */
  private readonly writeBatch = this.db.transaction(
    (batch: PendingAppend[], outcomes: Array<Appended | { error: unknown }>) => {
      /** Same author and clientId twice in one batch: the second answers with the first. */
      const claimed = new Map<string, Message>()
      for (const item of batch) {
        try {
          outcomes.push(this.append(item, claimed))
        } catch (error) {
          outcomes.push({ error })
        }
      }
    },
  )

  /** One append inside the batch's transaction; its own savepoint undoes only it on failure. */
  private append(
    { message, dedupe, withVisitor }: PendingAppend,
    claimed: Map<string, Message>,
  ): Appended {
    const key = dedupe && `${dedupe.authorId}\u0000${dedupe.clientId}`
    const earlier = key && claimed.get(key)
    if (earlier) return { message: earlier, created: false }
    let added: Omit<Appended, 'created'>
    try {
      added = this.insertMessage(message, dedupe, withVisitor)
    } catch (err) {
      // A retry (or another connection to the file) stored this clientId first: the unique
      // index refused our row and the savepoint undid the chat's update; the stored row is the
      // answer. Not looked for before the insert: a read per message for the rare retry.
      const winner =
        dedupe && isUniqueViolation(err) ? this.findStored(dedupe.authorId, dedupe.clientId) : null
      if (winner) return { message: winner, created: false }
      throw err
    }
    if (key) claimed.set(key, added.message)
    return { ...added, created: true }
  }

  /**
   * The writes of one append, in a savepoint of their own (a nested transaction). Made once:
   * a transaction function built per message cost more than its SAVEPOINT and RELEASE.
   */
  private readonly insertMessage = this.db.transaction(
    (
      message: Message,
      dedupe: PendingAppend['dedupe'],
      withVisitor: boolean,
    ): Omit<Appended, 'created'> => {
      const counted = message.type === 'message'
      if (message.seq !== undefined)
        throw new Error(`addMessage: message ${message.id} already has a seq; storage assigns it`)
      // The body is the message with its place in the chat (`seq`: clients order
      // same-millisecond messages by it) as its last key. The chat row moves first, and one
      // statement both takes the next seq and keeps the body as the chat's last message: the
      // body's text is completed in SQL as in JS below. What the update returns is the chat
      // after the append (the agents' event needs it; no read after).
      const json = JSON.stringify(message)
      const head = `${json.slice(0, -1)},"seq":`
      const row = this.one(
        `UPDATE chats SET last_seq = last_seq + 1, updated_at = ?,
           unread_by_visitor = unread_by_visitor + ?, unread_by_agent = unread_by_agent + ?,
           has_offline = has_offline OR ?, last_body = ? || (last_seq + 1) || '}'
         WHERE id = ? RETURNING ${CHAT_COLUMNS_BUT_LAST}`,
        message.createdAt,
        counted && message.subType === 'agent' ? 1 : 0,
        counted && message.subType === 'contact' ? 1 : 0,
        message.subType === 'contact' && message.isOffline === true ? 1 : 0,
        head,
        message.chatId,
      )
      if (!row) throw new Error(`No chat ${message.chatId}`)
      const withSeq = { ...message, seq: row.last_seq as number }
      const body = `${head}${withSeq.seq}}`
      this.run(
        `INSERT INTO messages (id, chat_id, seq, type, sub_type, author_id, client_id, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        message.id,
        message.chatId,
        withSeq.seq,
        message.type,
        message.subType,
        dedupe?.authorId ?? null,
        dedupe?.clientId ?? null,
        body,
      )
      const chat: ChatRecord = { ...toChat(row), lastMessage: withSeq }
      if (!withVisitor) return { message: withSeq, chat }
      // Read inside this transaction it takes no read lock of its own, as a getVisitor would.
      const visitor = this.one('SELECT * FROM visitors WHERE id = ?', chat.visitorId)
      return { message: withSeq, chat, ...(visitor && { visitor: toVisitor(visitor) }) }
    },
  )

  private findStored(authorId: string, clientId: string): Message | null {
    const row = this.one(
      'SELECT body FROM messages WHERE author_id = ? AND client_id = ?',
      authorId,
      clientId,
    )
    return row ? parseBody(row) : null
  }

  async findMessageByClientId(authorId: string, clientId: string): Promise<Message | null> {
    return this.findStored(authorId, clientId)
  }

  async getMessage(id: string): Promise<Message | null> {
    const row = this.one('SELECT body FROM messages WHERE id = ?', id)
    return row ? (JSON.parse(row.body as string) as Message) : null
  }

  async updateMessage(message: Message): Promise<void> {
    const body = JSON.stringify(message)
    this.db.transaction(() => {
      this.run('UPDATE messages SET body = ? WHERE id = ?', body, message.id)
      // The chat's copy of its last message follows (a rating form answered last).
      this.run(
        `UPDATE chats SET last_body = ? WHERE (id, last_seq) =
           (SELECT chat_id, seq FROM messages WHERE id = ?)`,
        body,
        message.id,
      )
    })()
  }

  async listMessages(chatId: string, page: MessagePage): Promise<ChatHistoryResult | null> {
    const seqOf = (id: string): number | null => {
      const row = this.one('SELECT seq FROM messages WHERE id = ? AND chat_id = ?', id, chatId)
      return row ? (row.seq as number) : null
    }
    const before = page.before === undefined ? null : seqOf(page.before)
    const after = page.after === undefined ? null : seqOf(page.after)
    if (
      (page.before !== undefined && before === null) ||
      (page.after !== undefined && after === null)
    )
      return null
    const take = page.limit + 1
    let rows: Row[]
    if (after !== null) {
      // Catch-up: oldest first from the cursor, bounded by `before` when both are given.
      rows = this.all(
        'SELECT body FROM messages WHERE chat_id = ? AND seq > ? AND seq < ? ORDER BY seq ASC LIMIT ?',
        chatId,
        after,
        before ?? Number.MAX_SAFE_INTEGER,
        take,
      )
      const hasMore = rows.length > page.limit
      return { messages: rows.slice(0, page.limit).map(parseBody), hasMore }
    }
    rows = this.all(
      'SELECT body FROM messages WHERE chat_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
      chatId,
      before ?? Number.MAX_SAFE_INTEGER,
      take,
    )
    const hasMore = rows.length > page.limit
    return { messages: rows.slice(0, page.limit).reverse().map(parseBody), hasMore }
  }

  // --- uploads -----------------------------------------------------------------

  async createUpload(u: UploadRecord): Promise<void> {
    this.run(
      `INSERT INTO uploads (token, account_id, visitor_id, agent_id, chat_id, expires_at, state,
         file_id, file)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      u.token,
      u.accountId,
      u.visitorId,
      u.agentId ?? null,
      u.chatId ?? null,
      u.expiresAt,
      u.state,
      u.file?.id ?? null,
      u.file ? JSON.stringify(u.file) : null,
    )
  }

  async getUpload(token: string): Promise<UploadRecord | null> {
    const row = this.one('SELECT * FROM uploads WHERE token = ?', token)
    return row ? toUpload(row) : null
  }

  async attachFile(token: string, file: StoredFile): Promise<boolean> {
    const result = this.run(
      `UPDATE uploads SET state = 'uploaded', file_id = ?, file = ? WHERE token = ? AND state = 'pending'`,
      file.id,
      JSON.stringify(file),
      token,
    )
    return result.changes === 1
  }

  async consumeUpload(token: string): Promise<UploadRecord | null> {
    const result = this.run(
      `UPDATE uploads SET state = 'used' WHERE token = ? AND state = 'uploaded'`,
      token,
    )
    return result.changes === 1 ? this.getUpload(token) : null
  }

  async getFile(id: string): Promise<StoredFile | null> {
    const row = this.one('SELECT file FROM uploads WHERE file_id = ?', id)
    return row?.file ? (JSON.parse(row.file as string) as StoredFile) : null
  }

  // --- transcripts ---------------------------------------------------------------

  async addTranscriptRequest(t: TranscriptRequest): Promise<void> {
    this.run(
      'INSERT INTO transcripts (id, chat_id, visitor_id, email, lang, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      t.id,
      t.chatId,
      t.visitorId,
      t.email,
      t.lang,
      t.createdAt,
    )
  }

  async listTranscriptRequests(chatId: string): Promise<TranscriptRequest[]> {
    return this.all('SELECT * FROM transcripts WHERE chat_id = ? ORDER BY rowid', chatId).map(
      (row) => ({
        id: row.id as string,
        chatId: row.chat_id as string,
        visitorId: row.visitor_id as string,
        email: row.email as string,
        lang: row.lang as string,
        createdAt: row.created_at as string,
      }),
    )
  }
}

// --- row mapping -----------------------------------------------------------------

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE'
}

/** An `addMessage` waiting for its batch's commit. */
interface PendingAppend {
  message: Message
  dedupe: { authorId: string; clientId: string } | undefined
  withVisitor: boolean
  resolve(result: Appended): void
  reject(error: unknown): void
}

function parseBody(row: Row): Message {
  return JSON.parse(row.body as string) as Message
}
