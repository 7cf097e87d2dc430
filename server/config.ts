/**
 * Server configuration, read once from the environment. Everything has a default
 * so `npm start` works with no setup; tests pass overrides to `createChatServer`.
 */
import { resolve } from 'node:path'
import { parseRule, type RateLimitConfig } from './limits/rate-limits.ts'
import { parseOrigins } from './origins.ts'

export interface ServerConfig {
  port: number
  host: string
  /** Holds `chat.db` and `uploads/`; `:memory:` keeps the DB in memory (tests). */
  dataDir: string
  /** When true the SQLite DB lives in memory; uploads still go to `dataDir/uploads`. */
  inMemory: boolean
  /**
   * `postgres://user:pass@host:5432/db` stores everything in PostgreSQL (shared by every
   * node) instead of SQLite in `dataDir`; `?max=20` sizes the pool (server/storage/postgres.ts).
   */
  databaseUrl: string | null
  /**
   * SQLite's `PRAGMA synchronous` in WAL mode (docs/STORAGE.md, "Durability"): `normal`
   * (default) survives a crash of the process, `full` also a power cut, at an fsync per commit.
   */
  sqliteSync: 'normal' | 'full'
  logLevel: string
  /** Fixed token for the seeded demo agent; generated once and persisted when unset. */
  demoAgentToken: string | null
  uploadMaxBytes: number
  /** How long an upload token from `chat.upload_init` may be used for the POST. */
  uploadTokenTtlMs: number
  /** MIME types or `type/*` wildcards accepted for uploads (after sniffing). */
  uploadTypes: string[]
  /** Built demo page and console (`index.html`, `console/index.html`). */
  staticDir: string
  /** The built widget bundle served at `/chat-widget.js`. */
  widgetFile: string
  /** HTTP path of the Socket.IO endpoint. */
  socketPath: string
  /** `outbox` (`.eml` files in `dataDir/outbox/`) or `smtp` (needs `smtpUrl`); see server/mail/. */
  mailTransport: string
  /** Sender address of transcripts; the display name is the account's name. */
  mailFrom: string
  /** nodemailer connection URL for `mailTransport: 'smtp'`, e.g. `smtps://user:pass@host`. */
  smtpUrl: string | null
  /** Largest Socket.IO packet in bytes; a bigger one closes that socket (files go by HTTP). */
  maxHttpBufferSize: number
  /** Longest text of a message or typing preview in characters, visitor and agent side. */
  maxTextLength: number
  /** Open Socket.IO connections per client IP (both namespaces); more are refused at the handshake. */
  maxConnectionsPerIp: number
  /** Token buckets per socket and per IP for visitor events (see server/limits/). */
  rateLimits: RateLimitConfig
  /** Origins allowed to embed the demo account's widget (see server/origins.ts). */
  demoAllowedOrigins: string[]
  /** Uploaded files and thumbnails, shared by every node; null: `dataDir/uploads`. */
  uploadsDir: string | null
  /** `redis://host:6379`: fan-out and agent presence shared between nodes (server/cluster/). */
  redisUrl: string | null
  /** Prefix of every Redis key and channel, so deployments (and test runs) can share a Redis. */
  redisPrefix: string
  /** This node's name in Redis and the logs; null: host name, pid and a random suffix. */
  nodeId: string | null
  /** A node whose heartbeat is older than this is dead: its agents go offline. */
  nodeTtlMs: number
  /**
   * How long an agent whose connection dropped (a console reloading, a network blip) still
   * counts as there: back within it, visitors never see them leave. Signing out, or a socket
   * closed on purpose, counts at once. 0: at once always.
   */
  agentReconnectGraceMs: number
  /** On SIGTERM, how long in-flight HTTP requests may take before sockets are closed anyway. */
  drainTimeoutMs: number
}

/**
 * Rates as `"<count>/<seconds>"`: up to `count` at once, refilling `count` every `seconds`.
 * A socket's burst is large enough for a reconnecting client to flush 100 queued
 * messages at once; the slow refill and the per-IP bucket stop a flood (a reconnect
 * resets the socket bucket, never the IP one).
 */
export const DEFAULT_RATES = {
  RATE_REQUESTS_PER_SOCKET: '300/10',
  RATE_REQUESTS_PER_IP: '2000/10',
  RATE_MESSAGES_PER_SOCKET: '120/120',
  RATE_MESSAGES_PER_IP: '600/60',
  RATE_TYPING_PER_SOCKET: '30/10',
  RATE_TYPING_PER_IP: '300/10',
  RATE_UPLOADS_PER_SOCKET: '10/60',
  RATE_UPLOADS_PER_IP: '30/60',
} as const

export const DEFAULT_DEMO_ORIGINS = ['localhost', '127.0.0.1', '[::1]']

export const DEFAULT_UPLOAD_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
]

const MIB = 1024 * 1024

/** Reads the configuration from environment variables (`process.env` by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const dataDir = env.DATA_DIR ?? './data'
  return {
    port: intOr(env.PORT, 8080),
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(dataDir),
    inMemory: false,
    databaseUrl: databaseUrl(env.DATABASE_URL),
    sqliteSync: sqliteSync(env.SQLITE_SYNC),
    logLevel: env.LOG_LEVEL ?? 'info',
    demoAgentToken: env.DEMO_AGENT_TOKEN || null,
    uploadMaxBytes: intOr(env.UPLOAD_MAX_BYTES, 10 * MIB),
    uploadTokenTtlMs: intOr(env.UPLOAD_TOKEN_TTL_SECONDS, 600) * 1000,
    uploadTypes: env.UPLOAD_TYPES
      ? env.UPLOAD_TYPES.split(',')
          .map((type) => type.trim())
          .filter(Boolean)
      : DEFAULT_UPLOAD_TYPES,
    staticDir: resolve(env.STATIC_DIR ?? 'dist/site'),
    widgetFile: resolve(env.WIDGET_FILE ?? 'dist/chat-widget.js'),
    socketPath: env.SOCKET_PATH ?? '/socket',
    mailTransport: env.MAIL_TRANSPORT || 'outbox',
    mailFrom: env.MAIL_FROM || 'no-reply@localhost',
    smtpUrl: env.SMTP_URL || null,
    maxHttpBufferSize: intOr(env.MAX_HTTP_BUFFER_SIZE, 256 * 1024),
    maxTextLength: intOr(env.MAX_TEXT_LENGTH, 10_000),
    maxConnectionsPerIp: intOr(env.MAX_CONNECTIONS_PER_IP, 50),
    rateLimits: {
      request: {
        socket: rate(env, 'RATE_REQUESTS_PER_SOCKET'),
        ip: rate(env, 'RATE_REQUESTS_PER_IP'),
      },
      message: {
        socket: rate(env, 'RATE_MESSAGES_PER_SOCKET'),
        ip: rate(env, 'RATE_MESSAGES_PER_IP'),
      },
      typing: { socket: rate(env, 'RATE_TYPING_PER_SOCKET'), ip: rate(env, 'RATE_TYPING_PER_IP') },
      upload: {
        socket: rate(env, 'RATE_UPLOADS_PER_SOCKET'),
        ip: rate(env, 'RATE_UPLOADS_PER_IP'),
      },
    },
    demoAllowedOrigins: env.DEMO_ALLOWED_ORIGINS
      ? parseOrigins(env.DEMO_ALLOWED_ORIGINS)
      : DEFAULT_DEMO_ORIGINS,
    uploadsDir: env.UPLOADS_DIR ? resolve(env.UPLOADS_DIR) : null,
    redisUrl: env.REDIS_URL || null,
    redisPrefix: env.REDIS_PREFIX ?? 'chat-widget:',
    nodeId: env.NODE_ID || null,
    nodeTtlMs: intOr(env.NODE_TTL_SECONDS, 10) * 1000,
    agentReconnectGraceMs: intOr(env.AGENT_RECONNECT_GRACE_SECONDS, 5) * 1000,
    drainTimeoutMs: intOr(env.DRAIN_TIMEOUT_SECONDS, 10) * 1000,
  }
}

function databaseUrl(value: string | undefined): string | null {
  if (!value) return null
  if (/^postgres(ql)?:\/\//.test(value)) return value
  throw new Error('DATABASE_URL must be a postgres:// URL (unset: SQLite in DATA_DIR)')
}

function sqliteSync(value: string | undefined): 'normal' | 'full' {
  if (!value) return 'normal'
  if (value === 'normal' || value === 'full') return value
  throw new Error('SQLITE_SYNC must be normal or full')
}

function rate(env: NodeJS.ProcessEnv, name: keyof typeof DEFAULT_RATES) {
  return parseRule(env[name] || DEFAULT_RATES[name])
}

function intOr(value: string | undefined, fallback: number): number {
  const n = value === undefined || value === '' ? Number.NaN : Number(value)
  if (Number.isInteger(n) && n >= 0) return n
  if (value !== undefined && value !== '') throw new Error(`Not a non-negative integer: ${value}`)
  return fallback
}
