/** Messages carry their place in the chat, so clients can order messages of one millisecond. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ChatHistoryResult, Message } from '../../src/protocol.ts'
import {
  connectAgent,
  connectVisitor,
  nextEvent,
  request,
  useTestServer,
} from '../support/server.ts'

const server = useTestServer()

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

test('a burst from one socket is stored, echoed and acked in send order (visitor and agent)', async () => {
  // The socket's next message may start while this one waits for its commit: order must hold.
  const { socket } = await connectVisitor(server.url)
  const first = await request<Message>(socket, 'chat.message', {
    content: { type: 'text', text: 'hello' },
  })
  const agent = await connectAgent(server.url, server.agentToken)
  await request(agent.socket, 'chat.join', { chatId: first.chatId })
  const heard: string[] = []
  socket.on('chat.message_received', ({ message }: { message: Message }) => {
    if (message.content.text?.startsWith('b')) heard.push(message.content.text)
  })
  const texts = Array.from({ length: 60 }, (_, i) => `b${i}`)
  const acked: string[] = []
  const sends = texts.map((text, i) => {
    const from = i % 3 === 2 ? agent.socket : socket
    const payload = {
      ...(from === agent.socket && { chatId: first.chatId }),
      content: { type: 'text', text },
      // A repeat of the previous clientId inside the burst is the same message, not a new one.
      clientId: `cid-${i % 3 === 1 ? i - 1 : i}`,
    }
    return request<Message>(
      from,
      'chat.message',
      i % 3 === 1 ? { ...payload, content: { type: 'text', text: texts[i - 1] } } : payload,
    ).then((m) => {
      acked.push(m.content.text!)
      return m
    })
  })
  const results = await Promise.all(sends)
  for (let i = 1; i < 60; i += 3) assert.equal(results[i]!.id, results[i - 1]!.id)
  const { messages } = await request<ChatHistoryResult>(socket, 'chat.history', { limit: 100 })
  const stored = messages.map((m) => m.content.text).filter((t) => t?.startsWith('b'))
  const expected = texts.filter((_, i) => i % 3 !== 1)
  // Each socket's own messages keep their order; the two sockets interleave freely.
  const own = (list: (string | null | undefined)[], agentSide: boolean) =>
    list.filter((t) => (Number(t!.slice(1)) % 3 === 2) === agentSide)
  for (const side of [false, true]) {
    assert.deepEqual(own(stored, side), own(expected, side))
    assert.deepEqual(own(heard, side), own(expected, side))
  }
  assert.deepEqual(
    messages.map((m) => m.seq),
    Array.from({ length: messages.length }, (_, i) => i + 1),
  )
  assert.equal(acked.length, 60)
})
