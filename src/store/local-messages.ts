import type { Message } from '../protocol.ts'
import type { OutboxEntry } from './persistence.ts'

/** Where a message the server has not stored yet belongs, as far as the client knows. */
export interface LocalAuthor {
  chatId: string
  visitorId: string
}

/** The visitor's text, shown at once; replaced by the server's Message (same clientId). */
export function localText(
  clientId: string,
  text: string,
  createdAt: string | undefined,
  author: LocalAuthor,
): Message {
  return {
    id: `local-${clientId}`,
    clientId,
    type: 'message',
    subType: 'contact',
    channel: { type: 'default', id: null },
    chatId: author.chatId,
    groupId: null,
    visitorId: author.visitorId,
    agentId: null,
    trigger: null,
    createdAt: createdAt ?? new Date().toISOString(),
    content: { type: 'text', text, data: null },
    tags: null,
    responseTime: null,
    attachments: [],
  }
}

/** A file on its way up: an Attachment-like `data` with no URL yet. */
export function localUpload(
  clientId: string,
  file: { name: string; type: string; size: number },
  createdAt: string | undefined,
  author: LocalAuthor,
): Message {
  return {
    ...localText(clientId, '', createdAt, author),
    content: {
      type: 'upload',
      text: null,
      data: {
        type: file.type.startsWith('image/') ? 'image' : 'file',
        fileName: file.name,
        fileType: file.type,
        size: file.size,
        url: '',
        expireAt: '',
        width: null,
        height: null,
      },
    },
  }
}

/** The pending bubble of an outbox entry (after a reload too). */
export function pendingMessage(entry: OutboxEntry, author: LocalAuthor): Message {
  return entry.kind === 'text'
    ? localText(entry.clientId, entry.text, entry.createdAt, author)
    : localUpload(entry.clientId, entry.file, entry.createdAt, author)
}
