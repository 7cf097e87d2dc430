export interface BackoffOptions {
  /** First delay in ms. */
  min: number
  /** Largest delay in ms. */
  max: number
  /** 0..1: each delay is moved randomly by up to this fraction. */
  jitter: number
}

/**
 * Capped exponential backoff with jitter — the same formula as socket.io-client's Manager
 * (`contrib/backo2`), for the one reconnect the Manager does not do itself: after the
 * server closed our socket (`io server disconnect`). It is fed the Manager's own
 * `reconnectionDelay`, `reconnectionDelayMax` and `randomizationFactor`.
 */
export function backoffDelay(attempt: number, { min, max, jitter }: BackoffOptions): number {
  let delay = min * 2 ** Math.min(attempt, 30)
  if (jitter > 0) {
    const deviation = Math.floor(Math.random() * jitter * delay)
    delay = Math.random() < 0.5 ? delay - deviation : delay + deviation
  }
  return Math.max(0, Math.min(delay, max))
}
