/**
 * PostgreSQL storage, chosen by `DATABASE_URL=postgres://…` (server/storage/index.ts).
 * Several server nodes may share one database, so unlike SQLite nothing here may rely
 * on running alone:
 * - a message's `seq` comes from `UPDATE chats SET last_seq = last_seq + 1 … RETURNING`
 *   in the statement that inserts it: the chat row stays locked until commit, so the
 *   appends to one chat form one total order with no gap;
 * - the unique (author_id, client_id) index decides between two nodes storing one
 *   clientId; the loser's statement fails (its seq with it) and answers with the winner's row;
 * - migrations run under an advisory lock, so nodes starting together migrate once.
 *
 * Driver: `postgres` (porsager) — pooled, typed, no dependencies, and parameters by
 * tagged template, so no SQL is ever built from values. Append `?max=20` to the URL for
 * a bigger pool (default 10) or `?search_path=…` for another schema (the tests do).
 *
 * JSON is kept as text like in SQLite, not jsonb: jsonb refuses `\u0000`, which a
 * visitor may send inside a message or its variables. Plain text columns cannot hold
 * NUL either, so `clean()` turns one into U+FFFD (as UTF-8 encoding already does with
 * a lone surrogate) and a lookup by such a key finds nothing.
 */
import postgres from 'postgres'
import type { ChatHistoryResult, ChatStatus, Message } from '../../src/protocol.ts'
import { attachedFileIds } from '../messages.ts'
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

/** Never edit a shipped migration; add the next one. Version n is `MIGRATIONS[n - 1]`. */
const MIGRATIONS: string[] = [
  // 1: the first schema (SQLite's migrations 1 and 2). `n` orders what SQLite orders by rowid.
  `
  CREATE TABLE accounts (
    n bigint GENERATED ALWAYS AS IDENTITY, id text PRIMARY KEY, key text NOT NULL UNIQUE,
    name text NOT NULL, secret text NOT NULL, allowed_origins text NOT NULL,
    created_at text NOT NULL
  );
  CREATE TABLE agents (
    n bigint GENERATED ALWAYS AS IDENTITY, id text PRIMARY KEY,
    account_id text NOT NULL REFERENCES accounts(id), token text NOT NULL,
    nickname text NOT NULL, fullname text NOT NULL, description text NOT NULL,
    avatar text NOT NULL, groups text NOT NULL
  );
  CREATE INDEX agents_account ON agents(account_id);
  CREATE TABLE visitors (
    id text PRIMARY KEY, account_id text NOT NULL REFERENCES accounts(id), chat_id text,
    name text, email text, phone text, lang text, grp text, banned_at text,
    visits integer NOT NULL, variables text NOT NULL, authenticated boolean NOT NULL,
    created_at text NOT NULL, updated_at text NOT NULL
  );
  CREATE TABLE chats (
    n bigint GENERATED ALWAYS AS IDENTITY, id text PRIMARY KEY, account_id text NOT NULL,
    visitor_id text NOT NULL REFERENCES visitors(id), status text NOT NULL,
    assigned_ids text NOT NULL, rating text,
    visitor_read_at text, visitor_read_seq integer NOT NULL DEFAULT 0,
    agent_read_at text, agent_read_seq integer NOT NULL DEFAULT 0,
    last_seq integer NOT NULL DEFAULT 0, created_at text NOT NULL, updated_at text NOT NULL
  );
  CREATE INDEX chats_account ON chats(account_id, status, updated_at);
  CREATE TABLE messages (
    id text PRIMARY KEY, chat_id text NOT NULL REFERENCES chats(id), seq integer NOT NULL,
    type text NOT NULL, sub_type text NOT NULL, author_id text, client_id text,
    offline boolean NOT NULL DEFAULT false, body text NOT NULL,
    UNIQUE (chat_id, seq), UNIQUE (author_id, client_id)
  );
  CREATE TABLE uploads (
    token text PRIMARY KEY, account_id text NOT NULL, visitor_id text NOT NULL,
    agent_id text, chat_id text, expires_at text NOT NULL, state text NOT NULL,
    file_id text UNIQUE, file text
  );
  CREATE TABLE transcripts (
    n bigint GENERATED ALWAYS AS IDENTITY, id text PRIMARY KEY, chat_id text NOT NULL,
    visitor_id text NOT NULL, email text NOT NULL, lang text NOT NULL, created_at text NOT NULL
  );
  CREATE INDEX transcripts_chat ON transcripts(chat_id);
  `,
  // 2: where the visitor is (live page of a single-page app) and where they came from
  `
  ALTER TABLE visitors ADD COLUMN page_url text, ADD COLUMN page_title text,
    ADD COLUMN page_at text, ADD COLUMN referer text;
  `,
  // 3: what a chat shows in lists is kept on its row, updated by each append and read mark,
  // instead of counted over its messages on every read (SQLite's migration 4).
  `
  ALTER TABLE chats ADD COLUMN unread_by_visitor integer NOT NULL DEFAULT 0,
    ADD COLUMN unread_by_agent integer NOT NULL DEFAULT 0,
    ADD COLUMN last_body text, ADD COLUMN has_offline boolean NOT NULL DEFAULT false;
  UPDATE chats c SET
    unread_by_visitor = (SELECT count(*) FROM messages m WHERE m.chat_id = c.id
      AND m.type = 'message' AND m.sub_type = 'agent' AND m.seq > c.visitor_read_seq),
    unread_by_agent = (SELECT count(*) FROM messages m WHERE m.chat_id = c.id
      AND m.type = 'message' AND m.sub_type = 'contact' AND m.seq > c.agent_read_seq),
    last_body = (SELECT body FROM messages m WHERE m.chat_id = c.id ORDER BY m.seq DESC LIMIT 1),
    has_offline = EXISTS (SELECT 1 FROM messages m WHERE m.chat_id = c.id
      AND m.sub_type = 'contact' AND m.offline);
  `,
]

/** Any constant shared by every node: `pg_advisory_xact_lock` serializes migrating. */
const MIGRATION_LOCK = 7_260_001

type Sql = postgres.Sql

/** Unread counters, the last message and the offline flag are columns (migration 3). */
const CHAT_COLUMNS = 'c.*'

/** Connects (a pool of `?max=` connections, default 10) and migrates. */
export async function openPostgresStorage(url: string): Promise<PostgresStorage> {
  const sql = postgres(url, {
    // `CREATE … IF NOT EXISTS` and friends are not worth a console line.
    onnotice: () => {},
    // We use no array types; skip the extra query on each new connection.
    fetch_types: false,
  })
  try {
    await migrate(sql)
  } catch (err) {
    await sql.end({ timeout: 1 })
    throw err
  }
  return new PostgresStorage(sql)
}

/** Applies the missing migrations, each recorded in `schema_migrations`, under one lock. */
export async function migrate(sql: Sql): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`
    const [row] = await tx`SELECT coalesce(max(version), 0)::int AS version FROM schema_migrations`
    for (let version = (row?.version as number) + 1; version <= MIGRATIONS.length; version++) {
      await tx.unsafe(MIGRATIONS[version - 1]!)
      await tx`INSERT INTO schema_migrations (version) VALUES (${version})`
    }
  })
}

export class PostgresStorage implements Storage {
  constructor(private readonly sql: Sql) {}

  async ping(): Promise<void> {
    await this.sql`SELECT 1`
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 })
  }

  // --- accounts and agents -------------------------------------------------

  async saveAccount(a: AccountRecord): Promise<void> {
    await this.sql`
      INSERT INTO accounts (id, key, name, secret, allowed_origins, created_at)
      VALUES (${clean(a.id)}, ${clean(a.key)}, ${clean(a.name)}, ${clean(a.secret)},
        ${JSON.stringify(a.allowedOrigins)}, ${a.createdAt})
      ON CONFLICT (id) DO UPDATE SET key = excluded.key, name = excluded.name,
        secret = excluded.secret, allowed_origins = excluded.allowed_origins`
  }

  async getAccount(id: string): Promise<AccountRecord | null> {
    if (hasNul(id)) return null
    const [row] = await this.sql`SELECT * FROM accounts WHERE id = ${id}`
    return row ? toAccount(row) : null
  }

  async getAccountByKey(key: string): Promise<AccountRecord | null> {
    if (hasNul(key)) return null
    const [row] = await this.sql`SELECT * FROM accounts WHERE key = ${key}`
    return row ? toAccount(row) : null
  }

  async listAccounts(): Promise<AccountRecord[]> {
    return (await this.sql`SELECT * FROM accounts ORDER BY n`).map(toAccount)
  }

  async saveAgent(a: AgentRecord): Promise<void> {
    await this.sql`
      INSERT INTO agents (id, account_id, token, nickname, fullname, description, avatar, groups)
      VALUES (${clean(a.id)}, ${a.accountId}, ${clean(a.token)}, ${clean(a.nickname)},
        ${clean(a.fullname)}, ${clean(a.description)}, ${clean(a.avatar)},
        ${JSON.stringify(a.groups)})
      ON CONFLICT (id) DO UPDATE SET token = excluded.token, nickname = excluded.nickname,
        fullname = excluded.fullname, description = excluded.description,
        avatar = excluded.avatar, groups = excluded.groups`
  }

  async getAgent(id: string): Promise<AgentRecord | null> {
    if (hasNul(id)) return null
    const [row] = await this.sql`SELECT * FROM agents WHERE id = ${id}`
    return row ? toAgent(row) : null
  }

  async listAgents(accountId?: string): Promise<AgentRecord[]> {
    if (accountId !== undefined && hasNul(accountId)) return []
    const rows =
      accountId === undefined
        ? await this.sql`SELECT * FROM agents ORDER BY n`
        : await this.sql`SELECT * FROM agents WHERE account_id = ${accountId} ORDER BY n`
    return rows.map(toAgent)
  }

  // --- visitors --------------------------------------------------------------

  async createVisitor(v: VisitorRecord): Promise<void> {
    await this.sql`
      INSERT INTO visitors (id, account_id, chat_id, name, email, phone, lang, grp, banned_at,
        visits, variables, authenticated, page_url, page_title, page_at, referer,
        created_at, updated_at)
      VALUES (${clean(v.id)}, ${v.accountId}, ${v.chatId}, ${clean(v.name)}, ${clean(v.email)},
        ${clean(v.phone)}, ${clean(v.lang)}, ${clean(v.group)}, ${v.bannedAt}, ${v.visits},
        ${JSON.stringify(v.variables)}, ${v.authenticated}, ${clean(v.pageUrl ?? null)},
        ${clean(v.pageTitle ?? null)}, ${v.pageAt ?? null}, ${clean(v.referer ?? null)},
        ${v.createdAt}, ${v.updatedAt})`
  }

  async getVisitor(id: string): Promise<VisitorRecord | null> {
    if (hasNul(id)) return null
    const [row] = await this.sql`SELECT * FROM visitors WHERE id = ${id}`
    return row ? toVisitor(row) : null
  }

  async updateVisitor(id: string, changes: VisitorChanges, at: string): Promise<VisitorRecord> {
    const set: Record<string, string | number | boolean | null> = { updated_at: at }
    if (changes.name !== undefined) set.name = clean(changes.name)
    if (changes.email !== undefined) set.email = clean(changes.email)
    if (changes.phone !== undefined) set.phone = clean(changes.phone)
    if (changes.lang !== undefined) set.lang = clean(changes.lang)
    if (changes.group !== undefined) set.grp = clean(changes.group)
    if (changes.visits !== undefined) set.visits = changes.visits
    if (changes.variables !== undefined) set.variables = JSON.stringify(changes.variables)
    if (changes.authenticated !== undefined) set.authenticated = changes.authenticated
    if (changes.pageUrl !== undefined) set.page_url = clean(changes.pageUrl)
    if (changes.pageTitle !== undefined) set.page_title = clean(changes.pageTitle)
    if (changes.pageAt !== undefined) set.page_at = changes.pageAt
    if (changes.referer !== undefined) set.referer = clean(changes.referer)
    const [row] = await this.sql`
      UPDATE visitors SET ${this.sql(set)} WHERE id = ${clean(id)} RETURNING *`
    if (!row) throw new Error(`No visitor ${id}`)
    return toVisitor(row)
  }

  // --- chats -------------------------------------------------------------------

  async ensureOpenChat(
    visitorId: string,
    newId: string,
    at: string,
  ): Promise<{ chat: ChatRecord; created: boolean }> {
    const result = await this.sql.begin(async (tx) => {
      // The visitor's row lock makes two tabs (or two nodes) open one chat.
      const [visitor] = await tx`
        SELECT account_id, chat_id FROM visitors WHERE id = ${clean(visitorId)} FOR UPDATE`
      if (!visitor) throw new Error(`No visitor ${visitorId}`)
      if (visitor.chat_id) {
        const [current] = await tx`SELECT status FROM chats WHERE id = ${visitor.chat_id}`
        if (current && current.status !== 'closed')
          return { id: visitor.chat_id as string, created: false }
      }
      await tx`
        INSERT INTO chats (id, account_id, visitor_id, status, assigned_ids, created_at, updated_at)
        VALUES (${newId}, ${visitor.account_id}, ${visitorId}, 'pending', '[]', ${at}, ${at})`
      await tx`UPDATE visitors SET chat_id = ${newId}, updated_at = ${at} WHERE id = ${visitorId}`
      return { id: newId, created: true }
    })
    const chat = await this.getChat(result.id)
    return { chat: chat!, created: result.created }
  }

  async getChat(id: string): Promise<ChatRecord | null> {
    if (hasNul(id)) return null
    const [row] = await this.sql`SELECT ${this.sql.unsafe(CHAT_COLUMNS)} FROM chats c
      WHERE c.id = ${id}`
    return row ? toChat(row) : null
  }

  async listChats(
    accountId: string,
    query: { statuses: ChatStatus[]; limit: number },
  ): Promise<ChatRecord[]> {
    if (query.statuses.length === 0 || hasNul(accountId)) return []
    const rows = await this.sql`SELECT ${this.sql.unsafe(CHAT_COLUMNS)} FROM chats c
      WHERE c.account_id = ${accountId} AND c.status IN ${this.sql(query.statuses)}
      ORDER BY c.updated_at DESC, c.n DESC LIMIT ${query.limit}`
    return rows.map(toChat)
  }

  async updateChat(id: string, changes: ChatChanges, at: string): Promise<ChatRecord> {
    const set: Record<string, string | null> = { updated_at: at }
    if (changes.status !== undefined) set.status = changes.status
    if (changes.assignedIds !== undefined) set.assigned_ids = JSON.stringify(changes.assignedIds)
    if (changes.rating !== undefined)
      set.rating = changes.rating === null ? null : JSON.stringify(changes.rating)
    await this.sql`UPDATE chats SET ${this.sql(set)} WHERE id = ${clean(id)}`
    const chat = await this.getChat(id)
    if (!chat) throw new Error(`No chat ${id}`)
    return chat
  }

  async markRead(chatId: string, side: ReadSide, at: string): Promise<ChatRecord> {
    // One statement: `last_seq` is read under the row lock, so no append slips between.
    if (side === 'visitor')
      await this.sql`UPDATE chats SET visitor_read_at = ${at}, visitor_read_seq = last_seq,
        unread_by_visitor = 0 WHERE id = ${clean(chatId)}`
    else
      await this.sql`UPDATE chats SET agent_read_at = ${at}, agent_read_seq = last_seq,
        unread_by_agent = 0 WHERE id = ${clean(chatId)}`
    const chat = await this.getChat(chatId)
    if (!chat) throw new Error(`No chat ${chatId}`)
    return chat
  }

  async deleteChat(id: string): Promise<{ fileIds: string[] } | null> {
    if (hasNul(id)) return null
    return this.sql.begin(async (tx) => {
      // The chat row's lock makes an append on another node wait, then find no chat.
      const [chat] = await tx`
        SELECT account_id, visitor_id FROM chats WHERE id = ${id} FOR UPDATE`
      if (!chat) return null
      const messages = await tx`
        SELECT body FROM messages WHERE chat_id = ${id} AND type = 'message'`
      const attached = attachedFileIds(messages.map(parseBody))
      const files = await tx`DELETE FROM uploads WHERE chat_id = ${id} RETURNING file_id`
      if (attached.length > 0)
        files.push(
          ...(await tx`
            DELETE FROM uploads WHERE account_id = ${chat.account_id}
              AND visitor_id = ${chat.visitor_id} AND file_id IN ${tx(attached)}
            RETURNING file_id`),
        )
      await tx`DELETE FROM messages WHERE chat_id = ${id}`
      await tx`DELETE FROM transcripts WHERE chat_id = ${id}`
      await tx`DELETE FROM chats WHERE id = ${id}`
      await tx`UPDATE visitors SET chat_id = NULL
        WHERE id = ${chat.visitor_id} AND chat_id = ${id}`
      return { fileIds: files.flatMap((row) => (row.file_id as string | null) ?? []) }
    })
  }

  // --- messages ----------------------------------------------------------------

  /**
   * One statement, so one round trip and a transaction of its own: the chat row moves first
   * (taking the next seq under its lock, and keeping the counters and the last message that
   * lists show), then the message goes in. A clientId stored before (a retry, or another node
   * at the same moment) fails the insert, which undoes the chat's update with it; the stored
   * row is then the answer. Not looked for before: a read per message for the rare retry.
   */
  async addMessage(
    message: Message,
    dedupe?: { authorId: string; clientId: string },
    { withVisitor = false }: AppendOptions = {},
  ): Promise<Appended> {
    if (message.seq !== undefined)
      throw new Error(`addMessage: message ${message.id} already has a seq; storage assigns it`)
    const authorId = dedupe ? clean(dedupe.authorId) : null
    const clientId = dedupe ? clean(dedupe.clientId) : null
    const counted = message.type === 'message'
    const offline = message.isOffline === true
    // The body is the message with its place in the chat (`seq`) as its last key, completed
    // in SQL once the seq is known (clients order same-millisecond messages by it).
    const json = JSON.stringify(message)
    const head = `${json.slice(0, -1)},"seq":`
    let row: Row | undefined
    try {
      ;[row] = await this.sql`
        WITH chat AS (
          UPDATE chats SET last_seq = last_seq + 1, updated_at = ${message.createdAt},
            unread_by_visitor = unread_by_visitor + ${counted && message.subType === 'agent' ? 1 : 0},
            unread_by_agent = unread_by_agent + ${counted && message.subType === 'contact' ? 1 : 0},
            has_offline = has_offline OR ${message.subType === 'contact' && offline},
            last_body = ${head}::text || (last_seq + 1) || '}'
          WHERE id = ${clean(message.chatId)} RETURNING *
        ), inserted AS (
          INSERT INTO messages (id, chat_id, seq, type, sub_type, author_id, client_id, offline, body)
          SELECT ${message.id}, chat.id, chat.last_seq, ${message.type}, ${message.subType},
            ${authorId}, ${clientId}, ${offline}, chat.last_body
          FROM chat
        )
        SELECT chat.*, ${
          withVisitor
            ? this.sql`(SELECT row_to_json(v)::text FROM visitors v WHERE v.id = chat.visitor_id)`
            : this.sql`NULL`
        } AS visitor_json
        FROM chat`
    } catch (err) {
      const winner =
        authorId !== null && clientId !== null && isUniqueViolation(err)
          ? await this.findStored(authorId, clientId)
          : null
      if (winner) return { message: winner, created: false }
      throw err
    }
    if (!row) throw new Error(`No chat ${message.chatId}`)
    const chat = toChat(row)
    const visitor = row.visitor_json ? toVisitor(JSON.parse(row.visitor_json as string)) : null
    return {
      message: { ...message, seq: row.last_seq as number },
      created: true,
      chat,
      ...(visitor && { visitor }),
    }
  }

  private async findStored(authorId: string, clientId: string): Promise<Message | null> {
    const [row] = await this.sql`
      SELECT body FROM messages WHERE author_id = ${authorId} AND client_id = ${clientId}`
    return row ? parseBody(row) : null
  }

  async findMessageByClientId(authorId: string, clientId: string): Promise<Message | null> {
    // Cleaned like in addMessage, so a retry finds what the first send stored.
    return this.findStored(clean(authorId), clean(clientId))
  }

  async getMessage(id: string): Promise<Message | null> {
    if (hasNul(id)) return null
    const [row] = await this.sql`SELECT body FROM messages WHERE id = ${id}`
    return row ? parseBody(row) : null
  }

  async updateMessage(message: Message): Promise<void> {
    const body = JSON.stringify(message)
    // The chat's copy of its last message follows (a rating form answered last).
    await this.sql`
      WITH m AS (UPDATE messages SET body = ${body} WHERE id = ${message.id} RETURNING chat_id, seq)
      UPDATE chats SET last_body = ${body} FROM m WHERE chats.id = m.chat_id AND chats.last_seq = m.seq`
  }

  async listMessages(chatId: string, page: MessagePage): Promise<ChatHistoryResult | null> {
    const seqOf = async (id: string): Promise<number | null> => {
      if (hasNul(id) || hasNul(chatId)) return null
      const [row] = await this.sql`
        SELECT seq FROM messages WHERE id = ${id} AND chat_id = ${chatId}`
      return row ? (row.seq as number) : null
    }
    const before = page.before === undefined ? null : await seqOf(page.before)
    const after = page.after === undefined ? null : await seqOf(page.after)
    if (
      (page.before !== undefined && before === null) ||
      (page.after !== undefined && after === null)
    )
      return null
    const chat = clean(chatId)
    const take = page.limit + 1
    const upper = before ?? 2 ** 31 - 1
    if (after !== null) {
      // Catch-up: oldest first from the cursor, bounded by `before` when both are given.
      const rows = await this.sql`
        SELECT body FROM messages WHERE chat_id = ${chat} AND seq > ${after} AND seq < ${upper}
        ORDER BY seq ASC LIMIT ${take}`
      return { messages: rows.slice(0, page.limit).map(parseBody), hasMore: rows.length > take - 1 }
    }
    const rows = await this.sql`
      SELECT body FROM messages WHERE chat_id = ${chat} AND seq < ${upper}
      ORDER BY seq DESC LIMIT ${take}`
    return {
      messages: rows.slice(0, page.limit).reverse().map(parseBody),
      hasMore: rows.length > take - 1,
    }
  }

  // --- uploads -----------------------------------------------------------------

  async createUpload(u: UploadRecord): Promise<void> {
    await this.sql`
      INSERT INTO uploads (token, account_id, visitor_id, agent_id, chat_id, expires_at, state,
        file_id, file)
      VALUES (${u.token}, ${u.accountId}, ${u.visitorId}, ${u.agentId ?? null},
        ${u.chatId ?? null}, ${u.expiresAt}, ${u.state}, ${u.file?.id ?? null},
        ${u.file ? JSON.stringify(u.file) : null})`
  }

  async getUpload(token: string): Promise<UploadRecord | null> {
    if (hasNul(token)) return null
    const [row] = await this.sql`SELECT * FROM uploads WHERE token = ${token}`
    return row ? toUpload(row) : null
  }

  async attachFile(token: string, file: StoredFile): Promise<boolean> {
    if (hasNul(token)) return false
    const result = await this.sql`
      UPDATE uploads SET state = 'uploaded', file_id = ${file.id}, file = ${JSON.stringify(file)}
      WHERE token = ${token} AND state = 'pending'`
    return result.count === 1
  }

  async consumeUpload(token: string): Promise<UploadRecord | null> {
    if (hasNul(token)) return null
    const [row] = await this.sql`
      UPDATE uploads SET state = 'used' WHERE token = ${token} AND state = 'uploaded'
      RETURNING *`
    return row ? toUpload(row) : null
  }

  async getFile(id: string): Promise<StoredFile | null> {
    if (hasNul(id)) return null
    const [row] = await this.sql`SELECT file FROM uploads WHERE file_id = ${id}`
    return row?.file ? (JSON.parse(row.file as string) as StoredFile) : null
  }

  // --- transcripts ---------------------------------------------------------------

  async addTranscriptRequest(t: TranscriptRequest): Promise<void> {
    await this.sql`
      INSERT INTO transcripts (id, chat_id, visitor_id, email, lang, created_at)
      VALUES (${t.id}, ${t.chatId}, ${t.visitorId}, ${clean(t.email)}, ${clean(t.lang)},
        ${t.createdAt})`
  }

  async listTranscriptRequests(chatId: string): Promise<TranscriptRequest[]> {
    if (hasNul(chatId)) return []
    const rows = await this.sql`SELECT * FROM transcripts WHERE chat_id = ${chatId} ORDER BY n`
    return rows.map((row) => ({
      id: row.id as string,
      chatId: row.chat_id as string,
      visitorId: row.visitor_id as string,
      email: row.email as string,
      lang: row.lang as string,
      createdAt: row.created_at as string,
    }))
  }
}

// --- values and rows -------------------------------------------------------------

function hasNul(value: string): boolean {
  return value.includes('\u0000')
}

/** PostgreSQL text cannot hold NUL: stored as U+FFFD. */
function clean<T extends string | null>(value: T): T {
  return (value === null ? null : value.replaceAll('\u0000', '\uFFFD')) as T
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23505'
}

function parseBody(row: Row): Message {
  return JSON.parse(row.body as string) as Message
}
