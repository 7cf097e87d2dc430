/**
 * Token buckets keyed by socket id or IP. A bucket holds up to `burst` tokens and
 * refills `perSecond` tokens a second; a request takes one or is refused with the time
 * until the next token. A refusal is reported as `firstInWindow` once per key per
 * `logWindowMs`, so a flood costs one log line a minute, not one per packet.
 */

export interface BucketRule {
  /** Tokens a full bucket holds: how many requests may come at once. */
  burst: number
  /** Tokens added per second: the sustained rate. */
  perSecond: number
}

export type TakeResult =
  | { ok: true }
  | {
      ok: false
      /** Milliseconds until one token is back. */
      retryAfterMs: number
      /** True for the first refusal of this key in the current log window. */
      firstInWindow: boolean
      /** Refusals of this key since the last one reported with `firstInWindow`. */
      refused: number
    }

interface Bucket {
  tokens: number
  at: number
  /** When a refusal of this key was last reported (-Infinity: never). */
  loggedAt: number
  refused: number
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>()

  constructor(
    readonly rule: BucketRule,
    private readonly options: { logWindowMs?: number; now?: () => number } = {},
  ) {}

  private get now(): number {
    return (this.options.now ?? Date.now)()
  }

  /** Takes one token for `key`, or says how long to wait. */
  take(key: string): TakeResult {
    const now = this.now
    const bucket = this.refill(key, now)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return { ok: true }
    }
    bucket.refused += 1
    const rate = this.rule.perSecond
    const retryAfterMs = rate > 0 ? Math.ceil(((1 - bucket.tokens) / rate) * 1000) : Infinity
    const windowMs = this.options.logWindowMs ?? 60_000
    const firstInWindow = now - bucket.loggedAt >= windowMs
    const refused = bucket.refused
    if (firstInWindow) {
      bucket.loggedAt = now
      bucket.refused = 0
    }
    return { ok: false, retryAfterMs, firstInWindow, refused }
  }

  /** Forgets `key` (a socket that disconnected). */
  delete(key: string): void {
    this.buckets.delete(key)
  }

  /** Drops buckets that are full again: an idle key costs no memory. */
  sweep(): void {
    const now = this.now
    const windowMs = this.options.logWindowMs ?? 60_000
    for (const [key] of this.buckets) {
      const bucket = this.refill(key, now)
      // Kept while its refusals are still being counted towards the next log line.
      const quiet = now - bucket.loggedAt >= windowMs
      if (bucket.tokens >= this.rule.burst && quiet) this.buckets.delete(key)
    }
  }

  get size(): number {
    return this.buckets.size
  }

  private refill(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key)
    if (!bucket) {
      bucket = { tokens: this.rule.burst, at: now, loggedAt: -Infinity, refused: 0 }
      this.buckets.set(key, bucket)
      return bucket
    }
    const elapsed = Math.max(0, now - bucket.at) / 1000
    bucket.tokens = Math.min(this.rule.burst, bucket.tokens + elapsed * this.rule.perSecond)
    bucket.at = now
    return bucket
  }
}
