/**
 * Hostile and broken input: for every event, wrong types, missing fields, oversize
 * strings, junk. Each gets a clear `validation_error` ack (or is dropped when there is
 * no ack), and the server keeps serving everybody else.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Socket } from 'socket.io-client'
import type { Message } from '../../src/protocol.ts'
import {
  AckError,
  connectAgent,
  connectVisitor,
  nextEvent,
  noEvent,
  openVisitorSocket,
  request,
  useTestServer,
} from '../support/server.ts'

const server = useTestServer()

const long = (n: number) => 'x'.repeat(n)
const text = (t: string) => ({ content: { type: 'text', text: t } })

const VISITOR_CASES: Record<string, unknown[]> = {
  'visitor.update': [
    undefined,
    null,
    'x',
    {},
    { values: 'x' },
    { values: { name: 5 } },
    { values: { email: long(300) } },
    { values: { variables: { a: { deep: 1 } } } },
  ],
  'visitor.authenticate': [null, {}, { values: { email: 7 } }, { values: { hash: long(200) } }],
  'chat.message': [
    undefined,
    null,
    'hi',
    42,
    [],
    {},
    { content: 'hi' },
    { content: { type: 'image', text: 'x' } },
    { content: { type: 'text' } },
    { content: { type: 'text', text: 5 } },
    { content: { type: 'text', text: '' } },
    { content: { type: 'text', text: '   ' } },
    { content: { type: 'text', text: long(10_001) } },
    { ...text('ok'), clientId: 5 },
    { ...text('ok'), clientId: long(101) },
    { ...text('ok'), type: 'agent' },
  ],
  'chat.typing': [
    null,
    {},
    { typing: true },
    { typing: { is: 'yes' } },
    { typing: { is: true, text: long(10_001) } },
  ],
  'chat.upload_finish': [null, {}, { uploadToken: 5 }, { uploadToken: '' }],
  'chat.transcript': [null, {}, { email: 5 }, { email: 'nope' }, { email: 'a@b.co', lang: 5 }],
  'chat.rate': [
    null,
    {},
    { messageId: 5 },
    { messageId: 'x', value: 6 },
    { messageId: 'x', value: 'good' },
    { messageId: 'x', value: 1.5 },
    { messageId: 'x', text: long(10_001) },
  ],
  'chat.history': ['x', { limit: 0 }, { limit: 1000 }, { limit: 'all' }, { before: 5 }],
}

const badChatRef = [null, {}, { chatId: 5 }, { chatId: long(65) }]
const badAssignment = [
  ...badChatRef,
  { chatId: 'x' },
  { chatId: 'x', agentId: 5 },
  { chatId: 'x', agentId: '' },
  { chatId: 'x', agentId: long(65) },
]
const AGENT_CASES: Record<string, unknown[]> = {
  'agent.status': [null, {}, { status: 'busy' }],
  'chats.list': ['x', { status: 'weird' }, { limit: -1 }, { limit: 10_000 }],
  'chat.history': [...badChatRef, { chatId: 'x', limit: 0 }],
  'chat.message': [
    ...badChatRef,
    { chatId: 'x' },
    { chatId: 'x', content: { type: 'text', text: long(10_001) } },
  ],
  'chat.typing': [...badChatRef, { chatId: 'x', typing: { is: 1 } }],
  'chat.read': badChatRef,
  'chat.join': badChatRef,
  'chat.leave': badChatRef,
  'chat.close': badChatRef,
  'chat.assign': badAssignment,
  'chat.unassign': badAssignment,
  'chat.delete': badChatRef,
}

/**
 * Every payload of `cases` must come back refused, naming the event: `validation_error` (400),
 * or `too_large` (413) when a string is only too long.
 */
async function expectValidationErrors(socket: Socket, cases: Record<string, unknown[]>) {
  for (const [event, payloads] of Object.entries(cases)) {
    for (const payload of payloads) {
      const label = `${event} ${JSON.stringify(payload)?.slice(0, 60)}`
      const err = await request(socket, event, payload).then(
        () => assert.fail(`accepted: ${label}`),
        (e: unknown) => e,
      )
      assert.ok(err instanceof AckError, label)
      if (err.type === 'too_large') {
        assert.ok(
          JSON.stringify(payload)?.includes(long(65)),
          `only long strings are too large: ${label}`,
        )
        assert.equal(err.code, 413, label)
      } else {
        assert.equal(err.type, 'validation_error', label)
        assert.equal(err.code, 400, label)
      }
      assert.equal(err.event, event, label)
      assert.match(err.message, /^Invalid payload: /, label)
    }
  }
}

describe('bad input', () => {
  test('visitor.connect refuses malformed options', async () => {
    const socket = await openVisitorSocket(server.url)
    await expectValidationErrors(socket, {
      'visitor.connect': [
        null,
        'demo',
        {},
        { id: 5, key: 'demo' },
        { id: null, key: '' },
        { id: null, key: long(65) },
        { id: null, key: 'demo', name: long(201) },
        { id: null, key: 'demo', visits: -1 },
        { id: null, key: 'demo', variables: { a: [1] } },
      ],
    })
    // The socket is still usable afterwards.
    const data = await request<{ visitor: { id: string } }>(socket, 'visitor.connect', {
      id: null,
      key: 'demo',
    })
    assert.ok(data.visitor.id)
  })

  test('a text that is only too long is too_large (413), for visitors and agents', async () => {
    const { socket } = await connectVisitor(server.url)
    await assert.rejects(
      request(socket, 'chat.message', { content: { type: 'text', text: long(10_001) } }),
      { type: 'too_large', code: 413 },
    )
    const ok = await request<{ chatId: string }>(socket, 'chat.message', {
      content: { type: 'text', text: long(10_000) },
    })
    const agent = await connectAgent(server.url, server.agentToken)
    await assert.rejects(
      request(agent.socket, 'chat.message', {
        chatId: ok.chatId,
        content: { type: 'text', text: long(10_001) },
      }),
      { type: 'too_large', code: 413 },
    )
  })

  test('every visitor request refuses wrong types, missing fields and oversize strings', async () => {
    const { socket } = await connectVisitor(server.url)
    await request(socket, 'chat.message', text('a chat to act on'))
    await expectValidationErrors(socket, VISITOR_CASES)
  })

  test('every agent request refuses wrong types, missing fields and oversize strings', async () => {
    const { socket } = await connectAgent(server.url, server.agentToken)
    await expectValidationErrors(socket, AGENT_CASES)
  })

  test('without an ack, bad input is dropped silently', async () => {
    const { socket } = await connectVisitor(server.url)
    const quiet = noEvent(socket, 'server.error', 200)
    socket.emit('chat.message', { content: 42 })
    socket.emit('chat.typing', 'nonsense')
    socket.emit('visitor.update', null)
    socket.emit('chat.rate', { messageId: 5 })
    socket.emit('chat.history', { limit: 'all' }) // a query without an ack is not even run
    await quiet
    const message = await request<Message>(socket, 'chat.message', text('still here'))
    assert.equal(message.content.text, 'still here')
  })

  test('extra keys are ignored, not stored', async () => {
    const { socket } = await connectVisitor(server.url, { junk: long(1000) } as never)
    const message = await request<Message>(socket, 'chat.message', {
      ...text('hi'),
      junk: { a: 1 },
      agentId: 'forged',
      subType: 'agent',
    })
    assert.equal(message.subType, 'contact')
    assert.equal(message.agentId, null)
    assert.equal((message as unknown as Record<string, unknown>).junk, undefined)
  })

  test('an unexpected failure is a 500 server_error ack, and the server carries on', async () => {
    const { socket } = await connectVisitor(server.url)
    await request(socket, 'chat.message', text('hi'))
    const storage = server.server.storage
    const original = storage.addTranscriptRequest
    storage.addTranscriptRequest = async () => {
      throw new Error('disk on fire')
    }
    try {
      await assert.rejects(
        request(socket, 'chat.transcript', { email: 'a@b.co', lang: 'en' }),
        (err: AckError) =>
          err.code === 500 && err.type === 'server_error' && !err.message.includes('fire'),
      )
      // Without an ack the client hears it as server.error.
      const error = nextEvent(socket, 'server.error')
      socket.emit('chat.transcript', { email: 'a@b.co', lang: 'en' })
      assert.equal((await error).type, 'server_error')
    } finally {
      storage.addTranscriptRequest = original
    }
  })

  test('a packet over the size limit drops only that socket', async () => {
    const { socket } = await connectVisitor(server.url)
    const gone = nextEvent(socket, 'disconnect', () => true, 3000)
    socket.emit('chat.message', text(long(2_000_000)))
    await gone
  })

  test('after all that, a second visitor still chats with an agent', async () => {
    const { socket } = await connectVisitor(server.url)
    const agent = await connectAgent(server.url, server.agentToken)
    const seen = nextEvent(agent.socket, 'chat.message_received')
    const message = await request<Message>(socket, 'chat.message', text('all good?'))
    assert.equal((await seen).message.id, message.id)
    const reply = nextEvent(socket, 'chat.message_received', (d) => d.message.subType === 'agent')
    await request(agent.socket, 'chat.message', { chatId: message.chatId, ...text('yes') })
    assert.equal((await reply).message.content.text, 'yes')
    const health = await fetch(`${server.url}/healthz`)
    assert.equal((await health.json()).ok, true)
  })
})
