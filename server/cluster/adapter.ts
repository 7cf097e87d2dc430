/**
 * Socket.IO fan-out between nodes with `@socket.io/redis-streams-adapter`: every room
 * broadcast (server/hub.ts) is appended to a Redis stream that every node reads. A node
 * that loses Redis for a while resumes reading where it stopped, so nothing broadcast
 * meanwhile is skipped (README, "Running several nodes", says why not pub/sub).
 */
import { createAdapter } from '@socket.io/redis-streams-adapter'
import type { Server } from 'socket.io'
import type { RedisClient } from './redis.ts'

/** Routes `io`'s broadcasts through Redis; names carry `prefix`, so deployments can share a Redis. */
export function useRedisAdapter(io: Server, client: RedisClient, prefix: string): void {
  io.adapter(
    createAdapter(client, {
      streamName: `${prefix}socket.io`,
      channelPrefix: `${prefix}socket.io`,
      sessionKeyPrefix: `${prefix}sio:session:`,
      // Broadcasts are JSON (uploads go by HTTP): skip the binary scan of every payload.
      onlyPlaintext: true,
    }),
  )
}
