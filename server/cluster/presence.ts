/**
 * Agent presence shared by every node through Redis (the in-memory one is
 * server/presence.ts; same interface).
 *
 * Keys, all under the deployment's prefix:
 * - `presence:status`          hash agentId → the status the agent chose;
 * - `presence:sockets:<node>`  hash agentId → that node's open agent sockets;
 * - `nodes`                    set of node ids; `node:<id>` a heartbeat with a TTL.
 *
 * Reads never wait: each node mirrors `presence:status`, kept current by a pub/sub
 * channel and reloaded after Redis comes back. Whether a disconnect was an agent's last
 * socket is decided in Redis (a script sums every node's count), so two nodes losing an
 * agent's last two sockets at once still take it offline. A node that dies cannot
 * decrement: its heartbeat expires after `nodeTtlMs`, a sweep on another node (every
 * third of that) removes its counts, and agents left without sockets go offline through
 * `onLastSocket`, which broadcasts like a normal disconnect. Bound: about 4/3 × TTL.
 * A node that closes on purpose (`handOver`) leaves its counts and lets its heartbeat expire
 * after the reconnect grace: the same sweep counts out the agents that did not come back.
 */
import type { AccountStatus, AgentStatus } from '../../src/protocol.ts'
import type { Logger } from '../logger.ts'
import type { Presence } from '../presence.ts'
import { type RedisClient, watchErrors } from './redis.ts'

export interface RedisPresenceOptions {
  client: RedisClient
  prefix: string
  nodeId: string
  /** A node silent for this long is dead; its agents' sockets no longer count. */
  nodeTtlMs: number
  log: Logger
}

/** Decrements this node's count and answers the agent's total over all known nodes. */
const DISCONNECT = `
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
local total = 0
for _, node in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  total = total + tonumber(redis.call('HGET', ARGV[2] .. node, ARGV[1]) or '0')
end
return total`

/**
 * Forgets a dead node (unless its heartbeat is back or another sweeper won), and answers
 * the agents it held that now have no socket anywhere and are not offline yet.
 */
const SWEEP = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {} end
if redis.call('SREM', KEYS[2], ARGV[1]) == 0 then return {} end
local held = redis.call('HKEYS', KEYS[3])
redis.call('DEL', KEYS[3])
local gone = {}
local nodes = redis.call('SMEMBERS', KEYS[2])
for _, agent in ipairs(held) do
  local total = 0
  for _, node in ipairs(nodes) do
    total = total + tonumber(redis.call('HGET', ARGV[2] .. node, agent) or '0')
  end
  local status = redis.call('HGET', KEYS[4], agent)
  if total == 0 and status and status ~= 'offline' then table.insert(gone, agent) end
end
return gone`

export class RedisPresence implements Presence {
  /** Called when an agent has no socket left on any node: set it offline and tell everyone. */
  onLastSocket: (agentId: string) => Promise<void> = async () => {}

  private readonly status = new Map<string, AgentStatus>()
  /** This node's own counts: the truth to restore in Redis after it lost them. */
  private readonly local = new Map<string, number>()
  private readonly keys: {
    status: string
    sockets: string
    socketsOf: string
    nodes: string
    node: (id: string) => string
    channel: string
  }
  private readonly timers: ReturnType<typeof setInterval>[] = []
  private subscriber: RedisClient | null = null
  /** Disconnects and sweeps still running; `close()` lets them finish. */
  private readonly pending = new Set<Promise<unknown>>()
  /** Set by `handOver`: this node's counts stay in Redis until its heartbeat expires. */
  private handedOver = false

  private constructor(private readonly options: RedisPresenceOptions) {
    const p = options.prefix
    this.keys = {
      status: `${p}presence:status`,
      socketsOf: `${p}presence:sockets:`,
      sockets: `${p}presence:sockets:${options.nodeId}`,
      nodes: `${p}nodes`,
      node: (id) => `${p}node:${id}`,
      channel: `${p}presence`,
    }
  }

  /** Registers the node, loads the statuses and starts the heartbeat and the sweeper. */
  static async start(options: RedisPresenceOptions): Promise<RedisPresence> {
    const presence = new RedisPresence(options)
    await presence.init()
    return presence
  }

  private async init(): Promise<void> {
    const { client, log, nodeTtlMs } = this.options
    const subscriber = client.duplicate()
    watchErrors(subscriber, log, 'presence')
    this.subscriber = subscriber
    // After an outage the subscription is renewed, but changes made meanwhile were missed.
    subscriber.on('ready', () => {
      this.reload().catch((err) => log.warn({ err }, 'presence reload failed'))
    })
    await subscriber.connect()
    await subscriber.subscribe(this.keys.channel, (raw) => this.onChange(raw))
    await this.heartbeat()
    await this.reload()
    const every = Math.max(200, Math.floor(nodeTtlMs / 3))
    this.timers.push(
      setInterval(() => this.heartbeat().catch(() => {}), every),
      setInterval(() => this.track(this.sweep().catch(() => {})), every),
    )
    for (const timer of this.timers) timer.unref()
    await this.sweep()
  }

  statusOf(agentId: string): AgentStatus {
    return this.status.get(agentId) ?? 'offline'
  }

  accountStatus(agentIds: string[]): AccountStatus {
    return agentIds.some((id) => this.statusOf(id) === 'online') ? 'online' : 'offline'
  }

  socketConnected(agentId: string): void {
    this.local.set(agentId, (this.local.get(agentId) ?? 0) + 1)
    this.options.client
      .hIncrBy(this.keys.sockets, agentId, 1)
      .catch((err) => this.options.log.warn({ err }, 'presence: count not stored'))
  }

  socketDisconnected(agentId: string): boolean {
    if (this.handedOver) return false
    const left = (this.local.get(agentId) ?? 1) - 1
    if (left > 0) this.local.set(agentId, left)
    else this.local.delete(agentId)
    this.track(
      this.options.client
        .eval(DISCONNECT, {
          keys: [this.keys.sockets, this.keys.nodes],
          arguments: [agentId, this.keys.socketsOf],
        })
        .then(
          (total) => (Number(total) === 0 ? this.goOffline(agentId) : undefined),
          (err) => {
            // Without Redis, this node's own count is the best we know.
            this.options.log.warn({ err }, 'presence: disconnect not counted in redis')
            return left <= 0 ? this.goOffline(agentId) : undefined
          },
        ),
    )
    return false
  }

  private goOffline(agentId: string): Promise<void> {
    return this.onLastSocket(agentId).catch((err) =>
      this.options.log.error({ err, agentId }, 'presence: going offline failed'),
    )
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work)
    work.finally(() => this.pending.delete(work))
  }

  setStatus(agentId: string, status: AgentStatus): boolean {
    if (this.statusOf(agentId) === status) return false
    this.status.set(agentId, status)
    this.store(agentId, status).catch((err) =>
      this.options.log.warn({ err }, 'presence: status not stored'),
    )
    return true
  }

  /**
   * Stops renewing the heartbeat and sets it to expire after `graceMs`; the counts stay. Until
   * then the other nodes' sweeps leave them alone, and an agent whose console reconnected to
   * one of them is counted there before this node's count goes: never offline in between.
   */
  async handOver(graceMs: number): Promise<void> {
    if (graceMs <= 0) return
    this.handedOver = true
    for (const timer of this.timers.splice(0)) clearInterval(timer)
    await Promise.allSettled([...this.pending])
    const { client, nodeId, log } = this.options
    await client
      .set(this.keys.node(nodeId), String(Date.now()), { PX: graceMs })
      .catch((err) => log.warn({ err }, 'presence: hand-over not stored; swept after the TTL'))
  }

  /**
   * Stops the timers, lets disconnects in flight finish (their agents go offline), then
   * drops the heartbeat: anything this node still counted is swept by another node soon.
   * After `handOver` the heartbeat stays until its grace ends.
   */
  async close(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer)
    await Promise.allSettled([...this.pending])
    const { client, nodeId } = this.options
    if (client.isReady && !this.handedOver) await client.del(this.keys.node(nodeId)).catch(() => {})
    await this.subscriber?.quit().catch(() => this.subscriber?.destroy())
  }

  private async store(agentId: string, status: AgentStatus): Promise<void> {
    const message = JSON.stringify({ node: this.options.nodeId, agentId, status })
    await this.options.client
      .multi()
      .hSet(this.keys.status, agentId, status)
      .publish(this.keys.channel, message)
      .exec()
  }

  private onChange(raw: string): void {
    try {
      const { node, agentId, status } = JSON.parse(raw) as {
        node: string
        agentId: string
        status: AgentStatus
      }
      if (node !== this.options.nodeId) this.status.set(agentId, status)
    } catch {
      // Not ours.
    }
  }

  private async reload(): Promise<void> {
    const all = await this.options.client.hGetAll(this.keys.status)
    this.status.clear()
    for (const [agentId, status] of Object.entries(all))
      this.status.set(agentId, status as AgentStatus)
  }

  /**
   * Renews this node's heartbeat. When the node was not registered (first beat, a sweeper
   * took it for dead, or Redis restarted empty) its counts are written again from memory,
   * with the statuses of its agents.
   */
  private async heartbeat(): Promise<void> {
    const { client, nodeId, nodeTtlMs } = this.options
    const [, added] = (await client
      .multi()
      .set(this.keys.node(nodeId), String(Date.now()), { PX: nodeTtlMs })
      .sAdd(this.keys.nodes, nodeId)
      .exec()) as unknown as [unknown, number]
    if (Number(added) === 0) return
    const restore = client.multi().del(this.keys.sockets)
    for (const [agentId, count] of this.local) {
      restore.hSet(this.keys.sockets, agentId, count)
      const status = this.status.get(agentId)
      if (status) restore.hSet(this.keys.status, agentId, status)
    }
    await restore.exec()
  }

  /** Forgets nodes whose heartbeat expired; their agents left alone go offline. */
  private async sweep(): Promise<void> {
    const { client, nodeId } = this.options
    for (const node of await client.sMembers(this.keys.nodes)) {
      if (node === nodeId || (await client.exists(this.keys.node(node)))) continue
      const gone = (await client.eval(SWEEP, {
        keys: [this.keys.node(node), this.keys.nodes, this.keys.socketsOf + node, this.keys.status],
        arguments: [node, this.keys.socketsOf],
      })) as string[]
      if (gone.length) this.options.log.info({ node, agents: gone }, 'presence: node gone')
      for (const agentId of gone) {
        // Our mirror may not have heard the status yet; the broadcast needs it.
        this.status.set(agentId, (await client.hGet(this.keys.status, agentId)) as AgentStatus)
        await this.goOffline(agentId)
      }
    }
  }
}
