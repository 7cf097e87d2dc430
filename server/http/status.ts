/**
 * `GET /v1/status?key=ACCOUNT_KEY` → `{ status: 'online' | 'offline' }`: whether an agent of the
 * account is online, for the widget's launcher before it opens a socket (a visitor who never
 * chats opens none). It is public information, so any origin may read it (CORS `*`, no
 * credentials), and it is cacheable for a few seconds with an ETag: a page view costs one small,
 * often cached, request instead of a WebSocket.
 */
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AccountStatus } from '../../src/protocol.ts'
import type { Storage } from '../storage/types.ts'
import { sendError } from './respond.ts'

/** How long browsers and proxies may reuse an answer: status changes show within this. */
export const STATUS_MAX_AGE = 15

/** Account keys are short printable tokens (the socket handshake allows 1–64 characters). */
const KEY = /^[\w.~-]{1,64}$/

export interface StatusDeps {
  storage: Storage
  /** The account's status as this node sees it (agents online anywhere, with Redis). */
  accountStatus(accountId: string): Promise<AccountStatus>
}

export interface StatusBody {
  status: AccountStatus
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Max-Age': '86400',
}

export async function handleStatus(
  req: IncomingMessage,
  res: ServerResponse,
  deps: StatusDeps,
): Promise<void> {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, CORS)
    res.end()
    return
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD, OPTIONS')
    return sendCors(res, () => sendError(res, 405, 'Method not allowed'))
  }
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams
  const key = query.get('key') ?? ''
  if (!KEY.test(key) || query.getAll('key').length !== 1) {
    return sendCors(res, () => sendError(res, 400, 'key must be an account key (1–64 characters)'))
  }
  const account = await deps.storage.getAccountByKey(key)
  if (!account) return sendCors(res, () => sendError(res, 404, 'Unknown account key'))

  const body: StatusBody = { status: await deps.accountStatus(account.id) }
  const data = JSON.stringify(body)
  const etag = `"${createHash('sha1').update(data).digest('base64url').slice(0, 16)}"`
  const headers = {
    ...CORS,
    'Cache-Control': `public, max-age=${STATUS_MAX_AGE}`,
    ETag: etag,
  }
  if (matches(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers)
    res.end()
    return
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(data),
  })
  res.end(req.method === 'HEAD' ? undefined : data)
}

/** Whether an `If-None-Match` header names `etag` (a list, or `*`). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*')
}

/** Errors too are readable cross-origin, so the widget can tell a bad key from a network error. */
function sendCors(res: ServerResponse, send: () => void): void {
  for (const [name, value] of Object.entries(CORS)) res.setHeader(name, value)
  send()
}
