/** Messages carry their place in the chat, so clients can order messages of one millisecond. */
import assert from 'node:assert/strict'
import { after, afterEach, before, test } from 'node:test'
import type { ChatHistoryResult, Message } from '../../src/protocol.ts'
import {
  closeSockets,
  connectAgent,
  connectVisitor,
  nextEvent,
  request,
  startTestServer,
  type TestServer,
} from '../support/server.ts'

let server: TestServer
before(async () => {
  server = await startTestServer()
})
afterEach(closeSockets)
after(() => server.close())

test('every stored message has the next seq of its chat: acks, echoes, events and history agree', async () => {
  const { socket } = await connectVisitor(server.url)
  const sends = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      request<Message>(socket, 'chat.message', { content: { type: 'text', text: `m${i}` } }),
    ),
  )
  const chatId = sends[0]!.chatId
  const agent = await connectAgent(server.url, server.agentToken)
  const echo = nextEvent<{ message: Message }>(socket, 'chat.agent_joined')
  await request(agent.socket, 'chat.join', { chatId })
  assert.equal((await echo).message.seq, 21, 'event messages too')

  const { messages } = await request<ChatHistoryResult>(socket, 'chat.history', { limit: 50 })
  assert.deepEqual(
    messages.map((m) => m.seq),
    Array.from({ length: 21 }, (_, i) => i + 1),
  )
  const acked = new Map(sends.map((m) => [m.id, m.seq]))
  for (const m of messages) if (acked.has(m.id)) assert.equal(acked.get(m.id), m.seq)
})
