/**
 * Socket.IO fan-out between nodes with `@socket.io/redis-streams-adapter`: every room
 * broadcast (server/hub.ts) is appended to a Redis stream that every node reads from its
 * own offset, so a node that loses Redis for a while resumes where it stopped (README,
 * "Running several nodes", says why not pub/sub).
 *
 * While Redis is unreachable a broadcast is not queued: the adapter would hold even this
 * node's own delivery until Redis returns. It fails at once instead, so this node's sockets
 * still hear it, and the node remembers that other nodes missed something. When Redis is
 * back it drops its own sockets at the transport and, a little later, tells every other
 * node to do the same: clients reconnect at once and catch up from storage
 * (`chat.history({ after })`), which holds everything that was said meanwhile.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter'
import type { Server } from 'socket.io'
import type { Logger } from '../logger.ts'
import type { RedisClient } from './redis.ts'

/** The server-side event that asks every node to make its clients catch up. */
const RESYNC = 'cluster:resync'
/** Longer than a client's reconnect delay (server/cluster/redis.ts retries every ≤ 2 s). */
const RESYNC_DELAY_MS = 2500

type AdapterFactory = ReturnType<typeof createAdapter>
type Adapter = ReturnType<AdapterFactory>

/** Routes `io`'s broadcasts through Redis; names carry `prefix`, so deployments can share a Redis. */
export function useRedisAdapter(
  io: Server,
  client: RedisClient,
  prefix: string,
  log: Logger,
): void {
  const factory = createAdapter(client, {
    streamName: `${prefix}socket.io`,
    channelPrefix: `${prefix}socket.io`,
    sessionKeyPrefix: `${prefix}sio:session:`,
    // Broadcasts are JSON (uploads go by HTTP): skip the binary scan of every payload.
    onlyPlaintext: true,
  })
  let missed = false
  io.adapter(function redisStreamsAdapter(nsp: unknown): Adapter {
    const adapter = factory(nsp)
    const publish = adapter.doPublish.bind(adapter)
    adapter.doPublish = (message) => {
      if (client.isReady) return publish(message)
      missed = true
      return Promise.reject(new Error('redis unreachable'))
    }
    return adapter
  } as unknown as Parameters<Server['adapter']>[0])

  /** Drops every client connection of this node; each reconnects and catches up. */
  const resync = (reason: string) => {
    const engine = io.engine as unknown as { clients: Record<string, { close(): void }> }
    const clients = Object.values(engine.clients)
    log.warn({ reason, clients: clients.length }, 'cluster: clients reconnect to catch up')
    for (const engineClient of clients) engineClient.close()
  }
  io.on(RESYNC, () => resync('another node missed broadcasts'))
  client.on('ready', () => {
    if (!missed) return
    missed = false
    resync('broadcasts missed while redis was unreachable')
    // Later for the others: their Redis connections may still be coming back.
    setTimeout(() => io.serverSideEmit(RESYNC), RESYNC_DELAY_MS).unref()
  })
}
