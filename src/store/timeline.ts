import type { Message } from '../protocol.ts'
import type { FailureReason } from './failure.ts'

/** Where the visitor's own message is on its way to the agent. */
export type DeliveryState = 'sending' | 'sent' | 'failed' | 'seen'

/** One entry of the chat as the view shows it. */
export interface ChatItem {
  /** Stable across the pending → confirmed switch: the clientId when there is one, else the id. */
  key: string
  message: Message
  state: DeliveryState
  /** True until the server has stored the message (its id is then the server's). */
  pending: boolean
  /** A file on its way up: bytes sent so far of the total (pending uploads only). */
  progress?: { loaded: number; total: number }
  /**
   * Why a pending send failed, as the server or the client said it (English, for developers:
   * "Too many messages; try again in 3 s"). Views show `reason` in their own words instead.
   */
  error?: string
  /** What kind of failure that was, for a view to say in the visitor's language. */
  reason?: FailureReason
  /** Whether sending it again can help (false for a file the server will never take). */
  retryable?: boolean
}

const keyOf = (message: Message) => message.clientId ?? message.id

/**
 * The chat as one ordered list in which every message appears once, whichever way it arrived:
 * a send's ack, the `chat.message_received` echo, another tab, a reconnect's `initialized`,
 * a history page or IndexedDB. Confirmed messages keep the server's order; pending sends stay
 * below them in the order they were made.
 */
export class Timeline {
  #items: ChatItem[] = []

  /** The current list; a new array after every change, so views can compare by identity. */
  get list(): readonly ChatItem[] {
    return this.#items
  }

  get confirmed(): Message[] {
    return this.#items.filter((item) => !item.pending).map((item) => item.message)
  }

  get pending(): ChatItem[] {
    return this.#items.filter((item) => item.pending)
  }

  /** The oldest confirmed message (the cursor for the next history page). */
  get oldest(): Message | undefined {
    return this.#items.find((item) => !item.pending)?.message
  }

  /** The newest confirmed message (the cursor for catching up after a reconnect). */
  get newest(): Message | undefined {
    for (let i = this.#items.length - 1; i >= 0; i--) {
      const item = this.#items[i]!
      if (!item.pending) return item.message
    }
    return undefined
  }

  has(id: string): boolean {
    return this.#items.some((item) => item.message.id === id)
  }

  /** Adds a local message that the server has not stored yet. */
  addPending(message: Message): void {
    this.#items = [
      ...this.#items,
      { key: keyOf(message), message, state: 'sending', pending: true },
    ]
  }

  /** Updates a pending send: failed (with why) or back to sending, upload progress. */
  patchPending(
    key: string,
    patch: Partial<Pick<ChatItem, 'state' | 'progress' | 'error' | 'reason' | 'retryable'>>,
  ): void {
    this.#items = this.#items.map((item) =>
      item.key === key && item.pending ? { ...item, ...patch } : item,
    )
  }

  removePending(key: string): void {
    this.#items = this.#items.filter((item) => !(item.pending && item.key === key))
  }

  /**
   * Adds or updates server messages. Returns the messages that were new to the list
   * (neither known by id nor a pending send they confirm).
   */
  upsert(messages: readonly Message[]): Message[] {
    const fresh: Message[] = []
    // Pending sends always come after the confirmed messages (`addPending` appends them), so the
    // two parts are worked on apart and joined once: a restore of thousands stays linear.
    const split = this.#items.findIndex((item) => item.pending)
    const confirmed = split < 0 ? [...this.#items] : this.#items.slice(0, split)
    let pending = split < 0 ? [] : this.#items.slice(split)
    /** Confirmed ids → index; dropped when an insertion shifts indexes, rebuilt on use. */
    let index: Map<string, number> | null = null
    const dropPending = (key: string) => {
      if (pending.some((item) => item.key === key))
        pending = pending.filter((item) => item.key !== key)
    }
    for (const message of messages) {
      const key = keyOf(message)
      index ??= new Map(confirmed.map((item, i) => [item.message.id, i]))
      const known = index.get(message.id) ?? -1
      if (known >= 0) {
        // The echo may have come first without its clientId: the ack then retires the pending copy.
        confirmed[known] = { ...confirmed[known]!, message }
        dropPending(key)
        continue
      }
      const pendingById = pending.findIndex((item) => item.message.id === message.id)
      if (pendingById >= 0) {
        pending = pending.map((item, i) => (i === pendingById ? { ...item, message } : item))
        dropPending(key)
        continue
      }
      const wasPending = pending.some((item) => item.key === key)
      if (!wasPending) fresh.push(message)
      dropPending(key)
      const at = insertionPoint(confirmed, message)
      confirmed.splice(at, 0, { key, message, state: 'sent', pending: false })
      if (at === confirmed.length - 1) index.set(message.id, at)
      else index = null
    }
    this.#items = pending.length > 0 ? [...confirmed, ...pending] : confirmed
    return fresh
  }

  /**
   * Puts saved messages before the list when that is where `upsert` would put them: in order,
   * each before every confirmed message held, none already held and none confirming a pending
   * send (the rest of a long chat restored, shown after its newest part). One pass, where
   * `upsert` would insert them one by one. Otherwise it is `upsert`.
   */
  prependOlder(messages: readonly Message[]): void {
    const isBeforeHeld = beforeAll(this.#items.filter((i) => !i.pending).map((i) => i.message))
    const ids = new Set(this.#items.map((item) => item.message.id))
    const pendingKeys = new Set(this.pending.map((item) => item.key))
    let previous: Message | undefined
    for (const message of messages) {
      const clash = ids.has(message.id) || pendingKeys.has(keyOf(message))
      const inOrder = !previous || notAfter(previous, message)
      // Each held one is after it (a tie goes after the held one, in arrival order).
      if (clash || !inOrder || !isBeforeHeld(message)) {
        this.upsert(messages)
        return
      }
      ids.add(message.id)
      previous = message
    }
    const older = messages.map(
      (message): ChatItem => ({ key: keyOf(message), message, state: 'sent', pending: false }),
    )
    if (older.length > 0) this.#items = [...older, ...this.#items]
  }

  /**
   * Rebuilds the list from a fresh server page (the newest messages of the chat): the page is
   * the truth for its time range, older messages we paged in before stay, pending sends stay.
   */
  rebuild(page: readonly Message[]): Message[] {
    const first = page[0]
    const inPage = new Set(page.map((message) => message.id))
    const kept = this.#items.filter((item) => {
      if (item.pending) return true
      if (!first || inPage.has(item.message.id)) return false
      // Older than the page: history paged in earlier (or caught up). A message of the page's
      // first millisecond counts as older too, unless the sequence says otherwise: dropping
      // it would lose it.
      return item.message.chatId === first.chatId && notAfter(item.message, first)
    })
    const known = new Set(this.#items.map((item) => item.message.id))
    this.#items = kept
    this.upsert(page)
    return page.filter((message) => !known.has(message.id))
  }

  /** Drops everything (a new visitor, or the server forgot the chat). */
  clear(): void {
    this.#items = []
  }

  /** Marks the visitor's confirmed messages up to `lastReadAt` as seen by an agent. */
  markSeen(lastReadAt: string | null): void {
    if (!lastReadAt) return
    this.#items = this.#items.map((item) =>
      !item.pending &&
      item.state === 'sent' &&
      item.message.subType === 'contact' &&
      item.message.createdAt <= lastReadAt
        ? { ...item, state: 'seen' }
        : item,
    )
  }
}

/**
 * Whether `a` comes before (or with) `b` in the chat: by the server's sequence within one chat,
 * else by time (ties keep arrival order).
 */
function notAfter(a: Message, b: Message): boolean {
  if (a.seq !== undefined && b.seq !== undefined && a.chatId === b.chatId) return a.seq <= b.seq
  return a.createdAt <= b.createdAt
}

/**
 * Whether a message comes strictly before every one of `held` in `notAfter`'s order, without
 * comparing it with each: against a held message of its chat with a sequence, by sequence (when
 * it has one); against the others, by time.
 */
function beforeAll(held: readonly Message[]): (message: Message) => boolean {
  const earliest = (messages: Message[]) =>
    messages.reduce<string | null>(
      (min, m) => (min === null || m.createdAt < min ? m.createdAt : min),
      null,
    )
  const firstTime = earliest([...held])
  /** Per chat with sequences: the lowest sequence, and the earliest time of the rest. */
  const byChat = new Map<string, { seq: number; time: string | null }>()
  for (const chatId of new Set(held.filter((m) => m.seq !== undefined).map((m) => m.chatId))) {
    const sequenced = (m: Message) => m.seq !== undefined && m.chatId === chatId
    byChat.set(chatId, {
      seq: Math.min(...held.filter(sequenced).map((m) => m.seq!)),
      time: earliest(held.filter((m) => !sequenced(m))),
    })
  }
  return (message) => {
    const chat = message.seq === undefined ? undefined : byChat.get(message.chatId)
    if (!chat) return firstTime === null || message.createdAt < firstTime
    return message.seq! < chat.seq && (chat.time === null || message.createdAt < chat.time)
  }
}

/** Where `message` goes among confirmed ones: after every one not newer than it. */
function insertionPoint(confirmed: readonly ChatItem[], message: Message): number {
  let index = confirmed.length
  while (index > 0 && !notAfter(confirmed[index - 1]!.message, message)) index--
  return index
}
