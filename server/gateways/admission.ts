/**
 * The Engine.IO handshake gate (`allowRequest`), before any namespace: caps open
 * connections per IP and refuses pages of sites no account allows. CORS does not
 * protect WebSockets, so the `Origin` header is checked here. The site key is only
 * known at `visitor.connect`, so this step checks the union of all accounts' origins
 * and the visitor gateway then checks the account's own list (`originAllowedFor`).
 */
import type { IncomingMessage } from 'node:http'
import type { Server } from 'socket.io'
import type { ConnectionCounter } from '../limits/connections.ts'
import type { Logger } from '../logger.ts'
import { originAllowed } from '../origins.ts'
import type { AccountRecord, Storage } from '../storage/types.ts'

type AllowRequest = (
  req: IncomingMessage,
  callback: (error: string | null | undefined, success: boolean) => void,
) => void

export const TOO_MANY_CONNECTIONS = 'Too many connections from this address'
export const ORIGIN_REFUSED = 'Origin not allowed'

/** No Origin (not a browser page), our own pages, or an origin `account` allows. */
export function originAllowedFor(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  return !origin || isSameOrigin(origin, host) || originAllowed(origin, allowed)
}

/** The demo page and the agent console are served by this server itself. */
function isSameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return !!host && new URL(origin).host === host.toLowerCase()
  } catch {
    return false
  }
}

export function createAdmission(deps: {
  storage: Storage
  connections: ConnectionCounter
  log: Logger
  logWindowMs?: number
}): { allowRequest: AllowRequest; track(io: Server): void } {
  const { storage, connections, log } = deps
  const windowMs = deps.logWindowMs ?? 60_000
  const loggedAt = new Map<string, number>()
  /** One warning per reason and IP per window, not one per refused handshake. */
  const warnOnce = (ip: string, reason: string, extra: Record<string, unknown> = {}) => {
    const key = `${reason}|${ip}`
    const now = Date.now()
    if (now - (loggedAt.get(key) ?? 0) < windowMs) return
    if (loggedAt.size > 10_000) loggedAt.clear()
    loggedAt.set(key, now)
    log.warn({ ip, ...extra }, reason)
  }

  const allowRequest: AllowRequest = (req, callback) => {
    const ip = req.socket.remoteAddress ?? 'unknown'
    const origin = req.headers.origin
    const admit = () => {
      // Checked last, right before Engine.IO opens the connection and `track` counts it.
      if (connections.allows(ip)) return callback(null, true)
      warnOnce(ip, 'connection refused: too many from this address', { max: connections.max })
      callback(TOO_MANY_CONNECTIONS, false)
    }
    if (originAllowedFor(origin, req.headers.host, [])) return admit()
    storage.listAccounts().then(
      (accounts: AccountRecord[]) => {
        if (accounts.some((account) => originAllowed(origin!, account.allowedOrigins)))
          return admit()
        warnOnce(ip, 'connection refused: origin not allowed', { origin })
        callback(ORIGIN_REFUSED, false)
      },
      (err: unknown) => {
        log.error({ err }, 'origin check failed')
        callback('Server error', false)
      },
    )
  }

  return {
    allowRequest,
    track(io) {
      io.engine.on(
        'connection',
        (raw: { request: IncomingMessage; once(event: 'close', fn: () => void): void }) => {
          const ip = raw.request.socket.remoteAddress ?? 'unknown'
          connections.opened(ip)
          raw.once('close', () => connections.closed(ip))
        },
      )
    },
  }
}
