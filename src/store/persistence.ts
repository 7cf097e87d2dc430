import { del, delMany, get, getMany, keys, promisifyRequest, set, type UseStore } from 'idb-keyval'
import { createClientId } from '../client/client-id.ts'
import type { Message } from '../protocol.ts'
import { FAILURE_REASONS, type FailureReason } from './failure.ts'

/** Bumped when the saved shape changes; data of another version is dropped, not migrated. */
export const SAVED_VERSION = 1

/** What a visitor's browser remembers between page loads, per server + account. */
export interface SavedChat {
  /** Always `SAVED_VERSION`: anything else is old or foreign data, and is discarded. */
  version: typeof SAVED_VERSION
  visitorId: string | null
  chatId: string | null
  /** Confirmed messages of the current chat, oldest first. */
  messages: Message[]
  /** When the visitor last read the chat (drives the unread badge). */
  visitorReadAt: string | null
  /** When an agent last read the chat (drives the "seen" marks). */
  agentReadAt: string | null
  /** Whether older messages exist on the server than the oldest one saved. */
  hasMore: boolean
}

/**
 * A visitor's send the server has not acknowledged yet: kept until its ack, so a reload or a
 * lost connection neither loses nor doubles it (the server dedupes by `clientId`).
 */
export type OutboxEntry = {
  /** The send's id on the wire, the same on every attempt; also its `ChatItem.key`. */
  clientId: string
  /** When the visitor sent it (the pending bubble's time). */
  createdAt: string
  /** Set once the send failed for good (or ran out of attempts): shown, not sent until a retry. */
  failed?: { error: string; retryable: boolean; reason?: FailureReason }
} & (
  | { kind: 'text'; text: string }
  | {
      /** An upload whose bytes the server has; only `chat.upload_finish` is left to do. */
      kind: 'upload'
      uploadToken: string
      file: { name: string; type: string; size: number }
    }
)

export const emptyChat = (): SavedChat => ({
  version: SAVED_VERSION,
  visitorId: null,
  chatId: null,
  messages: [],
  visitorReadAt: null,
  agentReadAt: null,
  hasMore: false,
})

/** A place to keep a SavedChat and its outbox. IndexedDB is the default; tests inject their own. */
export interface ChatPersistence {
  readonly kind: 'indexeddb' | 'memory'
  /** The saved chat: its newest messages, or all of them (see `loadOlder`). */
  load(): Promise<SavedChat | undefined>
  /**
   * The saved messages before those `load` gave, oldest first (none when it gave them all): a
   * long chat is kept in parts, so that its newest can show before the rest is read.
   */
  loadOlder(): Promise<Message[]>
  /** Keeps `chat` whole; after a `load`, only once `loadOlder` has been read. */
  save(chat: SavedChat): Promise<void>
  clear(): Promise<void>
  /** The unacknowledged sends, oldest first. */
  loadOutbox(): Promise<OutboxEntry[]>
  saveOutbox(entries: readonly OutboxEntry[]): Promise<void>
}

/** Keeps the chat in memory only: used when IndexedDB is missing or refuses (private mode, quota). */
export function memoryPersistence(
  initial: { chat?: SavedChat; outbox?: readonly OutboxEntry[] } = {},
): ChatPersistence {
  let saved = initial.chat
  let outbox = [...(initial.outbox ?? [])]
  return {
    kind: 'memory',
    load: async () => saved,
    loadOlder: async () => [],
    save: async (chat) => {
      saved = chat
    },
    clear: async () => {
      saved = undefined
      outbox = []
    },
    loadOutbox: async () => [...outbox],
    saveOutbox: async (entries) => {
      outbox = [...entries]
    },
  }
}

/** How long one IndexedDB operation (open included) may take before we give up on it. */
export const IDB_TIMEOUT_MS = 2000

/**
 * An idb-keyval store that survives what browsers do to IndexedDB, unlike idb-keyval's own
 * `createStore` (which caches its first connection forever):
 * - an `open` that throws, errors, is `blocked` or never answers rejects (after `timeoutMs`);
 * - a connection the browser closed (`close` event, or `InvalidStateError` on use) is dropped
 *   and the next use opens a new one;
 * - a newer tab's upgrade (`versionchange`) closes our connection at once so it is not blocked.
 */
export function createChatStore(
  dbName = 'chat-widget',
  storeName = 'chats',
  timeoutMs = IDB_TIMEOUT_MS,
): UseStore {
  let dbp: Promise<IDBDatabase> | undefined
  const open = (): Promise<IDBDatabase> => {
    if (dbp) return dbp
    const opening = new Promise<IDBDatabase>((resolve, reject) => {
      let settled = false
      const fail = (error: unknown) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        reject(error)
      }
      const timer = setTimeout(
        () => fail(new DOMException('IndexedDB did not open in time', 'TimeoutError')),
        timeoutMs,
      )
      let request: IDBOpenDBRequest
      try {
        request = indexedDB.open(dbName)
      } catch (error) {
        fail(error) // e.g. a SecurityError in an opaque origin
        return
      }
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(storeName))
          request.result.createObjectStore(storeName)
      }
      request.onblocked = () => fail(new DOMException('IndexedDB open is blocked', 'AbortError'))
      request.onerror = () => fail(request.error)
      request.onsuccess = () => {
        const db = request.result
        if (settled) {
          db.close() // we gave up on it already
          return
        }
        settled = true
        clearTimeout(timer)
        const forget = () => {
          if (dbp === opening) dbp = undefined
        }
        db.onclose = forget
        db.onversionchange = () => {
          db.close()
          forget()
        }
        resolve(db)
      }
    })
    dbp = opening
    opening.catch(() => {
      if (dbp === opening) dbp = undefined
    })
    return opening
  }
  const transaction = async (mode: IDBTransactionMode): Promise<IDBObjectStore> => {
    const db = await open()
    try {
      return db.transaction(storeName, mode).objectStore(storeName)
    } catch (error) {
      // Closed under us (the browser, or a versionchange we answered): open again, once.
      if ((error as DOMException).name !== 'InvalidStateError') throw error
      dbp = undefined
      return (await open()).transaction(storeName, mode).objectStore(storeName)
    }
  }
  return (mode, callback) =>
    withTimeout(
      transaction(mode).then((store) => callback(store)),
      timeoutMs,
    )
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new DOMException(`IndexedDB did not answer within ${ms} ms`, 'TimeoutError')),
      ms,
    )
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

/** Messages a saved chat keeps in its own record at least: the newest, read first. */
export const SAVED_NEWEST = 100
/** Messages per part of the rest, each under its own key (`<namespace>#older#<n>`, 0 oldest). */
export const SAVED_PART = 200

/** How many parts of older messages a chat of `count` messages is saved in. */
const partsOf = (count: number) => Math.max(0, Math.floor((count - SAVED_NEWEST) / SAVED_PART))
const partKey = (namespace: string, index: number) => `${namespace}#older#${index}`

/**
 * The IndexedDB records of `chat` (what `indexedDbPersistence` writes): the chat under
 * `namespace` with its newest `SAVED_NEWEST` to `SAVED_NEWEST + SAVED_PART` messages and the
 * count of parts (`older`), and the older messages in parts of `SAVED_PART`, oldest first. The
 * parts hold whole, aligned slices, so a new message changes only the chat's own record.
 */
export function chatRecords(namespace: string, chat: SavedChat): [string, unknown][] {
  const parts = partsOf(chat.messages.length)
  const records: [string, unknown][] = []
  for (let i = 0; i < parts; i++) {
    const messages = chat.messages.slice(i * SAVED_PART, (i + 1) * SAVED_PART)
    records.push([partKey(namespace, i), { version: SAVED_VERSION, messages }])
  }
  const newest = chat.messages.slice(parts * SAVED_PART)
  records.push([namespace, { ...chat, messages: newest, older: parts }])
  return records
}

let sharedStore: UseStore | undefined

/**
 * Keeps the chat in IndexedDB through idb-keyval, one key per `namespace` (server + account),
 * so two widgets of different sites on one origin never mix their chats. The outbox sits beside
 * it, one key per tab (`namespace#outbox#<tab>`), so two tabs never overwrite each other's
 * sends: a page load takes up every tab's entries (a tab still open may send them too — the
 * server keeps one copy per clientId) and drops their keys on its first save.
 * Data of the wrong shape or version reads as nothing.
 */
export function indexedDbPersistence(namespace: string, store?: UseStore): ChatPersistence {
  // Opened lazily: creating the store opens the database, which we only want once needed.
  const useStore = () => {
    if (store) return store
    sharedStore ??= createChatStore()
    return sharedStore
  }
  const outboxPrefix = `${namespace}#outbox`
  const ownOutbox = `${outboxPrefix}#${createClientId()}`
  const isOutboxKey = (key: IDBValidKey): key is string =>
    typeof key === 'string' && (key === outboxPrefix || key.startsWith(`${outboxPrefix}#`))
  /** Other tabs' outbox keys read by `loadOutbox`: ours now, dropped on the next save. */
  let adopted: string[] = []
  /** The sends we read from those keys: ours to deliver (or already delivered). */
  const adoptedIds = new Set<string>()
  /**
   * The chat as we last read or wrote it: the same chat is not written again (a restored chat
   * of thousands of messages would otherwise be copied back whole right after the page load).
   */
  let stored: SavedChat | undefined
  /** The parts of older messages as read or written, or null while unread (unknown). */
  let parts: Message[][] | null = []
  /** How many parts the saved chat has. */
  let partCount = 0
  const isPartKey = (key: IDBValidKey) =>
    typeof key === 'string' && key.startsWith(`${namespace}#older#`)
  return {
    kind: 'indexeddb',
    load: async () => {
      const record = await get(namespace, useStore())
      const chat = validChat(record)
      const older = (record as { older?: unknown } | undefined)?.older
      partCount = chat && Number.isInteger(older) && (older as number) > 0 ? (older as number) : 0
      parts = partCount > 0 ? null : []
      if (!chat) {
        stored = undefined
        return undefined
      }
      // The record's own field stays out of the chat the service holds.
      const { older: _, ...saved } = chat as SavedChat & { older?: unknown }
      shareStrings(saved.messages)
      stored = snapshot(saved)
      return saved
    },
    loadOlder: async () => {
      if (parts) return []
      const keys = Array.from({ length: partCount }, (_, i) => partKey(namespace, i))
      const read = (await getMany(keys, useStore())).map(validPart)
      // A part missing or spoiled: the rest is still shown (the server has the history).
      parts = read.every((part) => part !== undefined) ? read : []
      const messages = parts.flat()
      shareStrings(messages)
      if (stored) stored = { ...stored, messages: [...messages, ...stored.messages] }
      return messages
    },
    save: async (chat) => {
      if (stored && sameChat(stored, chat)) return
      const copy = snapshot(chat)
      const records = chatRecords(namespace, chat)
      const written = records.slice(0, -1).map(([, part]) => (part as SavedPart).messages)
      const before = partCount
      await useStore()('readwrite', (store) => {
        // One transaction: a reader sees the old chat or the new one, never a mix.
        records.forEach(([key, value], i) => {
          const part = written[i]
          if (!part || !parts?.[i] || !sameMessages(parts[i]!, part)) store.put(value, key)
        })
        for (let i = written.length; i < before; i++) store.delete(partKey(namespace, i))
        return promisifyRequest(store.transaction)
      })
      parts = written
      partCount = written.length
      stored = copy
    },
    clear: async () => {
      stored = undefined
      parts = []
      partCount = 0
      await del(namespace, useStore())
      const own = (await keys(useStore())).filter((key) => isOutboxKey(key) || isPartKey(key))
      await delMany(own, useStore())
    },
    loadOutbox: async () => {
      const found = (await keys(useStore())).filter(isOutboxKey).filter((k) => k !== ownOutbox)
      const values = await getMany(found, useStore())
      adopted = found
      for (const entry of values.flatMap(validOutbox)) adoptedIds.add(entry.clientId)
      const seen = new Set<string>()
      const entries: OutboxEntry[] = []
      for (const entry of values.flatMap(validOutbox)) {
        if (seen.has(entry.clientId)) continue
        seen.add(entry.clientId)
        entries.push(entry)
      }
      // Several tabs' sends in the order they were made.
      return entries.sort((a, b) =>
        a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
      )
    },
    saveOutbox: async (entries) => {
      if (entries.length > 0) await set(ownOutbox, { version: SAVED_VERSION, entries }, useStore())
      else await del(ownOutbox, useStore())
      if (adopted.length === 0) return
      // Drop another tab's key only if it holds nothing new since we read it: that tab may still
      // be open and have saved a newer send there (it must not be lost). Read and delete in one
      // transaction: between a read and a delete of their own, that tab's newer save could land
      // and be deleted with the key.
      const ours = new Set(entries.map((entry) => entry.clientId))
      const known = (value: unknown) =>
        validOutbox(value).every(
          (entry) => ours.has(entry.clientId) || adoptedIds.has(entry.clientId),
        )
      const checking = adopted
      const taken = await useStore()('readwrite', (store) => {
        const deleted: string[] = []
        for (const key of checking) {
          const read = store.get(key)
          read.onsuccess = () => {
            if (!known(read.result)) return
            store.delete(key)
            deleted.push(key)
          }
        }
        return promisifyRequest(store.transaction).then(() => deleted)
      })
      adopted = adopted.filter((key) => !taken.includes(key))
    },
  }
}

/** A copy of what a chat holds that a later change to it cannot reach (messages are immutable). */
const snapshot = (chat: SavedChat): SavedChat => ({ ...chat, messages: [...chat.messages] })

function sameChat(a: SavedChat, b: SavedChat): boolean {
  return (
    a.visitorId === b.visitorId &&
    a.chatId === b.chatId &&
    a.visitorReadAt === b.visitorReadAt &&
    a.agentReadAt === b.agentReadAt &&
    a.hasMore === b.hasMore &&
    sameMessages(a.messages, b.messages)
  )
}

/** The same messages (messages are immutable: the same objects). */
const sameMessages = (a: readonly Message[], b: readonly Message[]) =>
  a.length === b.length && a.every((message, i) => message === b[i])

/** A part of a long chat's older messages, as saved. */
interface SavedPart {
  version: typeof SAVED_VERSION
  messages: Message[]
}

/**
 * Makes what repeats in every message of a chat one value each: the strings (the chat's id, the
 * visitor's, the kinds), the channel, an empty attachment list. IndexedDB hands back a copy per
 * message, which for a long chat is a good part of what it weighs in memory. Shared objects are
 * frozen: messages are data, never changed in place.
 */
export function shareStrings(messages: Message[]): void {
  const seen = new Map<string, string>()
  const share = <T>(value: T): T => {
    if (typeof value !== 'string') return value
    const known = seen.get(value)
    if (known !== undefined) return known as T
    seen.set(value, value)
    return value
  }
  /** Shared channels by type, then id (null included). */
  const channels = new Map<string, Map<string | null, Message['channel']>>()
  const shareChannel = (channel: Message['channel']) => {
    if (!isObject(channel)) return channel
    const { type, id } = channel
    if (typeof type !== 'string' || (id !== null && typeof id !== 'string')) return channel
    // Only a channel of exactly these two fields stands for the others.
    let fields = 0
    for (const _ in channel) if (++fields > 2) return channel
    let byId = channels.get(type)
    if (!byId) {
      byId = new Map()
      channels.set(type, byId)
    }
    const known = byId.get(id)
    if (known) return known
    const shared = Object.freeze({ type: share(type), id: share(id) })
    byId.set(id, shared)
    return shared
  }
  for (const message of messages) {
    message.type = share(message.type)
    message.subType = share(message.subType)
    message.chatId = share(message.chatId)
    message.visitorId = share(message.visitorId)
    message.agentId = share(message.agentId)
    message.channel = shareChannel(message.channel)
    if (Array.isArray(message.attachments) && message.attachments.length === 0)
      message.attachments = NO_ATTACHMENTS
    message.content.type = share(message.content.type)
  }
}

/** The one empty attachment list of restored messages (see `shareStrings`). */
const NO_ATTACHMENTS = Object.freeze([]) as unknown as Message['attachments']

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null
const isString = (value: unknown): value is string => typeof value === 'string'
const isStringOrNull = (value: unknown) => value === null || isString(value)

const validMessages = (value: unknown): value is Message[] =>
  Array.isArray(value) &&
  value.every(
    (m) =>
      isObject(m) &&
      isString(m.id) &&
      isString(m.createdAt) &&
      isString(m.chatId) &&
      isObject(m.content),
  )

/** A saved chat of the current version and shape, else undefined (old or corrupted data). */
export function validChat(value: unknown): SavedChat | undefined {
  if (!isObject(value) || value.version !== SAVED_VERSION) return undefined
  const ok =
    isStringOrNull(value.visitorId) &&
    isStringOrNull(value.chatId) &&
    isStringOrNull(value.visitorReadAt) &&
    isStringOrNull(value.agentReadAt) &&
    typeof value.hasMore === 'boolean' &&
    validMessages(value.messages)
  return ok ? (value as unknown as SavedChat) : undefined
}

/** The messages of a saved part of the current version and shape, else undefined. */
function validPart(value: unknown): Message[] | undefined {
  if (!isObject(value) || value.version !== SAVED_VERSION) return undefined
  return validMessages(value.messages) ? value.messages : undefined
}

/** The entries of a saved outbox that have the right shape; nothing for the wrong version. */
export function validOutbox(value: unknown): OutboxEntry[] {
  if (!isObject(value) || value.version !== SAVED_VERSION || !Array.isArray(value.entries))
    return []
  return value.entries.filter(
    (entry): entry is OutboxEntry =>
      isObject(entry) &&
      isString(entry.clientId) &&
      isString(entry.createdAt) &&
      (entry.failed === undefined ||
        (isObject(entry.failed) &&
          isString(entry.failed.error) &&
          typeof entry.failed.retryable === 'boolean' &&
          (entry.failed.reason === undefined ||
            FAILURE_REASONS.includes(entry.failed.reason as FailureReason)))) &&
      ((entry.kind === 'text' && isString(entry.text)) ||
        (entry.kind === 'upload' &&
          isString(entry.uploadToken) &&
          isObject(entry.file) &&
          isString(entry.file.name) &&
          isString(entry.file.type) &&
          typeof entry.file.size === 'number')),
  )
}

/**
 * IndexedDB when it works, else memory (with the `error` to tell the console about once).
 * Probes with a real read, since private modes may expose `indexedDB` and still refuse to open.
 */
export async function openPersistence(
  namespace: string,
  preferred?: ChatPersistence,
): Promise<{
  persistence: ChatPersistence
  saved: SavedChat | undefined
  outbox: OutboxEntry[]
  error?: unknown
}> {
  try {
    if (!preferred && typeof indexedDB === 'undefined') {
      throw new Error('IndexedDB is not available')
    }
    const persistence = preferred ?? indexedDbPersistence(namespace)
    // Side by side: neither read waits for the other.
    const [saved, outbox] = await Promise.all([persistence.load(), persistence.loadOutbox()])
    return { persistence, saved, outbox }
  } catch (error) {
    return { persistence: memoryPersistence(), saved: undefined, outbox: [], error }
  }
}

/** The one console line of a widget that lost IndexedDB. */
export function warnMemory(error: unknown): void {
  console.warn(
    '[chat-widget] IndexedDB is unavailable; the chat is kept in memory for this page only.',
    error,
  )
}
