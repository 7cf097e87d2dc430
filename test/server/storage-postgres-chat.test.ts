/**
 * A short chat end to end on a PostgreSQL-backed server, and two servers ("nodes") on one
 * database keeping one history. Skips without PostgreSQL unless `CI=true`
 * (test/support/postgres.ts). The whole protocol suite runs on PostgreSQL with
 * `STORAGE=postgres node --import tsx --test test/server/*.test.ts`.
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import type { ChatHistoryResult, Message } from '../../src/protocol.ts'
import { createTestSchema, requirePostgres, type TestSchema } from '../support/postgres.ts'
import {
  closeSockets,
  connectAgent,
  connectVisitor,
  nextEvent,
  request,
  startTestServer,
  type TestServer,
} from '../support/server.ts'

const db = await requirePostgres()

describe('chat server on PostgreSQL', 'skip' in db ? { skip: db.skip } : {}, () => {
  let schema: TestSchema
  let nodes: TestServer[]

  before(async () => {
    schema = await createTestSchema(db.url!)
    // Two nodes on one database; the second finds the demo account the first seeded.
    const first = await startTestServer({ databaseUrl: schema.url })
    nodes = [first, await startTestServer({ databaseUrl: schema.url })]
  })
  afterEach(closeSockets)
  after(async () => {
    for (const node of nodes ?? []) await node.close()
    await schema?.drop()
  })

  const text = (t: string, clientId?: string) => ({
    content: { type: 'text', text: t },
    ...(clientId && { clientId }),
  })

  test('visitor and agent chat; a retried clientId is one message; history survives', async () => {
    const [node] = nodes
    assert.equal(node!.server.storage.constructor.name, 'PostgresStorage')
    const agent = await connectAgent(node!.url, node!.agentToken)
    const visitor = await connectVisitor(node!.url, { name: 'Ann' })
    const heard = nextEvent<{ message: Message }>(agent.socket, 'chat.message_received')
    const sent = await request<Message>(visitor.socket, 'chat.message', text('hello', 'c-1'))
    assert.equal((await heard).message.id, sent.id)
    assert.deepEqual(
      await request(visitor.socket, 'chat.message', text('hello', 'c-1')),
      sent,
      'a retry returns the stored message',
    )
    const reply = nextEvent<{ message: Message }>(visitor.socket, 'chat.message_received')
    await request(agent.socket, 'chat.message', { chatId: sent.chatId, ...text('hi Ann') })
    assert.equal((await reply).message.content.text, 'hi Ann')

    const again = await connectVisitor(node!.url, { id: visitor.data.visitor.id })
    assert.equal(again.data.visitor.name, 'Ann')
    assert.deepEqual(
      again.data.chat?.messages.filter((m) => m.type === 'message').map((m) => m.content.text),
      ['hello', 'hi Ann'],
    )
  })

  test('one visitor writing through two nodes at once: one history, same on both', async () => {
    const [a, b] = nodes
    const first = await connectVisitor(a!.url)
    const second = await connectVisitor(b!.url, { id: first.data.visitor.id })
    const opened = await request<Message>(first.socket, 'chat.message', text('start'))
    const sends: Promise<Message>[] = []
    for (let i = 0; i < 20; i++) {
      sends.push(request<Message>(first.socket, 'chat.message', text(`a${i}`, `a${i}`)))
      sends.push(request<Message>(second.socket, 'chat.message', text(`b${i}`, `b${i}`)))
    }
    // Both nodes retry one clientId: still one message.
    sends.push(request<Message>(first.socket, 'chat.message', text('dup', 'same')))
    sends.push(request<Message>(second.socket, 'chat.message', text('dup', 'same')))
    const results = await Promise.all(sends)
    assert.equal(results.at(-1)!.id, results.at(-2)!.id)
    const history = async (node: TestServer, socket = node === a ? first.socket : second.socket) =>
      request<ChatHistoryResult>(socket, 'chat.history', { chatId: opened.chatId, limit: 100 })
    const onA = await history(a!)
    const onB = await history(b!)
    assert.equal(onA.messages.length, 42)
    assert.deepEqual(
      onA.messages.map((m) => m.id),
      onB.messages.map((m) => m.id),
    )
    assert.deepEqual(
      onA.messages.map((m) => m.seq),
      Array.from({ length: 42 }, (_, i) => i + 1),
    )
  })
})
