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
