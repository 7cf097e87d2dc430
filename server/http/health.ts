/**
 * `/healthz` and the node's readiness. A node is healthy when its storage and (with
 * `REDIS_URL`) Redis answer; from SIGTERM on it is `draining`: it answers 503 here, refuses
 * new Socket.IO handshakes, finishes the HTTP requests in flight and then closes its
 * sockets so clients reconnect to another node (server/main.ts runs the steps).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Storage } from '../storage/types.ts'
import { sendJson } from './respond.ts'

export class Readiness {
  draining = false
  private inFlight = 0
  private idle: (() => void) | null = null

  /** Counts a request until its response is finished or the connection drops. */
  track(res: ServerResponse): void {
    this.inFlight++
    let done = false
    const end = () => {
      if (done) return
      done = true
      this.inFlight--
      if (this.inFlight === 0) this.idle?.()
    }
    res.once('finish', end)
    res.once('close', end)
  }

  /** Stops accepting; resolves when no request is in flight, or after `timeoutMs` anyway. */
  drain(timeoutMs: number): Promise<{ inFlight: number }> {
    this.draining = true
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.idle = null
        resolve({ inFlight: this.inFlight })
      }
      const timer = setTimeout(done, timeoutMs)
      this.idle = done
      if (this.inFlight === 0) done()
    })
  }
}

export interface HealthDeps {
  storage: Storage
  readiness: Readiness
  /** null without Redis. */
  redisReachable: () => Promise<boolean | null>
  nodeId: string
}

/** `{ status: 'ok' | 'draining' | 'unavailable', storage, redis, node }`; 200 only when `ok`. */
export async function handleHealth(
  _req: IncomingMessage,
  res: ServerResponse,
  deps: HealthDeps,
): Promise<void> {
  const [storage, redis] = await Promise.all([
    deps.storage.ping().then(
      () => true,
      () => false,
    ),
    deps.redisReachable(),
  ])
  const reachable = storage && redis !== false
  const status = deps.readiness.draining ? 'draining' : reachable ? 'ok' : 'unavailable'
  // `ok` stays for clients of the first version of this endpoint.
  sendJson(res, status === 'ok' ? 200 : 503, {
    ok: status === 'ok',
    status,
    storage,
    redis,
    node: deps.nodeId,
  })
}
