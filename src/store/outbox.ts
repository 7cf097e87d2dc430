import { backoffDelay } from '../client/backoff.ts'
import type { SocketError } from '../client/socket-error.ts'
import type { Message } from '../protocol.ts'
import { failureReason, isRefusal } from './failure.ts'
import type { OutboxEntry } from './persistence.ts'

export interface OutboxOptions {
  /** Sends one entry (with its `clientId`); resolves with the stored Message. */
  send(entry: OutboxEntry): Promise<Message>
  /** Whether requests can go out now (the connection is initialized). */
  ready(): boolean
  /** The server stored the entry. */
  onSent(entry: OutboxEntry, message: Message): void
  /** The entry failed for good (`entry.failed` says why): shown, not sent until a retry. */
  onFailed(entry: OutboxEntry): void
  /** Persists the whole outbox; must not reject (the caller falls back to memory itself). */
  save(entries: readonly OutboxEntry[]): Promise<void>
  /**
   * Attempts per send when the ack times out or the server errs (5xx), with backoff between.
   * @default 4
   */
  attempts?: number
  /**
   * Attempts while the server answers `rate_limited` (429), with backoff between.
   * @default 20
   */
  rateLimitedAttempts?: number
  /** First delay between attempts, doubling each time. @default 500 */
  retryDelay?: number
  /** @default 8000 */
  maxRetryDelay?: number
}

/**
 * The visitor's unacknowledged sends, oldest first: persisted before each goes out, sent one at
 * a time in order whenever the connection is initialized, each with its own `clientId` on every
 * attempt (so the server keeps one copy), and dropped once the server stored it.
 *
 * A lost connection is not a failure: the entry waits for the next `kick()`. A timeout or a
 * server error is retried with backoff a few times; a refusal (4xx) fails at once.
 */
export class Outbox {
  #entries: OutboxEntry[] = []
  #running = false
  #stopped = false
  #retryTimer: ReturnType<typeof setTimeout> | undefined
  readonly #tries = new Map<string, number>()
  /** Callers of `add`/`retry` waiting for an entry to be sent, failed or dropped. */
  readonly #waiters = new Map<string, (() => void)[]>()
  #saving: Promise<void> = Promise.resolve()
  #queuedSave: Promise<void> | undefined

  readonly #options: OutboxOptions

  constructor(options: OutboxOptions) {
    this.#options = options
  }

  get list(): readonly OutboxEntry[] {
    return this.#entries
  }

  get(clientId: string): OutboxEntry | undefined {
    return this.#entries.find((entry) => entry.clientId === clientId)
  }

  /** Entries from an earlier page load, ahead of any made since. */
  restore(entries: readonly OutboxEntry[]): void {
    const known = new Set(this.#entries.map((entry) => entry.clientId))
    this.#entries = [...entries.filter((entry) => !known.has(entry.clientId)), ...this.#entries]
    // Nothing restored, nothing to write: a first paint need not wait behind a write.
    if (entries.length > 0) void this.persist()
    this.kick()
  }

  /** Queues a send; resolves when it is stored, failed or dropped (not when merely persisted). */
  add(entry: OutboxEntry): Promise<void> {
    this.#entries = [...this.#entries, entry]
    const settled = this.#settled(entry.clientId)
    void this.persist()
    this.kick()
    return settled
  }

  /** Sends a failed entry again from a fresh count of attempts. */
  retry(clientId: string): Promise<void> {
    const entry = this.get(clientId)
    if (!entry) return Promise.resolve()
    this.#tries.delete(clientId)
    this.#replace({ ...entry, failed: undefined })
    const settled = this.#settled(clientId)
    void this.persist()
    this.kick()
    return settled
  }

  /** Drops an entry: the visitor gave up on it, or the server is known to have stored it. */
  remove(clientId: string): void {
    if (!this.get(clientId)) return
    this.#entries = this.#entries.filter((entry) => entry.clientId !== clientId)
    this.#tries.delete(clientId)
    void this.persist()
    this.#settle(clientId)
  }

  /** Sends what is due, if the connection allows; safe to call any time. */
  kick(): void {
    if (this.#stopped || this.#running || this.#retryTimer || !this.#options.ready()) return
    void this.#run()
  }

  /** After a reconnect: a backoff in progress starts over now. */
  resume(): void {
    clearTimeout(this.#retryTimer)
    this.#retryTimer = undefined
    this.kick()
  }

  /** Stops sending (the entries stay persisted) and releases every waiter. */
  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#retryTimer)
    for (const clientId of [...this.#waiters.keys()]) this.#settle(clientId)
    await this.#saving
  }

  /** Resolves once the current entries are persisted. */
  persist(): Promise<void> {
    if (!this.#queuedSave) {
      const queued = this.#saving.then(() => {
        this.#queuedSave = undefined
        return this.#options.save([...this.#entries])
      })
      this.#queuedSave = queued
      this.#saving = queued.catch(() => undefined)
    }
    return this.#saving
  }

  async #run(): Promise<void> {
    this.#running = true
    try {
      while (!this.#stopped && this.#options.ready()) {
        const entry = this.#entries.find((candidate) => !candidate.failed)
        if (!entry) break
        // Kept on disk before it goes out, so a reload in between cannot lose it.
        await this.persist()
        if (this.get(entry.clientId) !== entry) continue
        if (!(await this.#attempt(entry))) break
      }
    } finally {
      this.#running = false
    }
  }

  /** One attempt; false when sending must pause (offline, or a backoff is scheduled). */
  async #attempt(entry: OutboxEntry): Promise<boolean> {
    try {
      const message = await this.#options.send(entry)
      this.remove(entry.clientId)
      this.#options.onSent(entry, message)
      return true
    } catch (caught) {
      const error = caught as SocketError
      if (this.#stopped) return false
      const current = this.get(entry.clientId)
      if (!current || current.failed) return true // dropped or confirmed meanwhile
      if (error.type === 'disconnected' || !this.#options.ready()) return false
      const tries = (this.#tries.get(entry.clientId) ?? 0) + 1
      this.#tries.set(entry.clientId, tries)
      const rateLimited = error.type === 'rate_limited' || error.code === 429
      const limit = rateLimited
        ? (this.#options.rateLimitedAttempts ?? 20)
        : (this.#options.attempts ?? 4)
      if (isRefusal(error) || tries >= limit) {
        this.#tries.delete(entry.clientId)
        const failed = {
          ...current,
          failed: {
            error: error.message ?? String(error),
            retryable: !isRefusal(error),
            reason: failureReason(error),
          },
        }
        this.#replace(failed)
        void this.persist()
        this.#options.onFailed(failed)
        this.#settle(entry.clientId)
        return true
      }
      const min = this.#options.retryDelay ?? 500
      const delay = backoffDelay(tries - 1, {
        min: rateLimited ? min * 2 : min,
        max: this.#options.maxRetryDelay ?? 8000,
        jitter: 0.3,
      })
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined
        this.kick()
      }, delay)
      return false
    }
  }

  #replace(entry: OutboxEntry): void {
    this.#entries = this.#entries.map((candidate) =>
      candidate.clientId === entry.clientId ? entry : candidate,
    )
  }

  #settled(clientId: string): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.set(clientId, [...(this.#waiters.get(clientId) ?? []), resolve])
    })
  }

  #settle(clientId: string): void {
    const waiters = this.#waiters.get(clientId) ?? []
    this.#waiters.delete(clientId)
    for (const resolve of waiters) resolve()
  }
}
