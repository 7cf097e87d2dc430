import type { Message } from '../protocol.ts'

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
  /** Why a pending send failed, in words for the visitor (e.g. "File too large (max 10 MB)"). */
  error?: string
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
  private items: ChatItem[] = []

  /** The current list; a new array after every change, so views can compare by identity. */
  get list(): readonly ChatItem[] {
    return this.items
  }

  get confirmed(): Message[] {
    return this.items.filter((item) => !item.pending).map((item) => item.message)
  }

  get pending(): ChatItem[] {
    return this.items.filter((item) => item.pending)
  }

  /** The oldest confirmed message (the cursor for the next history page). */
  get oldest(): Message | undefined {
    return this.items.find((item) => !item.pending)?.message
  }

  /** The newest confirmed message (the cursor for catching up after a reconnect). */
  get newest(): Message | undefined {
    for (let i = this.items.length - 1; i >= 0; i--) {
      const item = this.items[i]!
      if (!item.pending) return item.message
    }
    return undefined
  }

  has(id: string): boolean {
    return this.items.some((item) => item.message.id === id)
  }

  /** Adds a local message that the server has not stored yet. */
  addPending(message: Message): void {
    this.items = [...this.items, { key: keyOf(message), message, state: 'sending', pending: true }]
  }

  /** Updates a pending send: failed (with why) or back to sending, upload progress. */
  patchPending(
    key: string,
    patch: Partial<Pick<ChatItem, 'state' | 'progress' | 'error' | 'retryable'>>,
  ): void {
    this.items = this.items.map((item) =>
      item.key === key && item.pending ? { ...item, ...patch } : item,
    )
  }

  removePending(key: string): void {
    this.items = this.items.filter((item) => !(item.pending && item.key === key))
  }

  /**
   * Adds or updates server messages. Returns the messages that were new to the list
   * (neither known by id nor a pending send they confirm).
   */
  upsert(messages: readonly Message[]): Message[] {
    const fresh: Message[] = []
    let items = this.items
    for (const message of messages) {
      const byId = items.findIndex((item) => item.message.id === message.id)
      const key = keyOf(message)
      if (byId >= 0) {
        // The echo may have come first without its clientId: the ack then retires the pending copy.
        items = items
          .map((item, i) => (i === byId ? { ...item, message } : item))
          .filter((item) => !(item.pending && item.key === key))
        continue
      }
      const wasPending = items.some((item) => item.pending && item.key === key)
      if (!wasPending) fresh.push(message)
      items = insertConfirmed(
        items.filter((item) => !(item.pending && item.key === key)),
        { key, message, state: 'sent', pending: false },
      )
    }
    this.items = items
    return fresh
  }

  /**
   * Rebuilds the list from a fresh server page (the newest messages of the chat): the page is
   * the truth for its time range, older messages we paged in before stay, pending sends stay.
   */
  rebuild(page: readonly Message[]): Message[] {
    const first = page[0]
    const inPage = new Set(page.map((message) => message.id))
    const kept = this.items.filter((item) => {
      if (item.pending) return true
      if (!first || inPage.has(item.message.id)) return false
      // Older than the page: history paged in earlier (or caught up). A message of the page's
      // first millisecond counts as older too, unless the sequence says otherwise: dropping
      // it would lose it.
      return item.message.chatId === first.chatId && notAfter(item.message, first)
    })
    const known = new Set(this.items.map((item) => item.message.id))
    this.items = kept
    this.upsert(page)
    return page.filter((message) => !known.has(message.id))
  }

  /** Drops everything (a new visitor, or the server forgot the chat). */
  clear(): void {
    this.items = []
  }

  /** Marks the visitor's confirmed messages up to `lastReadAt` as seen by an agent. */
  markSeen(lastReadAt: string | null): void {
    if (!lastReadAt) return
    this.items = this.items.map((item) =>
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

/** Inserts after every confirmed message not newer than it, before any pending ones. */
function insertConfirmed(items: ChatItem[], entry: ChatItem): ChatItem[] {
  let index = items.length
  while (index > 0) {
    const previous = items[index - 1]!
    if (!previous.pending && notAfter(previous.message, entry.message)) break
    index--
  }
  return [...items.slice(0, index), entry, ...items.slice(index)]
}
