/**
 * Unguessable ids. Visitor ids, upload tokens and file ids are bearer credentials,
 * so every id carries 128 bits from the CSPRNG (base64url, 22 chars).
 */
import { randomBytes } from 'node:crypto'

export function newId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url')
}

/** A longer secret (agent tokens, account secrets): 256 bits. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url')
}
