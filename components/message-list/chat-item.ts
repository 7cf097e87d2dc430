import type { Message } from '../../src/protocol.ts'
import type { ChatItem } from '../../src/store/timeline.ts'

// The list renders the connection service's items as they are: a wire `Message`, its delivery
// state and a `key` that stays the same when a pending send becomes the server's message.
export type { ChatItem, DeliveryState } from '../../src/store/timeline.ts'

/** A run of consecutive messages from one sender, shown with one name, avatar and time. */
export interface SenderGroup {
  kind: 'contact' | 'agent'
  /** The first item's key: stable while messages are appended. */
  key: string
  /** The agent of an `agent` group (null for automated messages). */
  agentId: string | null
  items: ChatItem[]
}

/** A centred line: an event (agent joined, chat closed…) or a rating. */
export interface SystemLine {
  kind: 'system'
  key: string
  item: ChatItem
}

export type ListEntry = SenderGroup | SystemLine

/** Messages further apart than this start a new group, with its own time stamp. */
export const GROUP_GAP_MS = 5 * 60 * 1000

/**
 * The most messages in one group: a longer run starts a new group (with its own heading), so
 * that the list, which renders whole groups, keeps a bounded number of elements.
 */
export const GROUP_MAX_SIZE = 30

/** How many messages an entry shows. */
export const entrySize = (entry: ListEntry): number =>
  entry.kind === 'system' ? 1 : entry.items.length

/** Events (agent joined/left, chat closed), rating forms and other system messages. */
export function isSystemMessage(message: Message): boolean {
  return (
    message.type === 'event' || message.subType === 'system' || message.content.type === 'rate_form'
  )
}

/**
 * Groups an ordered list for display: consecutive messages of one side (the visitor, or one
 * agent) form a group unless more than `gapMs` apart or `maxSize` long; system messages stand
 * alone.
 */
export function groupItems(
  items: readonly ChatItem[],
  gapMs = GROUP_GAP_MS,
  maxSize = GROUP_MAX_SIZE,
): ListEntry[] {
  const entries: ListEntry[] = []
  let current: SenderGroup | null = null
  let lastTime = Number.NaN
  for (const item of items) {
    const { message } = item
    if (isSystemMessage(message)) {
      entries.push({ kind: 'system', key: item.key, item })
      current = null
      continue
    }
    const kind = message.subType === 'contact' ? 'contact' : 'agent'
    const agentId = kind === 'agent' ? message.agentId : null
    const time = Date.parse(message.createdAt)
    const sameSender = current && current.kind === kind && current.agentId === agentId
    if (current && sameSender && !(time - lastTime > gapMs) && current.items.length < maxSize) {
      current.items.push(item)
    } else {
      current = { kind, key: item.key, agentId, items: [item] }
      entries.push(current)
    }
    lastTime = time
  }
  return entries
}
