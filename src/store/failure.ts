import type { SocketError } from '../client/socket-error.ts'

/**
 * What kind of failure a send met, for views to put in the visitor's language (the error's own
 * text is the server's English):
 * - `too_large`: over the server's length or size limit;
 * - `rate_limited`: sent too fast, still refused after waiting;
 * - `network`: no answer in time, or the upload's connection failed;
 * - `refused`: any other refusal of this very send (it will never pass as it is);
 * - `server`: the server failed (5xx, or an error without a code).
 */
export const FAILURE_REASONS = [
  'too_large',
  'rate_limited',
  'network',
  'refused',
  'server',
] as const

export type FailureReason = (typeof FAILURE_REASONS)[number]

export function failureReason(error: SocketError): FailureReason {
  const code = error.code ?? 0
  if (error.type === 'too_large' || code === 413) return 'too_large'
  if (error.type === 'rate_limited' || code === 429) return 'rate_limited'
  if (error.type === 'network_error' || error.type === 'timeout' || code === 408) return 'network'
  return code >= 400 && code < 500 ? 'refused' : 'server'
}

/**
 * The server refused this very send (400 invalid, 404, 409 conflict, 413 too large, 415 type…):
 * sent again as it is, it can never pass. Timeouts (408), rate limits (429), 403 (the connection
 * was not initialized yet; it will be after the reconnect) and 5xx can.
 */
export function isRefusal(error: SocketError): boolean {
  const code = error.code ?? 0
  return code >= 400 && code < 500 && code !== 408 && code !== 429 && code !== 403
}

/**
 * An upload tried again starts over with a new token, so what was refused about the old token
 * (unknown 404, already used 409, expired 410) does not stand in its way: only what was refused
 * about the file does.
 */
const TOKEN_REFUSALS: ReadonlySet<number> = new Set([404, 409, 410])

/** Whether the visitor may try a failed upload again (before its finish joined the outbox). */
export function isUploadRetryable(error: SocketError): boolean {
  return !isRefusal(error) || TOKEN_REFUSALS.has(error.code ?? 0)
}
