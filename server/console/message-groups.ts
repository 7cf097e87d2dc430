import type { Message } from '../../src/protocol.ts'

/** Which side of the conversation a message is shown on. */
export type Side = 'visitor' | 'agent' | 'event'

/** Consecutive messages of one author, shown together under one name and time. */
export interface MessageGroup {
  side: Side
  /** The agent of an agent group, else null. */
  agentId: string | null
  /** A trigger's (automatic message's) name, else null. */
  trigger: string | null
  messages: Message[]
}

/** Events (joined, left, closed) and ratings are lines of their own in the middle. */
export function sideOf(message: Message): Side {
  if (message.type === 'event' || message.content.type === 'rate_form') return 'event'
  return message.subType === 'contact' ? 'visitor' : 'agent'
}

/** Groups messages (already in order) by author; events always stand alone. */
export function groupMessages(messages: readonly Message[]): MessageGroup[] {
  const groups: MessageGroup[] = []
  for (const message of messages) {
    const side = sideOf(message)
    const agentId = side === 'agent' ? message.agentId : null
    const trigger = message.trigger?.name ?? null
    const last = groups.at(-1)
    if (
      last &&
      side !== 'event' &&
      last.side === side &&
      last.agentId === agentId &&
      last.trigger === trigger
    ) {
      last.messages.push(message)
    } else {
      groups.push({ side, agentId, trigger, messages: [message] })
    }
  }
  return groups
}

/**
 * Merges a fresh newest page into the messages shown: keeps the older ones that the page
 * continues, or starts over from the page when there is a gap between them.
 */
export function mergeNewest(shown: readonly Message[], page: readonly Message[]): Message[] {
  const first = page[0]
  if (!first) return [...shown]
  const at = shown.findIndex((m) => m.id === first.id)
  // No overlap: more was said than one page while we were away, so the page replaces all.
  if (at === -1) return [...page]
  return [...shown.slice(0, at), ...page]
}
