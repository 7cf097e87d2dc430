/**
 * The transport named by the configuration. To add one, write a `MailTransport`
 * (see smtp.ts) and a case here; tests and embedders can also inject their own.
 */
import { join } from 'node:path'
import type { ServerConfig } from '../config.ts'
import { OutboxTransport } from './outbox.ts'
import { SmtpTransport } from './smtp.ts'
import type { MailTransport } from './transport.ts'

export type { Mail, MailTransport } from './transport.ts'

export function createMailTransport(config: ServerConfig): MailTransport {
  switch (config.mailTransport) {
    case 'outbox':
      return new OutboxTransport(join(config.dataDir, 'outbox'))
    case 'smtp':
      if (!config.smtpUrl) throw new Error('MAIL_TRANSPORT=smtp needs SMTP_URL')
      return new SmtpTransport(config.smtpUrl)
    default:
      throw new Error(`Unknown MAIL_TRANSPORT: ${config.mailTransport} (use outbox or smtp)`)
  }
}
