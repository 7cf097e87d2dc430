/**
 * The mail boundary: the server builds a `Mail`, a transport delivers it. Pick one with
 * `MAIL_TRANSPORT` (server/mail/index.ts) or pass your own to `createChatServer`.
 */

export interface Mail {
  /** `Name <address>` or a bare address. */
  from: { name: string; address: string }
  to: string
  subject: string
  text: string
  html: string
}

export interface MailTransport {
  /** Resolves once the mail is handed over (written, or accepted by the relay). */
  send(mail: Mail): Promise<void>
}
