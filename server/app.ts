/**
 * Wires the chat server together: storage, HTTP routes, Socket.IO with the visitor and
 * agent gateways. Used by `main.ts` and by the tests (`test/support/server.ts`).
 */
import { createServer, type Server as HttpServer } from 'node:http'
import { Server } from 'socket.io'
import { AGENT_NAMESPACE } from '../src/protocol.ts'
import { ChatService } from './chats.ts'
import { FsBlobStore } from './cluster/blobs.ts'
import { startCluster } from './cluster/index.ts'
import type { ServerConfig } from './config.ts'
import { createAdmission } from './gateways/admission.ts'
import { attachAgentGateway } from './gateways/agent.ts'
import { coalesceWrites } from './gateways/coalesced-writes.ts'
import { attachVisitorGateway } from './gateways/visitor.ts'
import { type HealthDeps, Readiness } from './http/health.ts'
import { createRouter, type HttpDeps } from './http/router.ts'
import { Hub } from './hub.ts'
import { ConnectionCounter } from './limits/connections.ts'
import { RateLimits } from './limits/rate-limits.ts'
import { createLogger, type Logger } from './logger.ts'
import { createMailTransport, type MailTransport } from './mail/index.ts'
import { DEMO_AVATAR_PATH, seedDemo } from './seed.ts'
import { openStorage } from './storage/index.ts'
import type { Storage } from './storage/types.ts'
import { Transcripts } from './transcripts.ts'
import { Uploads, uploadsDirOf } from './uploads.ts'

export interface ChatServer {
  /** `http://host:port` it listens on. */
  url: string
  port: number
  httpServer: HttpServer
  io: Server
  storage: Storage
  demo: { key: string; agentToken: string; accountSecret: string }
  log: Logger
  /** This node's name (in Redis, logs and `/healthz`). */
  nodeId: string
  /** Disconnects every socket, stops HTTP and closes the database. */
  close(): Promise<void>
  /**
   * Graceful stop (SIGTERM): `/healthz` says `draining` and new handshakes are refused,
   * HTTP requests in flight finish (up to `drainTimeoutMs`), then `close()`: sockets are
   * dropped at the transport, which clients take as "reconnect" (to another node).
   */
  drain(): Promise<void>
}

export interface ChatServerOptions {
  /** Delivers transcripts instead of the one `config.mailTransport` names (tests, embedders). */
  mailer?: MailTransport
}

export async function createChatServer(
  config: ServerConfig,
  options: ChatServerOptions = {},
): Promise<ChatServer> {
  const log = createLogger(config.logLevel)
  // First: a bad MAIL_TRANSPORT should stop the start, not the first transcript.
  const mailer = options.mailer ?? createMailTransport(config)
  const storage = await openStorage(config)
  const demo = await seedDemo(storage, {
    agentToken: config.demoAgentToken,
    allowedOrigins: config.demoAllowedOrigins,
  })
  const uploads = new Uploads(storage, config, new FsBlobStore(uploadsDirOf(config)))
  const readiness = new Readiness()
  // Redis and the node id are known once the cluster starts, below.
  const health: HealthDeps = { storage, readiness, redisReachable: async () => null, nodeId: '' }

  // `/v1/status` reads presence, which starts with the cluster below.
  const status: NonNullable<HttpDeps['status']> = { accountStatus: async () => 'offline' }
  const httpServer = createServer(createRouter({ config, storage, uploads, log, health, status }))
  const admission = createAdmission({
    storage,
    connections: new ConnectionCounter(config.maxConnectionsPerIp),
    log,
  })
  const io = new Server(httpServer, {
    path: config.socketPath,
    // The official client is socket.io-client 2.x (Engine.IO 3).
    allowEIO3: true,
    // CORS only matters to the polling transport; origins are enforced by `allowRequest`.
    cors: { origin: true, credentials: true },
    // A draining node takes no new connections: the client retries, the balancer sends it elsewhere.
    allowRequest: (req, callback) =>
      readiness.draining
        ? callback('Server draining', false)
        : admission.allowRequest(req, callback),
    maxHttpBufferSize: config.maxHttpBufferSize,
  })
  admission.track(io)
  coalesceWrites(io)
  const cluster = await startCluster(io, config, log)
  Object.assign(health, { redisReachable: cluster.redisReachable, nodeId: cluster.nodeId })
  const limits = new RateLimits(config.rateLimits, log)
  const visitors = io.of('/')
  const agents = io.of(AGENT_NAMESPACE)
  const presence = cluster.presence
  const chats = new ChatService(storage, new Hub(visitors, agents), presence)
  status.accountStatus = async (accountId) => (await chats.accountInfo(accountId)).status
  cluster.onAgentGone(async (agentId) => {
    const agent = await storage.getAgent(agentId)
    if (agent) await chats.setAgentStatus(agent, 'offline')
  })
  const transcripts = new Transcripts(storage, mailer, config.mailFrom)
  attachVisitorGateway(visitors, { storage, chats, uploads, transcripts, config, limits, log })
  const agentGateway = attachAgentGateway(agents, {
    storage,
    chats,
    presence,
    uploads,
    maxTextLength: config.maxTextLength,
    reconnectGraceMs: config.agentReconnectGraceMs,
    log,
  })

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject)
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', reject)
      resolve()
    })
  })
  const address = httpServer.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`
  log.info({ url }, 'chat server listening')
  // The demo agent's avatar is served by this server; only now do we know its address.
  await storage.saveAgent({ ...demo.agent, avatar: `${url}${DEMO_AVATAR_PATH}` })

  let closing: Promise<void> | null = null
  const server: ChatServer = {
    url,
    port,
    httpServer,
    io,
    storage,
    demo: {
      key: demo.account.key,
      agentToken: demo.agent.token,
      accountSecret: demo.account.secret,
    },
    log,
    nodeId: cluster.nodeId,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => httpServer.once('close', () => resolve()))
        limits.close()
        // Before the sockets close: with other nodes, the agents' consoles move to them and
        // stay counted meanwhile (see Presence.handOver).
        await cluster.presence.handOver(config.agentReconnectGraceMs)
        await io.close()
        // After the sockets: those the close dropped count out now, not after the storage is gone.
        agentGateway.flushDropped()
        httpServer.closeAllConnections()
        await closed
        await cluster.close()
        await storage.close()
      })()
      return closing
    },
    async drain() {
      log.info('draining: refusing new connections')
      const { inFlight } = await readiness.drain(config.drainTimeoutMs)
      if (inFlight) log.warn({ inFlight }, 'draining: requests still running; closing anyway')
      await server.close()
    },
  }
  return server
}
