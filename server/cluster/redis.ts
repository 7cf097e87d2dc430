/**
 * The Redis connection of a node. One client publishes and answers commands; the
 * Socket.IO adapter and the presence make their own duplicates for blocking reads and
 * subscriptions. node-redis reconnects by itself and queues commands while Redis is
 * away, so a short outage delays fan-out instead of failing requests.
 */
import { createClient } from 'redis'
import type { Logger } from '../logger.ts'

export type RedisClient = ReturnType<typeof newClient>

/** How long a node waits for Redis at start before giving up. */
const CONNECT_TIMEOUT_MS = 5000

function newClient(url: string) {
  return createClient({
    url,
    // RESP2: the replies the Socket.IO adapter parses (RESP3 changes XREAD's shape).
    RESP: 2,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Retry quickly at first, then every 2 s: a restarted Redis is found within seconds.
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000),
    },
  })
}

/** Connects to `url`; errors after that are logged (once per outage), never thrown. */
export async function connectRedis(url: string, log: Logger): Promise<RedisClient> {
  const client = newClient(url)
  watchErrors(client, log, 'redis')
  await client.connect()
  return client
}

/** Logs the first error of an outage and its end, not every reconnect attempt. */
export function watchErrors(client: RedisClient, log: Logger, name: string): void {
  let down = false
  client.on('error', (err: Error) => {
    if (down) return
    down = true
    log.warn({ err: err.message, client: name }, 'redis unreachable; retrying')
  })
  client.on('ready', () => {
    if (!down) return
    down = false
    log.info({ client: name }, 'redis reachable again')
  })
}

/** A round trip, bounded in time: for `/healthz`. */
export async function pingRedis(client: RedisClient, timeoutMs = 1000): Promise<void> {
  if (!client.isReady) throw new Error('redis not connected')
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('redis ping timed out')), timeoutMs)
  })
  try {
    await Promise.race([client.ping(), timeout])
  } finally {
    clearTimeout(timer)
  }
}
