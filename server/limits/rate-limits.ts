/**
 * Abuse limits of the visitor namespace: every limited action has a bucket per socket
 * and one per IP (a reconnect gets a fresh socket bucket, never a fresh IP bucket).
 * A refusal is a `rate_limited` (429) WireFailure; it is logged once per key and window.
 */
import { WireFailure } from '../gateways/handler.ts'
import type { Logger } from '../logger.ts'
import { type BucketRule, TokenBuckets } from './token-bucket.ts'

/** What is limited: `request` is every visitor event, the others are counted on top. */
export type LimitedAction = 'request' | 'message' | 'typing' | 'upload'

export interface ActionLimit {
  socket: BucketRule
  ip: BucketRule
}

export type RateLimitConfig = Record<LimitedAction, ActionLimit>

export interface RateLimitsOptions {
  /** One log line per refused key per this many ms (default one minute). */
  logWindowMs?: number
  now?: () => number
}

export class RateLimits {
  private readonly buckets: Record<LimitedAction, { socket: TokenBuckets; ip: TokenBuckets }>
  private readonly sweeper: NodeJS.Timeout

  constructor(
    config: RateLimitConfig,
    private readonly log: Logger,
    options: RateLimitsOptions = {},
  ) {
    const make = (rule: BucketRule) => new TokenBuckets(rule, options)
    const entries = Object.entries(config).map(([action, limit]) => [
      action,
      { socket: make(limit.socket), ip: make(limit.ip) },
    ])
    this.buckets = Object.fromEntries(entries)
    // Full buckets are forgotten, so memory follows the active clients, not all ever seen.
    this.sweeper = setInterval(() => this.sweep(), 60_000)
    this.sweeper.unref()
  }

  /** Takes a token for `action` from the socket's and the IP's bucket; throws a 429 when empty. */
  check(action: LimitedAction, socketId: string, ip: string): void {
    const pair = this.buckets[action]
    for (const [scope, buckets, key] of [
      ['socket', pair.socket, socketId],
      ['ip', pair.ip, ip],
    ] as const) {
      const taken = buckets.take(key)
      if (taken.ok) continue
      const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000))
      if (taken.firstInWindow)
        this.log.warn(
          { action, scope, key, ip, refused: taken.refused, retryAfterMs: taken.retryAfterMs },
          'rate limited',
        )
      const what = action === 'request' ? 'requests' : `${action}s`
      throw new WireFailure(
        `Too many ${what}; try again in ${Number.isFinite(seconds) ? seconds : 60} s`,
        429,
        'rate_limited',
      )
    }
  }

  /** Drops a socket's buckets when it disconnects. */
  forget(socketId: string): void {
    for (const pair of Object.values(this.buckets)) pair.socket.delete(socketId)
  }

  sweep(): void {
    for (const pair of Object.values(this.buckets)) {
      pair.socket.sweep()
      pair.ip.sweep()
    }
  }

  close(): void {
    clearInterval(this.sweeper)
  }
}

/** Parses `"<count>/<seconds>"`: up to `count` at once, refilling `count` every `seconds`. */
export function parseRule(value: string): BucketRule {
  const match = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*s?\s*$/.exec(value)
  const count = match ? Number(match[1]) : Number.NaN
  const seconds = match ? Number(match[2]) : Number.NaN
  if (!(count > 0 && seconds > 0)) throw new Error(`Not a rate "<count>/<seconds>": ${value}`)
  return { burst: count, perSecond: count / seconds }
}
