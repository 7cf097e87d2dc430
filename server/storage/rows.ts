/**
 * Rows → records, shared by the SQLite and PostgreSQL storages: both use the same column names;
 * only booleans differ (SQLite answers 1/0, PostgreSQL true/false).
 */
import type { ChatStatus, Message } from '../../src/protocol.ts'
import type {
  AccountRecord,
  AgentRecord,
  ChatRecord,
  StoredFile,
  UploadRecord,
  VisitorRecord,
} from './types.ts'

export type Row = Record<string, unknown>

/** A boolean column, as either database answers it. */
const flag = (value: unknown): boolean => value === true || value === 1

export function toAccount(row: Row): AccountRecord {
  return {
    id: row.id as string,
    key: row.key as string,
    name: row.name as string,
    secret: row.secret as string,
    allowedOrigins: JSON.parse(row.allowed_origins as string),
    createdAt: row.created_at as string,
  }
}

export function toAgent(row: Row): AgentRecord {
  return {
    id: row.id as string,
    accountId: row.account_id as string,
    token: row.token as string,
    nickname: row.nickname as string,
    fullname: row.fullname as string,
    description: row.description as string,
    avatar: row.avatar as string,
    groups: JSON.parse(row.groups as string),
  }
}

export function toVisitor(row: Row): VisitorRecord {
  return {
    id: row.id as string,
    accountId: row.account_id as string,
    chatId: (row.chat_id as string | null) ?? null,
    name: row.name as string | null,
    email: row.email as string | null,
    phone: row.phone as string | null,
    lang: row.lang as string | null,
    group: row.grp as string | null,
    bannedAt: row.banned_at as string | null,
    visits: row.visits as number,
    variables: JSON.parse(row.variables as string),
    authenticated: flag(row.authenticated),
    pageUrl: (row.page_url as string | null) ?? null,
    pageTitle: (row.page_title as string | null) ?? null,
    pageAt: (row.page_at as string | null) ?? null,
    referer: (row.referer as string | null) ?? null,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
  }
}

export function toChat(row: Row): ChatRecord {
  return {
    id: row.id as string,
    accountId: row.account_id as string,
    visitorId: row.visitor_id as string,
    status: row.status as ChatStatus,
    assignedIds: JSON.parse(row.assigned_ids as string),
    rating: row.rating ? JSON.parse(row.rating as string) : null,
    visitorLastReadAt: row.visitor_read_at as string | null,
    agentLastReadAt: row.agent_read_at as string | null,
    unreadByVisitor: row.unread_by_visitor as number,
    unreadByAgent: row.unread_by_agent as number,
    lastMessage: row.last_body ? (JSON.parse(row.last_body as string) as Message) : null,
    hasOfflineMessage: flag(row.has_offline),
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
  }
}

export function toUpload(row: Row): UploadRecord {
  return {
    token: row.token as string,
    accountId: row.account_id as string,
    visitorId: row.visitor_id as string,
    agentId: (row.agent_id as string | null) ?? null,
    chatId: (row.chat_id as string | null) ?? null,
    expiresAt: row.expires_at as string,
    state: row.state as UploadRecord['state'],
    file: row.file ? (JSON.parse(row.file as string) as StoredFile) : null,
  }
}
