/**
 * Visitor identity rules: what a client may set, and the one thing it may not
 * (`variables.authenticated`, which only a valid HMAC from the host site grants).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Properties, Visitor } from '../src/protocol.ts'
import type { VisitorChanges, VisitorRecord } from './storage/types.ts'
import { visitorView } from './views.ts'

/** Client-sent variables without the reserved `authenticated` key. */
export function cleanVariables(variables: Properties | undefined): Properties | undefined {
  if (!variables) return undefined
  const { authenticated: _ignored, ...rest } = variables
  return rest
}

/** True when `hash` is the hex HMAC-SHA256 of `email` under the account secret. */
export function verifyEmailHash(secret: string, email: string, hash: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(hash)) return false
  const expected = createHmac('sha256', secret).update(email).digest()
  return timingSafeEqual(expected, Buffer.from(hash, 'hex'))
}

/** What the host site computes server-side to authenticate a visitor. */
export function emailHash(secret: string, email: string): string {
  return createHmac('sha256', secret).update(email).digest('hex')
}

/** Changes that really differ from the stored visitor (empty object: nothing to do). */
export function diffVisitor(visitor: VisitorRecord, changes: VisitorChanges): VisitorChanges {
  const out: VisitorChanges = {}
  for (const [key, value] of Object.entries(changes) as [keyof VisitorChanges, unknown][]) {
    if (value === undefined) continue
    if (JSON.stringify(visitor[key]) !== JSON.stringify(value)) Object.assign(out, { [key]: value })
  }
  // A new email voids an earlier authentication of the old one.
  if (out.email !== undefined && out.authenticated === undefined && visitor.authenticated)
    out.authenticated = false
  return out
}

/** The wire fields that differ between two versions of a visitor. */
export function wireChanges(before: VisitorRecord, after: VisitorRecord): Partial<Visitor> {
  const a = visitorView(before)
  const b = visitorView(after)
  const out: Partial<Visitor> = {}
  for (const key of Object.keys(b) as (keyof Visitor)[]) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) Object.assign(out, { [key]: b[key] })
  }
  return out
}
