/** Test data: wire messages with sensible defaults, for the Node and the browser suites. */
import type { Message, MessageContent } from '../../src/protocol.ts'

let clock = Date.parse('2026-03-02T10:00:00Z')
let sequence = 0

/** A wire message with sensible defaults, one minute after the previous one. */
export function message(overrides: Partial<Message> & { text?: string | null } = {}): Message {
  const { text = 'Hello', ...rest } = overrides
  sequence++
  clock += 60_000
  const content: MessageContent = { type: 'text', text, data: null }
  return {
    id: `m${sequence}`,
    type: 'message',
    subType: 'contact',
    channel: { type: 'default', id: null },
    chatId: 'chat1',
    groupId: null,
    visitorId: 'visitor1',
    agentId: null,
    trigger: null,
    createdAt: new Date(clock).toISOString(),
    content,
    tags: null,
    responseTime: null,
    attachments: [],
    ...rest,
  }
}
