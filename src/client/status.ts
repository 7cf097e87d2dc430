/**
 * The account's online/offline status over plain HTTP (`GET /v1/status?key=…`), without a
 * socket: what the widget's launcher shows before the visitor interacts. The answer is public
 * and cached by the browser for a few seconds (the server says how long).
 */
import type { AccountStatus } from '../protocol.ts'

/** `online` when an agent of the account is online; rejects on a network error or refusal. */
export async function fetchAccountStatus(
  server: string,
  key: string,
  init: { signal?: AbortSignal } = {},
): Promise<AccountStatus> {
  const base = server.endsWith('/') ? server : `${server}/`
  const url = new URL(`v1/status?key=${encodeURIComponent(key)}`, base)
  const res = await fetch(url, { credentials: 'omit', ...init })
  if (!res.ok) throw new Error(`chat status: HTTP ${res.status}`)
  const body = (await res.json()) as { status?: unknown }
  return body.status === 'online' ? 'online' : 'offline'
}
