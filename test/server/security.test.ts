/**
 * Nothing injected: visitors and agents see and touch only their own. Author, chat and
 * visitor fields in payloads are ignored; origins are checked at the handshake and at
 * `visitor.connect`; a second account `other` proves agents stay in their account.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { AgentChat, ChatUploadInitResult, Message } from '../../src/protocol.ts'
import {
  AckError,
  addTestAccount,
  connectAgent,
  connectVisitor,
  nextEvent,
  noEvent,
  openVisitorSocket,
  request,
  startTestServer,
  useTestServer,
} from '../support/server.ts'

let other: Awaited<ReturnType<typeof addTestAccount>>
const server = useTestServer({}, async (started) => {
  other = await addTestAccount(started, { key: 'other', allowedOrigins: ['shop.example'] })
})

const text = (t: string) => ({ content: { type: 'text', text: t } })

async function refused(promise: Promise<unknown>, type: string, label = '') {
  const err = await promise.then(
    () => assert.fail(`expected an error ack ${label}`),
    (e: unknown) => e,
  )
  assert.ok(err instanceof AckError, `expected AckError, got ${err}`)
  assert.equal(err.type, type, label)
}

async function visitorChat(key = 'demo', socketOptions = {}) {
  const visitor = await connectVisitor(server.url, { key }, socketOptions)
  const first = await request<Message>(visitor.socket, 'chat.message', text('hello'))
  return { ...visitor, chatId: first.chatId, first }
}

describe('forged fields', () => {
  test('a visitor cannot forge author, chat, visitor or agent in chat.message', async () => {
    const victim = await visitorChat()
    const mallory = await visitorChat()
    const agent = await connectAgent(server.url, server.agentToken)
    const agentId = agent.data.agent.id
    const victimHears = noEvent(victim.socket, 'chat.message_received', 300)
    const message = await request<Message>(mallory.socket, 'chat.message', {
      ...text('I am the agent'),
      chatId: victim.chatId,
      visitorId: victim.data.visitor.id,
      agentId,
      subType: 'agent',
      id: victim.first.id,
      createdAt: '2000-01-01T00:00:00.000Z',
      channel: { type: 'evil' },
      attachments: [{ url: 'https://evil.example/x' }],
    })
    assert.equal(message.chatId, mallory.chatId)
    assert.equal(message.visitorId, mallory.data.visitor.id)
    assert.equal(message.subType, 'contact')
    assert.equal(message.agentId, null)
    assert.notEqual(message.id, victim.first.id)
    assert.notEqual(message.createdAt, '2000-01-01T00:00:00.000Z')
    assert.deepEqual(message.attachments, [])
    assert.deepEqual(message.channel, { type: 'default', id: null })
    await victimHears
    const victimPage = await request<{ messages: Message[] }>(victim.socket, 'chat.history', {})
    assert.deepEqual(
      victimPage.messages.map((m) => m.content.text),
      ['hello'],
    )
  })

  test('a visitor cannot grant itself authenticated or take over another account’s visitor', async () => {
    const theirs = await connectVisitor(server.url, { key: 'other' })
    const mine = await connectVisitor(server.url, { id: theirs.data.visitor.id, key: 'demo' })
    assert.notEqual(mine.data.visitor.id, theirs.data.visitor.id)
    const forged = await request<{ variables: Record<string, unknown> }>(
      mine.socket,
      'visitor.authenticate',
      { values: { email: 'a@b.example', variables: { authenticated: true } } },
    )
    assert.equal(forged.variables.authenticated, false)
  })
})

describe('visitor isolation', () => {
  test('visitor B cannot read, rate, mark read or page through A’s chat', async () => {
    const a = await visitorChat()
    const form = await request<{ message: Message }>(a.socket, 'chat.rate_init', null)
    const b = await visitorChat()

    // History: B's own chat only; a cursor from A's chat is unknown to B.
    const page = await request<{ messages: Message[] }>(b.socket, 'chat.history', {})
    assert.ok(page.messages.every((m) => m.chatId === b.chatId))
    await refused(request(b.socket, 'chat.history', { after: a.first.id }), 'not_found', 'after')
    await refused(request(b.socket, 'chat.history', { before: a.first.id }), 'not_found', 'before')
    // Rating A's form.
    await refused(
      request(b.socket, 'chat.rate', { messageId: form.message.id, value: 1 }),
      'not_found',
      'rate',
    )
    // chat.read and chat.close act on B's own chat, whatever the payload says.
    const aHears = noEvent(a.socket, 'chat.contact_read', 300)
    await request(b.socket, 'chat.read', { chatId: a.chatId })
    await aHears
    const aClosed = noEvent(a.socket, 'chat.closed', 300)
    await request(b.socket, 'chat.close', { chatId: a.chatId })
    await aClosed
    await request(a.socket, 'chat.message', text('A still chats'))
  })

  test('B cannot finish A’s upload token, before or after A finishes', async () => {
    const a = await visitorChat()
    const b = await visitorChat()
    const init = await request<ChatUploadInitResult>(a.socket, 'chat.upload_init', null)
    const form = new FormData()
    form.append('file', new Blob(['private notes\n'], { type: 'text/plain' }), 'notes.txt')
    assert.equal((await fetch(init.url, { method: 'POST', body: form })).status, 201)
    await refused(
      request(b.socket, 'chat.upload_finish', { uploadToken: init.token }),
      'not_found',
      'B first',
    )
    // With a clientId A already used: B has no message under it, so still nothing.
    const mine = await request<Message>(a.socket, 'chat.upload_finish', {
      uploadToken: init.token,
      clientId: 'up-1',
    })
    assert.equal(mine.chatId, a.chatId)
    await refused(
      request(b.socket, 'chat.upload_finish', { uploadToken: init.token, clientId: 'up-1' }),
      'not_found',
      'B after',
    )
    const bPage = await request<{ messages: Message[] }>(b.socket, 'chat.history', {})
    assert.ok(bPage.messages.every((m) => m.content.type !== 'upload'))
  })

  test('file URLs are unguessable: 128-bit ids, and a wrong id is a plain 404', async () => {
    const a = await visitorChat()
    const init = await request<ChatUploadInitResult>(a.socket, 'chat.upload_init', null)
    assert.ok(init.token.length >= 22)
    const form = new FormData()
    form.append('file', new Blob(['hello\n'], { type: 'text/plain' }), 'a.txt')
    await fetch(init.url, { method: 'POST', body: form })
    const message = await request<Message>(a.socket, 'chat.upload_finish', {
      uploadToken: init.token,
    })
    const url = new URL(message.attachments[0]!.url)
    const id = url.pathname.split('/')[2]!
    assert.match(id, /^[A-Za-z0-9_-]{22,}$/)
    assert.equal((await fetch(url)).status, 200)
    const guess = `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`
    assert.equal((await fetch(`${url.origin}/files/${guess}/a.txt`)).status, 404)
    assert.equal((await fetch(`${url.origin}/files/..%2Fchat.db/x`)).status, 404)
  })
})

describe('agent isolation', () => {
  test('an agent of account other sees and touches nothing of demo', async () => {
    const demoChat = await visitorChat()
    const otherChat = await visitorChat('other')
    const olga = await connectAgent(server.url, other.agentToken)
    assert.equal(olga.data.account.key, 'other')
    assert.ok(olga.data.chats.every((c) => c.id !== demoChat.chatId))
    const all = await request<{ chats: AgentChat[] }>(olga.socket, 'chats.list', { status: 'all' })
    assert.ok(all.chats.some((c) => c.id === otherChat.chatId))
    assert.ok(all.chats.every((c) => c.id !== demoChat.chatId))

    for (const [event, payload] of [
      ['chat.history', { chatId: demoChat.chatId }],
      ['chat.history', { chatId: demoChat.chatId, after: demoChat.first.id }],
      ['chat.history', { chatId: otherChat.chatId, after: demoChat.first.id }],
      ['chat.message', { chatId: demoChat.chatId, ...text('sneaky') }],
      ['chat.typing', { chatId: demoChat.chatId, typing: { is: true } }],
      ['chat.read', { chatId: demoChat.chatId }],
      ['chat.join', { chatId: demoChat.chatId }],
      ['chat.leave', { chatId: demoChat.chatId }],
      ['chat.close', { chatId: demoChat.chatId }],
      ['chat.upload_init', { chatId: demoChat.chatId }],
      ['chat.upload_finish', { chatId: demoChat.chatId, uploadToken: 'x' }],
    ] as const)
      await refused(request(olga.socket, event, payload), 'not_found', event)

    // Live events of demo never reach other's agent.
    const leak = noEvent(olga.socket, 'chat.message_received', 300)
    const alex = await connectAgent(server.url, server.agentToken)
    const alexHears = nextEvent(alex.socket, 'chat.message_received')
    await request(demoChat.socket, 'chat.message', text('private'))
    await alexHears
    await leak
  })
})

describe('origin allow-list', () => {
  test('allowed origins, our own origin and no Origin connect; foreign origins are refused', async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:9', server.url]) {
      const ok = await connectVisitor(server.url, {}, { origin })
      assert.ok(ok.data.visitor.id, origin)
    }
    await connectVisitor(server.url) // Node client: no Origin header
    // Not allowed by any account: refused at the handshake.
    for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'null'])
      await assert.rejects(openVisitorSocket(server.url, { origin }), origin)
  })

  test('an origin of another account passes the handshake but not that site’s visitor.connect', async () => {
    const socket = await openVisitorSocket(server.url, { origin: 'https://shop.example' })
    const err = await request(socket, 'visitor.connect', { id: null, key: 'demo' }).catch((e) => e)
    assert.ok(err instanceof AckError)
    assert.equal(err.code, 403)
    assert.equal(err.type, 'auth_error')
    assert.equal(err.message, 'Origin not allowed for this site')
    // Nothing works on that socket; its own site does.
    await refused(request(socket, 'chat.message', text('hi')), 'auth_error')
    const ok = await connectVisitor(
      server.url,
      { key: 'other' },
      { origin: 'https://shop.example' },
    )
    await request(ok.socket, 'chat.message', text('hi'))
    // The demo page of localhost cannot open a chat on other's site.
    const wrong = await openVisitorSocket(server.url, { origin: 'http://localhost:3000' })
    await refused(request(wrong, 'visitor.connect', { id: null, key: 'other' }), 'auth_error')
  })

  test('DEMO_ALLOWED_ORIGINS replaces the demo list', async () => {
    const custom = await startTestServer({ demoAllowedOrigins: ['*.example.org'] })
    try {
      await connectVisitor(custom.url, {}, { origin: 'https://www.example.org' })
      await assert.rejects(openVisitorSocket(custom.url, { origin: 'http://localhost:5173' }))
      await assert.rejects(openVisitorSocket(custom.url, { origin: 'https://example.org' }))
    } finally {
      await custom.close()
    }
  })
})
