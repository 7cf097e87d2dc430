import type { Agent, AgentChat, Message, Rating, Visitor } from '../../src/protocol.ts'

/** The visitor's name, or "Visitor #abcd" from the start of the id. */
export function visitorName(visitor: Pick<Visitor, 'id' | 'name'>): string {
  return visitor.name?.trim() || `Visitor #${visitor.id.slice(0, 4)}`
}

/** An agent's display name. */
export function agentName(agent: Agent | undefined): string {
  return agent ? agent.nickname || agent.fullname || 'Agent' : 'Agent'
}

// `numeric` hours as the widget shows them: "1:28 PM" in English (not "01:28 PM"), "13:28" in German.
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })
const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' })

/** "14:05" for today, "3 Mar" for older days. */
export function shortTime(iso: string, now = new Date()): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return date.toDateString() === now.toDateString()
    ? timeFormat.format(date)
    : dateFormat.format(date)
}

/** Full date and time, for a `title` tooltip. */
export function longTime(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString()
}

/** "12 KB" */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/**
 * A URL from the server, only if it is http(s) or relative: Lit does not check `href`,
 * and a `javascript:` URL must never reach one.
 */
export function safeUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined
  try {
    const parsed = new URL(url, location.href)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined
  } catch {
    return undefined
  }
}

/** A page the visitor is on, as a link only if it is an absolute http(s) URL. */
export function pageLink(url: string | null | undefined): string | undefined {
  if (!url) return undefined
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined
  } catch {
    return undefined
  }
}

/** One line of text for a message, for the chat list's preview. */
export function messagePreview(message: Message | null, agents: Agent[] = []): string {
  if (!message) return 'No messages yet'
  if (message.type === 'event') return eventText(message, agents)
  const attachment = message.attachments[0]
  if (message.content.type === 'upload' || attachment) {
    const name = attachment?.fileName ?? message.content.data?.fileName ?? ''
    return `${attachment?.type === 'image' ? 'Image' : 'File'}: ${name}`
  }
  if (message.content.type === 'rate_form') return ratingText(message)
  const text = message.content.text ?? ''
  return message.subType === 'agent' ? `You: ${text}` : text
}

/** The sentence shown for an event message (joined, left, closed…). */
export function eventText(message: Message, agents: Agent[]): string {
  const agent = agentName(agents.find((a) => a.id === message.agentId))
  switch (message.content.type) {
    case 'agent_join':
      return `${agent} joined the chat`
    case 'agent_leave':
      return `${agent} left the chat`
    case 'agent_assign':
      return `${agent} was assigned`
    case 'agent_unassign':
      return `${agent} was unassigned`
    case 'chat_close':
      return 'Chat closed'
    default:
      return message.content.text ?? message.content.type
  }
}

/** The rating a `rate_form` message carries, or null while the visitor has not rated. */
export function ratingOf(message: Message): Rating | null {
  const data = message.content.data as { value?: number | null; text?: string | null } | null
  if (typeof data?.value !== 'number') return null
  return { value: data.value, text: data.text ?? null }
}

/** "Rated 4/5 — great" for a rating message. */
export function ratingText(message: Message): string {
  const rating = ratingOf(message)
  if (!rating) return 'Rating requested'
  return `Visitor rated ${rating.value}/5${rating.text ? ` — ${rating.text}` : ''}`
}

/** Highest rating value (the widget's scale). */
export const RATING_MAX = 5

/** "★★★★☆" for 4 (drawn; say the value in words next to it for screen readers). */
export function stars(value: number): string {
  const full = Math.max(0, Math.min(RATING_MAX, Math.round(value)))
  return '★'.repeat(full) + '☆'.repeat(RATING_MAX - full)
}

/** A `mailto:` link for a plausible address only (nothing that could add headers). */
export function mailtoUrl(email: string | null | undefined): string | undefined {
  const address = email?.trim()
  if (!address || !/^[^\s@?&#/:]+@[^\s@?&#/:]+$/.test(address)) return undefined
  return `mailto:${address}`
}

/**
 * The list's order: new chats no agent has joined yet, then open ones, then closed ones, so a
 * visitor waiting for anybody is not pushed down by the conversations going on (nor by a chat
 * closed a moment ago); most recently active first within each.
 */
export function inListOrder(a: AgentChat, b: AgentChat): number {
  return LIST_RANK[a.status] - LIST_RANK[b.status] || activity(b) - activity(a)
}

const LIST_RANK: Record<AgentChat['status'], number> = { pending: 0, open: 1, closed: 2 }

function activity(chat: AgentChat): number {
  const last = Date.parse(chat.lastMessage?.createdAt ?? '') || 0
  return Math.max(last, Date.parse(chat.updatedAt) || 0)
}
