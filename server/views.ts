/** Storage records → wire shapes (src/protocol.ts). No I/O here. */
import type {
  Agent,
  AgentChat,
  AgentStatus,
  AgentVisitor,
  ChatInfo,
  Message,
  Visitor,
} from '../src/protocol.ts'
import type { AgentRecord, ChatRecord, VisitorRecord } from './storage/types.ts'

export function visitorView(v: VisitorRecord): Visitor {
  return {
    id: v.id,
    chatId: v.chatId,
    lang: v.lang,
    name: v.name,
    email: v.email,
    phone: v.phone,
    bannedAt: v.bannedAt,
    group: v.group,
    visits: v.visits,
    // `authenticated` only ever comes from a verified `visitor.authenticate`.
    variables: v.authenticated ? { ...v.variables, authenticated: true } : { ...v.variables },
  }
}

/** The visitor as agents see them: `visitorView` plus the current page and the referrer. */
export function agentVisitorView(v: VisitorRecord): AgentVisitor {
  return {
    ...visitorView(v),
    page: v.pageUrl
      ? { url: v.pageUrl, title: v.pageTitle ?? null, at: v.pageAt ?? v.updatedAt }
      : null,
    referer: v.referer ?? null,
  }
}

export function agentView(a: AgentRecord, status: AgentStatus): Agent {
  return {
    id: a.id,
    status,
    groups: a.groups,
    nickname: a.nickname,
    fullname: a.fullname,
    description: a.description,
    avatar: a.avatar,
  }
}

/** The visitor's view of a chat: `readInfo` is the agents' read mark, `unreadInfo` the visitor's. */
export function chatInfoView(c: ChatRecord, messages: Message[]): ChatInfo {
  return {
    id: c.id,
    assignedIds: c.assignedIds,
    rating: c.rating,
    status: c.status,
    readInfo: { type: 'agent', lastReadAt: c.agentLastReadAt },
    unreadInfo: { type: 'visitor', count: c.unreadByVisitor, lastReadAt: c.visitorLastReadAt },
    messages,
  }
}

export function agentChatView(c: ChatRecord, visitor: VisitorRecord): AgentChat {
  return {
    id: c.id,
    status: c.status,
    visitor: agentVisitorView(visitor),
    assignedIds: c.assignedIds,
    rating: c.rating,
    lastMessage: c.lastMessage,
    unreadCount: c.unreadByAgent,
    hasOfflineMessage: c.hasOfflineMessage,
    visitorLastReadAt: c.visitorLastReadAt,
    agentLastReadAt: c.agentLastReadAt,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  }
}
