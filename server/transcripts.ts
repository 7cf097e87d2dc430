/**
 * `chat.transcript`: gathers a chat's messages, renders them (server/mail/transcript-mail.ts)
 * and hands the mail to the configured transport.
 */
import type { Message } from '../src/protocol.ts'
import { transcriptMail } from './mail/transcript-mail.ts'
import type { MailTransport } from './mail/transport.ts'
import type { Storage, TranscriptRequest } from './storage/types.ts'

/** A transcript is for people: beyond this many messages only the newest are sent. */
const MAX_MESSAGES = 2_000
const PAGE = 200

export class Transcripts {
  constructor(
    private readonly storage: Storage,
    private readonly transport: MailTransport,
    private readonly from: string,
  ) {}

  async send(request: TranscriptRequest): Promise<void> {
    const chat = await this.storage.getChat(request.chatId)
    if (!chat) return
    const [account, visitor, agents, messages] = await Promise.all([
      this.storage.getAccount(chat.accountId),
      this.storage.getVisitor(chat.visitorId),
      this.storage.listAgents(chat.accountId),
      this.messages(chat.id),
    ])
    const mail = transcriptMail({
      accountName: account?.name ?? 'us',
      from: this.from,
      to: request.email,
      lang: request.lang,
      visitorName: visitor?.name ?? null,
      agents: new Map(agents.map((agent) => [agent.id, agent.nickname])),
      messages,
    })
    await this.transport.send(mail)
  }

  /** The chat's messages, oldest first, paged backwards from the newest. */
  private async messages(chatId: string): Promise<Message[]> {
    const pages: Message[][] = []
    let before: string | undefined
    let count = 0
    while (count < MAX_MESSAGES) {
      const page = await this.storage.listMessages(chatId, {
        limit: PAGE,
        ...(before !== undefined && { before }),
      })
      if (!page?.messages.length) break
      pages.unshift(page.messages)
      count += page.messages.length
      if (!page.hasMore) break
      before = page.messages[0]!.id
    }
    return pages.flat()
  }
}
