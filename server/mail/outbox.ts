/**
 * The default transport: every mail becomes an RFC 822 `.eml` file in `DATA_DIR/outbox/`,
 * built by nodemailer, so a developer can open what would have been sent. Written to a
 * temporary name and renamed: a reader never sees half a file.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createTransport } from 'nodemailer'
import { newId } from '../ids.ts'
import type { Mail, MailTransport } from './transport.ts'

export class OutboxTransport implements MailTransport {
  // Builds the message only; nothing leaves the machine.
  private readonly builder = createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
  })

  constructor(readonly dir: string) {}

  async send(mail: Mail): Promise<void> {
    const info = await this.builder.sendMail(mail)
    await mkdir(this.dir, { recursive: true })
    // Sortable by time, unique by id.
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${newId(8)}.eml`
    const tmp = join(this.dir, `.${name}.tmp`)
    try {
      await writeFile(tmp, info.message)
      await rename(tmp, join(this.dir, name))
    } finally {
      await rm(tmp, { force: true })
    }
  }
}
