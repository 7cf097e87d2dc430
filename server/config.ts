/**
 * Server configuration, read once from the environment. Everything has a default
 * so `npm start` works with no setup; tests pass overrides to `createChatServer`.
 */
import { resolve } from 'node:path'

export interface ServerConfig {
  port: number
  host: string
  /** Holds `chat.db` and `uploads/`; `:memory:` keeps the DB in memory (tests). */
  dataDir: string
  /** When true the SQLite DB lives in memory; uploads still go to `dataDir/uploads`. */
  inMemory: boolean
  logLevel: string
  /** Fixed token for the seeded demo agent; generated once and persisted when unset. */
  demoAgentToken: string | null
  uploadMaxBytes: number
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
}

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
    logLevel: env.LOG_LEVEL ?? 'info',
    demoAgentToken: env.DEMO_AGENT_TOKEN || null,
    uploadMaxBytes: intOr(env.UPLOAD_MAX_BYTES, 10 * MIB),
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
  }
}

function intOr(value: string | undefined, fallback: number): number {
  const n = value === undefined || value === '' ? Number.NaN : Number(value)
  if (Number.isInteger(n) && n >= 0) return n
  if (value !== undefined && value !== '') throw new Error(`Not a non-negative integer: ${value}`)
  return fallback
}
