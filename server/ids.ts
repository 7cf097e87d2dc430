/**
 * Unguessable ids. Visitor ids, upload tokens and file ids are bearer credentials,
 * so every id carries 128 bits from the CSPRNG (base64url, 22 chars).
 */
import { randomBytes, randomFillSync } from 'node:crypto'

/**
 * CSPRNG bytes fetched 4 KB at a time: a call into the CSPRNG per id cost more than
 * the rest of making a message (Node's randomUUID caches its entropy the same way).
 * Each byte is handed out once.
 */
const pool = Buffer.alloc(4096)
let used = pool.length

export function newId(bytes = 16): string {
  if (bytes > pool.length) return randomBytes(bytes).toString('base64url')
  if (used + bytes > pool.length) {
    randomFillSync(pool)
    used = 0
  }
  used += bytes
  return pool.toString('base64url', used - bytes, used)
}

/**
 * An id that sorts by creation time: the millisecond in fixed-width base 36 (digits sort before
 * letters in every collation we use), then a `newId()`. Message ids are keys of a B-tree
 * index: random ones put each new row on another leaf page, so every commit wrote one more
 * page per message to the WAL; these land on the newest leaf, written once per commit.
 */
export function newSortableId(now = Date.now()): string {
  return now.toString(36).padStart(9, '0') + newId()
}

/** A longer secret (agent tokens, account secrets): 256 bits. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url')
}
