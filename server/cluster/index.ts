/**
 * What a node needs to run beside others: with `REDIS_URL`, Socket.IO fan-out through
 * Redis streams and agent presence in Redis; without it, in-memory presence and nothing
 * else (one node). Files are shared through the blob store (./blobs.ts), data through the
 * storage (`DATABASE_URL`).
 */
import { hostname } from 'node:os'
import type { Server } from 'socket.io'
import type { ServerConfig } from '../config.ts'
import { newId } from '../ids.ts'
import type { Logger } from '../logger.ts'
import { MemoryPresence, type Presence } from '../presence.ts'
import { useRedisAdapter } from './adapter.ts'
import { RedisPresence } from './presence.ts'
import { connectRedis, pingRedis } from './redis.ts'

export interface Cluster {
  nodeId: string
  presence: Presence
  /**
   * Called when an agent has no socket left on any node and must go offline (set by the
   * app: it knows the chats). The in-memory presence never calls it: its disconnect answers.
   */
  onAgentGone(hook: (agentId: string) => Promise<void>): void
  /** Whether Redis answers: null without Redis, else true or false (for `/healthz`). */
  redisReachable(): Promise<boolean | null>
  /** Waits for presence work in flight, leaves Redis. After `io.close()`. */
  close(): Promise<void>
}

export async function startCluster(
  io: Server,
  config: ServerConfig,
  log: Logger,
): Promise<Cluster> {
  const nodeId = config.nodeId ?? `${hostname()}-${process.pid}-${newId(6)}`
  if (!config.redisUrl) {
    const presence = new MemoryPresence()
    return {
      nodeId,
      presence,
      onAgentGone() {},
      redisReachable: async () => null,
      close: () => presence.close(),
    }
  }
  const client = await connectRedis(config.redisUrl, log)
  useRedisAdapter(io, client, config.redisPrefix, log)
  const presence = await RedisPresence.start({
    client,
    prefix: config.redisPrefix,
    nodeId,
    nodeTtlMs: config.nodeTtlMs,
    log,
  })
  log.info({ node: nodeId, prefix: config.redisPrefix }, 'cluster: redis fan-out and presence')
  return {
    nodeId,
    presence,
    onAgentGone(hook) {
      presence.onLastSocket = hook
    },
    redisReachable: () =>
      pingRedis(client).then(
        () => true,
        () => false,
      ),
    async close() {
      await presence.close()
      await client.quit().catch(() => client.destroy())
    },
  }
}
