/**
 * A real chat server for tests, plus small socket helpers. Used by the server suites
 * (`test/server/`) and the Web SDK suites (`test/src/`); keep the API stable.
 *
 * ```ts
 * const server = await startTestServer()            // in-memory DB, random port
 * const { socket, data } = await connectVisitor(server.url)
 * const message = await request(socket, 'chat.message', { content: { type: 'text', text: 'hi' } })
 * const agent = await connectAgent(server.url, server.agentToken)
 * await server.close()
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before } from 'node:test'
import { io, type Socket } from 'socket.io-client'
import { type ChatServer, createChatServer } from '../../server/app.ts'
import { loadConfig, type ServerConfig } from '../../server/config.ts'
import { parseRule } from '../../server/limits/rate-limits.ts'
import type { MailTransport } from '../../server/mail/transport.ts'
import { seedAccount } from '../../server/seed.ts'
import {
  AGENT_NAMESPACE,
  type AgentConnectedData,
  type ConnectedData,
  type ConnectOptions,
  DEFAULT_SOCKET_PATH,
  type WireError,
} from '../../src/protocol.ts'
import { createTestSchema, findTestDatabase, type TestSchema } from './postgres.ts'

/**
 * No abuse limits: for a server that many tests (or a benchmark) share from one IP, like many
 * visitors behind one proxy. The limits themselves are tested on servers of their own.
 */
export const NO_LIMITS: Pick<ServerConfig, 'maxConnectionsPerIp' | 'rateLimits'> = (() => {
  const open = parseRule('1000000/1')
  const both = { socket: open, ip: open }
  return {
    maxConnectionsPerIp: 100_000,
    rateLimits: { request: both, message: both, typing: both, upload: both },
  }
})()

export interface TestServerOptions extends Partial<ServerConfig> {
  /** Listen on this port (default 0: any free one). Pass the old port to "restart". */
  port?: number
  /**
   * Keep the database (`chat.db`) and uploads in this folder, so a second server with
   * the same `dataDir` sees the same data. Default: in-memory DB and a temporary
   * folder for uploads, removed on `close()`.
   */
  dataDir?: string
  /** Delivers transcripts instead of the default outbox (`dataDir/outbox/`). */
  mailer?: MailTransport
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  port: number
  /** Site key of the seeded demo account. */
  key: 'demo'
  /** Token of the seeded demo agent (for `connectAgent`). */
  agentToken: string
  /** Account secret of the demo account (to compute `visitor.authenticate` hashes). */
  accountSecret: string
  /** Folder of `chat.db` (unless in memory) and `uploads/`. */
  dataDir: string
  /** The running server (storage, io, httpServer) for white-box checks. */
  server: ChatServer
  /** Stops the server (all sockets dropped) and removes a temporary data folder. */
  close(): Promise<void>
}

/** Starts a server on 127.0.0.1; quiet unless `LOG_LEVEL` is set. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { dataDir, port, mailer, ...overrides } = options
  const tempDir = dataDir ? null : mkdtempSync(join(tmpdir(), 'chat-server-test-'))
  // `STORAGE=postgres`: what would be in memory goes to a fresh PostgreSQL schema instead.
  const schema = await postgresSchemaFor(!dataDir && options.databaseUrl === undefined)
  const config: ServerConfig = {
    ...loadConfig({}),
    host: '127.0.0.1',
    port: port ?? 0,
    logLevel: process.env.LOG_LEVEL ?? 'silent',
    dataDir: dataDir ?? tempDir!,
    inMemory: !dataDir,
    staticDir: join(tempDir ?? dataDir!, 'no-site'),
    widgetFile: join(tempDir ?? dataDir!, 'no-widget.js'),
    ...(schema && { databaseUrl: schema.url }),
    ...overrides,
  }
  const server = await createChatServer(config, mailer ? { mailer } : {}).catch(async (err) => {
    await schema?.drop()
    throw err
  })
  return {
    url: server.url,
    port: server.port,
    key: 'demo',
    agentToken: server.demo.agentToken,
    accountSecret: server.demo.accountSecret,
    dataDir: config.dataDir,
    server,
    async close() {
      await server.close()
      await schema?.drop()
      if (tempDir) rmSync(tempDir, { recursive: true, force: true })
    },
  }
}

/**
 * The frame of most server suites, called once at the top of the file: one server for all its
 * tests (started before them, closed after them), and the sockets the helpers opened closed
 * after each test. The object returned is that server once the suite's `before` has run;
 * `prepare` runs there, after the start (a file's own top-level `before` would not wait for it:
 * Node runs a root hook registered while the file loads at once).
 */
export function useTestServer(
  options: TestServerOptions = {},
  prepare?: (server: TestServer) => Promise<void>,
): TestServer {
  const server = {} as TestServer
  before(async () => {
    Object.assign(server, await startTestServer(options))
    await prepare?.(server)
  })
  afterEach(closeSockets)
  // A server that failed to start has nothing to close: its own error is the one to see.
  after(() => server.close?.())
  return server
}

/** A fresh schema when `STORAGE=postgres` asks for one (test/support/postgres.ts). */
async function postgresSchemaFor(inMemory: boolean): Promise<TestSchema | null> {
  if (process.env.STORAGE !== 'postgres' || !inMemory) return null
  const db = await findTestDatabase()
  if ('reason' in db) throw new Error(`STORAGE=postgres: ${db.reason}`)
  return createTestSchema(db.url)
}

/** A second account with its own agent, for isolation tests (`key` must be new). */
export async function addTestAccount(
  server: TestServer,
  options: { key: string; allowedOrigins?: string[] },
): Promise<{ key: string; accountId: string; agentToken: string; accountSecret: string }> {
  const { account, agent } = await seedAccount(server.server.storage, options)
  return {
    key: account.key,
    accountId: account.id,
    agentToken: agent.token,
    accountSecret: account.secret,
  }
}

/** An ack error as a thrown Error, keeping the wire fields. */
export class AckError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message)
  }
  get code() {
    return this.wire.code
  }
  get type() {
    return this.wire.type
  }
  get event() {
    return this.wire.event
  }
}

/** Emits `event` with an ack; resolves with the result, rejects with an `AckError`. */
export function request<T = unknown>(
  socket: Socket,
  event: string,
  data?: unknown,
  timeoutMs = 2000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No ack for ${event}`)), timeoutMs)
    socket.emit(event, data, (error: WireError | null, result: T) => {
      clearTimeout(timer)
      if (error) reject(new AckError(error))
      else resolve(result)
    })
  })
}

/** The next `event` on `socket` (optionally the next one matching `filter`). */
// biome-ignore lint/suspicious/noExplicitAny: tests read event payloads loosely unless they pass T
export function nextEvent<T = any>(
  socket: Socket,
  event: string,
  filter: (data: T) => boolean = () => true,
  timeoutMs = 2000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener)
      reject(new Error(`No ${event} within ${timeoutMs} ms`))
    }, timeoutMs)
    const listener = (data: T) => {
      if (!filter(data)) return
      clearTimeout(timer)
      socket.off(event, listener)
      resolve(data)
    }
    socket.on(event, listener)
  })
}

/** Resolves when no `event` arrived within `ms` (for "nobody else hears this"). */
export function noEvent(socket: Socket, event: string, ms = 150): Promise<void> {
  return new Promise((resolve, reject) => {
    const listener = () => {
      clearTimeout(timer)
      reject(new Error(`Unexpected ${event}`))
    }
    const timer = setTimeout(() => {
      socket.off(event, listener)
      resolve()
    }, ms)
    socket.once(event, listener)
  })
}

const open: Socket[] = []

/** How a test socket presents itself: the page's `Origin`, the client's local IP. */
export interface SocketOptions {
  /** Sent as the `Origin` header (Node clients send none by default). */
  origin?: string
  /** Connect from this local address, e.g. `127.0.0.2`, to be another client IP. */
  localAddress?: string
}

/** A raw visitor socket, connected but not yet `visitor.connect`ed. */
export async function openVisitorSocket(url: string, options: SocketOptions = {}): Promise<Socket> {
  const socket = io(url, {
    path: DEFAULT_SOCKET_PATH,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(options.origin !== undefined && { extraHeaders: { origin: options.origin } }),
    ...(options.localAddress !== undefined && { localAddress: options.localAddress }),
  })
  open.push(socket)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
  })
  return socket
}

/** A visitor socket after a successful `visitor.connect` (defaults: key `demo`, new visitor). */
export async function connectVisitor(
  url: string,
  options: Partial<ConnectOptions> = {},
  socketOptions: SocketOptions = {},
): Promise<{ socket: Socket; data: ConnectedData }> {
  const socket = await openVisitorSocket(url, socketOptions)
  const data = await request<ConnectedData>(socket, 'visitor.connect', {
    id: null,
    key: 'demo',
    ...options,
  })
  return { socket, data }
}

/** An agent socket on `/agent` with `auth: { token }`; rejects with the refusal error. */
export async function openAgentSocket(url: string, token?: string): Promise<Socket> {
  const socket = io(`${url}${AGENT_NAMESPACE}`, {
    path: DEFAULT_SOCKET_PATH,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(token !== undefined && { auth: { token } }),
  })
  open.push(socket)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', (err) => {
      socket.close()
      reject(err)
    })
  })
  return socket
}

/** An agent socket after `agent.connect`. */
export async function connectAgent(
  url: string,
  token: string,
): Promise<{ socket: Socket; data: AgentConnectedData }> {
  const socket = await openAgentSocket(url, token)
  const data = await request<AgentConnectedData>(socket, 'agent.connect', null)
  return { socket, data }
}

/** Closes every socket the helpers opened (call in `afterEach`). */
export function closeSockets(): void {
  for (const socket of open.splice(0)) socket.close()
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Polls `check` until it gives something other than `undefined`, `null` or `false`, and returns
 * that; throws once `ms` have passed (give a loaded CI machine room).
 */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  ms = 5000,
): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== null && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms`)
    await sleep(50)
  }
}
