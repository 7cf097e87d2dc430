/** Builds wire Messages. The server assigns ids and times; storage assigns the order. */
import type { Attachment, Message, MessageContent, MessageSubType } from '../src/protocol.ts'
import { newSortableId } from './ids.ts'

export interface MessageInit {
  chatId: string
  visitorId: string
  subType: MessageSubType
  content: MessageContent
  agentId?: string | null
  attachments?: Attachment[]
}

/** A `type: 'message'` (text, upload, rate_form). */
export function createMessage(init: MessageInit, now = new Date()): Message {
  return build('message', init, now)
}

/** A `type: 'event'` (agent_join, agent_leave, chat_close, ...), shown as a system line. */
export function createEvent(init: MessageInit, now = new Date()): Message {
  return build('event', init, now)
}

export function textContent(text: string): MessageContent {
  return { type: 'text', text, data: null }
}

/** An upload message's content: the attachment, which also goes in `attachments`. */
export function uploadContent(attachment: Attachment): MessageContent {
  return { type: 'upload', text: null, data: attachment }
}

/** The stored file behind an attachment URL: the id segment of `…/files/:id/:name`. */
export function fileIdOfUrl(url: unknown): string | null {
  return typeof url === 'string' ? (/\/files\/([^/]+)\//.exec(url)?.[1] ?? null) : null
}

/** The stored file behind an upload message. */
function fileIdOf(content: MessageContent): string | null {
  return fileIdOfUrl((content.data as Attachment | null)?.url)
}

/** The stored files the messages show (their attachments), each once. */
export function attachedFileIds(messages: Message[]): string[] {
  const ids = new Set<string>()
  for (const message of messages)
    for (const attachment of message.attachments ?? []) {
      const id = fileIdOfUrl(attachment.url)
      if (id) ids.add(id)
    }
  return [...ids]
}

/** Whether a retried send is the same message: same text, or the same uploaded file. */
export function sameContent(a: MessageContent, b: MessageContent): boolean {
  if (a.type !== b.type) return false
  if (a.type === 'upload') return fileIdOf(a) !== null && fileIdOf(a) === fileIdOf(b)
  return a.text === b.text
}

function build(type: Message['type'], init: MessageInit, now: Date): Message {
  return {
    id: newSortableId(now.getTime()),
    type,
    subType: init.subType,
    channel: { type: 'default', id: null },
    chatId: init.chatId,
    groupId: null,
    visitorId: init.visitorId,
    agentId: init.agentId ?? null,
    trigger: null,
    createdAt: now.toISOString(),
    content: init.content,
    tags: null,
    responseTime: null,
    attachments: init.attachments ?? [],
  }
}
