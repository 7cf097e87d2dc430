/**
 * Real delivery through an SMTP relay with nodemailer: `MAIL_TRANSPORT=smtp` and
 * `SMTP_URL=smtps://user:pass@smtp.example.com`. Any other nodemailer transport
 * (SES, sendmail…) plugs in the same way: wrap its `sendMail` in a `MailTransport`.
 */
import { createTransport, type Transporter } from 'nodemailer'
import type { Mail, MailTransport } from './transport.ts'

export class SmtpTransport implements MailTransport {
  private readonly transporter: Transporter

  constructor(url: string) {
    this.transporter = createTransport(url)
  }

  async send(mail: Mail): Promise<void> {
    await this.transporter.sendMail(mail)
  }
}
