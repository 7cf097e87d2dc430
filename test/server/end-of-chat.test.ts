/** Offline messages, transcripts by mail (outbox and injected transports), and ratings. */
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import type { Mail, MailTransport } from '../../server/mail/transport.ts'
import type { AgentChat, ChatUploadInitResult, Message } from '../../src/protocol.ts'
import {
  AckError,
  connectAgent,
  connectVisitor,
  nextEvent,
  request,
  sleep,
  startTestServer,
  useTestServer,
} from '../support/server.ts'

const server = useTestServer()

async function rejects(promise: Promise<unknown>, expected: Partial<AckError['wire']>) {
  const err = await promise.then(
    () => assert.fail('expected an error ack'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof AckError, `expected AckError, got ${err}`)
  for (const [key, value] of Object.entries(expected))
    assert.equal(err.wire[key as keyof AckError['wire']], value, key)
}

const text = (t: string, extra: Record<string, unknown> = {}) => ({
  content: { type: 'text', text: t },
  ...extra,
})

/** Polls until `check` returns a value (the mail is sent after the ack). */
async function until<T>(check: () => T | undefined, ms = 1000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() > end) assert.fail(`nothing within ${ms} ms`)
    await sleep(20)
  }
}

/** Quoted-printable soft breaks and escapes undone, so a test can search the raw mail. */
const unQuote = (raw: string) =>
  raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))

describe('offline messages', () => {
  test('isOffline is stored on the message and flags the chat for agents', async () => {
    const agent = await connectAgent(server.url, server.agentToken)
    assert.equal(agent.data.account.status, 'offline')
    const { socket } = await connectVisitor(server.url)
    const updated = nextEvent<{ chat: AgentChat }>(
      agent.socket,
      'chat.message_received',
      (d) => d.chat.hasOfflineMessage,
    )
    const message = await request<Message>(
      socket,
      'chat.message',
      text('Please call me back', { isOffline: true }),
    )
    assert.equal(message.isOffline, true)
    assert.equal((await updated).chat.id, message.chatId)
    const stored = await server.server.storage.getMessage(message.id)
    assert.equal(stored?.isOffline, true)

    const { chats } = await request<{ chats: AgentChat[] }>(agent.socket, 'chats.list', {})
    assert.equal(chats.find((c) => c.id === message.chatId)?.hasOfflineMessage, true)
  })

  test('an ordinary chat is not flagged; isOffline must be a boolean', async () => {
    const agent = await connectAgent(server.url, server.agentToken)
    const { socket } = await connectVisitor(server.url)
    const message = await request<Message>(socket, 'chat.message', text('hi'))
    assert.equal(message.isOffline, undefined)
    const { chats } = await request<{ chats: AgentChat[] }>(agent.socket, 'chats.list', {})
    assert.equal(chats.find((c) => c.id === message.chatId)?.hasOfflineMessage, false)
    await rejects(request(socket, 'chat.message', text('x', { isOffline: 'yes' })), {
      type: 'validation_error',
    })
  })
})

describe('transcripts', () => {
  const outbox = () => join(server.dataDir, 'outbox')
  const emls = () =>
    existsSync(outbox())
      ? readdirSync(outbox()).filter((f) => !f.startsWith('.') && f.endsWith('.eml'))
      : []

  test('chat.transcript writes an .eml with every message to DATA_DIR/outbox', async () => {
    const { socket } = await connectVisitor(server.url, { name: 'Vera' })
    await request(socket, 'chat.message', text('Where is my order #42?'))
    await request(socket, 'chat.message', text('<script>alert(1)</script> & more'))
    const init = await request<ChatUploadInitResult>(socket, 'chat.upload_init', null)
    const form = new FormData()
    form.append('file', new Blob(['receipt\n'], { type: 'text/plain' }), 'receipt.txt')
    assert.equal((await fetch(init.url, { method: 'POST', body: form })).status, 201)
    const upload = await request<Message>(socket, 'chat.upload_finish', {
      uploadToken: init.token,
    })
    const agent = await connectAgent(server.url, server.agentToken)
    await request(agent.socket, 'chat.message', {
      chatId: upload.chatId,
      content: { type: 'text', text: 'It ships today.' },
    })

    const before = emls()
    await request(socket, 'chat.transcript', { email: 'vera@example.com', lang: 'en' })
    const name = await until(() => emls().find((f) => !before.includes(f)))
    const raw = unQuote(readFileSync(join(outbox(), name), 'utf8'))
    assert.match(raw, /^To: vera@example\.com/m)
    assert.match(raw, /^Subject: Your chat with Demo Shop/m)
    assert.match(raw, /^From: Demo Shop <no-reply@localhost>/m)
    assert.match(raw, /Content-Type: text\/plain/)
    assert.match(raw, /Content-Type: text\/html/)
    for (const line of ['Vera: Where is my order #42?', 'Alex: It ships today.', 'Alex joined'])
      assert.ok(raw.includes(line), line)
    assert.ok(raw.includes('receipt.txt'))
    assert.ok(raw.includes(upload.attachments[0]!.url))
    // Plain text as typed; in HTML only escaped.
    assert.ok(raw.includes('<script>alert(1)</script> & more'))
    assert.ok(raw.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more'))
    const html = raw.slice(raw.indexOf('Content-Type: text/html'))
    assert.ok(!html.includes('<script>'))
    // No temporary files are left.
    assert.deepEqual(
      readdirSync(outbox()).filter((f) => f.startsWith('.')),
      [],
    )
  })

  test('a bad email is a validation_error and nothing is written', async () => {
    const { socket } = await connectVisitor(server.url)
    await request(socket, 'chat.message', text('hello'))
    const before = emls()
    for (const email of ['not an email', 'a@b', '', 'x'.repeat(300)])
      await rejects(request(socket, 'chat.transcript', { email, lang: 'en' }), {
        type: 'validation_error',
      })
    await sleep(200)
    assert.deepEqual(emls(), before)
  })

  test('an injected transport gets the mail; a failing one only logs', async () => {
    const sent: Mail[] = []
    let fail = false
    const mailer: MailTransport = {
      async send(mail) {
        if (fail) throw new Error('relay down')
        sent.push(mail)
      },
    }
    const own = await startTestServer({ mailer })
    try {
      const { socket } = await connectVisitor(own.url)
      await request(socket, 'chat.message', text('hi there'))
      await request(socket, 'chat.transcript', { email: 'me@example.com', lang: 'de' })
      const mail = await until(() => sent[0])
      assert.equal(mail.to, 'me@example.com')
      assert.equal(mail.subject, 'Your chat with Demo Shop')
      assert.match(mail.text, /Visitor: hi there/)
      assert.match(mail.html, /hi there/)

      fail = true
      await request(socket, 'chat.transcript', { email: 'me@example.com', lang: 'xx-invalid!' })
      await sleep(100)
      // Still serving.
      const message = await request<Message>(socket, 'chat.message', text('still here'))
      assert.equal(message.content.text, 'still here')
      assert.equal(existsSync(join(own.dataDir, 'outbox')), false)
    } finally {
      await own.close()
    }
  })
})

describe('ratings', () => {
  test('after the agent closes: rate_init, then a rating with a comment is kept', async () => {
    const { socket, data } = await connectVisitor(server.url)
    const first = await request<Message>(socket, 'chat.message', text('hi'))
    const agent = await connectAgent(server.url, server.agentToken)
    await request(agent.socket, 'chat.close', { chatId: first.chatId })

    const { message: form } = await request<{ message: Message }>(socket, 'chat.rate_init', null)
    assert.equal(form.chatId, first.chatId)
    assert.equal(form.content.type, 'rate_form')
    // A second tab asking again gets the same, still unanswered form.
    const again = await request<{ message: Message }>(socket, 'chat.rate_init', null)
    assert.equal(again.message.id, form.id)

    const rated = nextEvent(agent.socket, 'chat.rated')
    await request(socket, 'chat.rate', { messageId: form.id, value: 4, text: '  Quick, thanks ' })
    assert.deepEqual((await rated).rating, { value: 4, text: 'Quick, thanks' })
    const { chats } = await request<{ chats: AgentChat[] }>(agent.socket, 'chats.list', {
      status: 'closed',
    })
    assert.deepEqual(chats.find((c) => c.id === first.chatId)?.rating, {
      value: 4,
      text: 'Quick, thanks',
    })
    const stored = await server.server.storage.getMessage(form.id)
    assert.deepEqual(stored?.content.data, { value: 4, text: 'Quick, thanks' })

    // Still rateable after the visitor moved on to a new chat.
    await request(socket, 'chat.message', text('new question'))
    await request(socket, 'chat.rate', { messageId: form.id, value: 5 })
    const chat = await server.server.storage.getChat(first.chatId)
    assert.deepEqual(chat?.rating, { value: 5, text: 'Quick, thanks' })
    assert.equal(data.visitor.id, chat?.visitorId)
  })

  test('after the visitor closes, rate_init works too', async () => {
    const { socket } = await connectVisitor(server.url)
    const first = await request<Message>(socket, 'chat.message', text('bye'))
    await request(socket, 'chat.close', null)
    const { message } = await request<{ message: Message }>(socket, 'chat.rate_init', null)
    assert.equal(message.chatId, first.chatId)
  })

  test('out-of-range values, long comments and other visitors’ forms are refused', async () => {
    const { socket } = await connectVisitor(server.url)
    await request(socket, 'chat.message', text('hi'))
    const { message: form } = await request<{ message: Message }>(socket, 'chat.rate_init', null)
    for (const value of [0, 6, 2.5, '5'])
      await rejects(request(socket, 'chat.rate', { messageId: form.id, value }), {
        type: 'validation_error',
      })
    await rejects(
      request(socket, 'chat.rate', { messageId: form.id, value: 3, text: 'x'.repeat(1001) }),
      { type: 'too_large', code: 413 },
    )
    const stranger = await connectVisitor(server.url)
    await request(stranger.socket, 'chat.message', text('me too'))
    await rejects(request(stranger.socket, 'chat.rate', { messageId: form.id, value: 1 }), {
      type: 'not_found',
    })
    const fresh = await connectVisitor(server.url)
    await rejects(request(fresh.socket, 'chat.rate_init', null), { type: 'not_found' })
    assert.equal((await server.server.storage.getMessage(form.id))?.content.data.value, null)
  })
})
