/**
 * Every visitor row of docs/PROTOCOL.md against a real server, with raw socket.io-client
 * sockets (the SDK has its own suites in test/src).
 */
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, afterEach, before, describe, test } from 'node:test'
import type {
  AgentChat,
  AgentEvents,
  AuthenticateResult,
  ChatHistoryResult,
  ChatUploadInitResult,
  ConnectedData,
  Message,
} from '../../src/protocol.ts'
import {
  AckError,
  closeSockets,
  connectAgent,
  connectVisitor,
  nextEvent,
  noEvent,
  openVisitorSocket,
  request,
  startTestServer,
  type TestServer,
} from '../support/server.ts'

let server: TestServer

before(async () => {
  server = await startTestServer({ uploadMaxBytes: 4096 })
})
afterEach(closeSockets)
after(() => server.close())

const text = (t: string, clientId?: string) => ({
  content: { type: 'text', text: t },
  ...(clientId && { clientId }),
})

/** A visitor with an open chat (one message sent). */
async function visitorWithChat() {
  const tab = await connectVisitor(server.url)
  const first = await request<Message>(tab.socket, 'chat.message', text('hello'))
  return { ...tab, chatId: first.chatId, first }
}

async function rejects(promise: Promise<unknown>, expected: Partial<AckError['wire']>) {
  const err = await promise.then(
    () => assert.fail('expected an error ack'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof AckError, `expected AckError, got ${err}`)
  for (const [key, value] of Object.entries(expected))
    assert.equal(err.wire[key as keyof AckError['wire']], value, key)
}

describe('visitor.connect', () => {
  test('a new visitor gets ConnectedData with an unguessable id', async () => {
    const { data } = await connectVisitor(server.url)
    assert.equal(data.serverVersion, 1)
    assert.match(data.visitor.id, /^[A-Za-z0-9_-]{22,}$/)
    assert.equal(data.visitor.chatId, null)
    assert.equal(data.chat, null)
    assert.equal(data.browser, null)
    assert.equal(data.account.status, 'offline')
    assert.equal(data.account.agents.length, 1)
    assert.equal(data.account.agents[0]!.nickname, 'Alex')
    assert.deepEqual(data.uploads?.maxSize, 4096)
    assert.ok(data.uploads?.acceptedTypes.includes('image/png'))
  })

  test('the same id returns the same visitor and chat; an unknown id makes a new one', async () => {
    const { socket, data } = await connectVisitor(server.url, { name: 'Ann' })
    await request(socket, 'chat.message', text('hi'))
    const again = await connectVisitor(server.url, { id: data.visitor.id })
    assert.equal(again.data.visitor.id, data.visitor.id)
    assert.equal(again.data.visitor.name, 'Ann')
    assert.equal(again.data.chat?.messages.length, 1)
    const unknown = await connectVisitor(server.url, { id: 'no-such-visitor' })
    assert.notEqual(unknown.data.visitor.id, 'no-such-visitor')
    assert.equal(unknown.data.chat, null)
  })

  test('an unknown key is not_found 404', async () => {
    const socket = await openVisitorSocket(server.url)
    await rejects(request(socket, 'visitor.connect', { id: null, key: 'nope' }), {
      type: 'not_found',
      code: 404,
      event: 'visitor.connect',
    })
  })

  test('requests before visitor.connect are refused (ack error, or server.error without ack)', async () => {
    const socket = await openVisitorSocket(server.url)
    await rejects(request(socket, 'chat.message', text('too early')), {
      message: 'Connection not initialized',
      type: 'auth_error',
      code: 403,
      event: 'chat.message',
    })
    const error = nextEvent(socket, 'server.error')
    socket.emit('chat.read', null)
    assert.deepEqual(await error, {
      message: 'Connection not initialized',
      type: 'auth_error',
      code: 403,
      event: 'chat.read',
    })
  })
})

describe('visitor identity', () => {
  test('visitor.update persists and other tabs get visitor.updated', async () => {
    const tab1 = await connectVisitor(server.url)
    const tab2 = await connectVisitor(server.url, { id: tab1.data.visitor.id })
    const updated = nextEvent(tab2.socket, 'visitor.updated')
    const notMe = noEvent(tab1.socket, 'visitor.updated')
    tab1.socket.emit('visitor.update', { values: { name: 'Bob', variables: { plan: 'pro' } } })
    const event = await updated
    assert.equal(event.id, tab1.data.visitor.id)
    assert.deepEqual(event.changes, { name: 'Bob', variables: { plan: 'pro' } })
    await notMe
    const again = await connectVisitor(server.url, { id: tab1.data.visitor.id })
    assert.equal(again.data.visitor.name, 'Bob')
  })

  test('visitor.authenticate: a right hash verifies, no hash saves unverified, a wrong one is refused', async () => {
    const { socket } = await connectVisitor(server.url)
    const email = 'jane@example.com'
    const good = createHmac('sha256', server.accountSecret).update(email).digest('hex')
    await assert.rejects(
      request(socket, 'visitor.authenticate', {
        values: { email, name: 'Mallory', hash: '0'.repeat(64) },
      }),
      (err: AckError) => err.code === 403 && err.type === 'auth_error',
    )
    // The hash of another email does not verify this one either.
    const otherHash = createHmac('sha256', server.accountSecret)
      .update('x@example.com')
      .digest('hex')
    await assert.rejects(
      request(socket, 'visitor.authenticate', { values: { email, hash: otherHash } }),
      (err: AckError) => err.type === 'auth_error',
    )
    const unverified = await request<AuthenticateResult>(socket, 'visitor.authenticate', {
      values: { email, name: 'Jane' },
    })
    assert.equal(unverified.variables.authenticated, false)
    assert.equal(unverified.email, email)
    assert.equal(unverified.name, 'Jane', 'the refused request saved nothing')
    const ok = await request<AuthenticateResult>(socket, 'visitor.authenticate', {
      values: { email, hash: good },
    })
    assert.equal(ok.variables.authenticated, true)
    assert.equal(ok.name, 'Jane')
    // A client cannot grant itself the flag.
    const other = await connectVisitor(server.url, { variables: { authenticated: true } })
    assert.equal(other.data.visitor.variables.authenticated, undefined)
  })
})

describe('the visitor’s page', () => {
  const shop = { pageUrl: 'https://shop.example/', pageTitle: 'Shop' }

  test('visitor.connect stores the page and the referrer; agents see them on the chat', async () => {
    const { socket } = await connectVisitor(server.url, {
      ...shop,
      referer: 'https://search.example/?q=shop',
    })
    const first = await request<Message>(socket, 'chat.message', text('hi'))
    const agent = await connectAgent(server.url, server.agentToken)
    const chat = agent.data.chats.find((c) => c.id === first.chatId)
    assert.equal(chat?.visitor.page?.url, 'https://shop.example/')
    assert.equal(chat?.visitor.page?.title, 'Shop')
    assert.ok(chat?.visitor.page?.at)
    assert.equal(chat?.visitor.referer, 'https://search.example/?q=shop')
  })

  test('visitor.update with a new page: agents get chat.updated, other tabs no visitor.updated', async () => {
    const tab1 = await connectVisitor(server.url, shop)
    const first = await request<Message>(tab1.socket, 'chat.message', text('hi'))
    const tab2 = await connectVisitor(server.url, { id: tab1.data.visitor.id, ...shop })
    const agent = await connectAgent(server.url, server.agentToken)
    const before = agent.data.chats.find((c) => c.id === first.chatId)!.visitor.page!
    const updated = nextEvent<AgentEvents['chat.updated']>(agent.socket, 'chat.updated')
    const quiet = noEvent(tab2.socket, 'visitor.updated')
    tab1.socket.emit('visitor.update', {
      values: { pageUrl: 'https://shop.example/cart', pageTitle: 'Cart' },
    })
    const { chat } = await updated
    assert.equal(chat.id, first.chatId)
    assert.equal(chat.visitor.page?.url, 'https://shop.example/cart')
    assert.equal(chat.visitor.page?.title, 'Cart')
    assert.ok(chat.visitor.page!.at >= before.at)
    await quiet
    // The same page again changes nothing.
    const none = noEvent(agent.socket, 'chat.updated')
    tab1.socket.emit('visitor.update', {
      values: { pageUrl: 'https://shop.example/cart', pageTitle: 'Cart' },
    })
    await none
    const list = await request<{ chats: AgentChat[] }>(agent.socket, 'chats.list', {})
    assert.equal(list.chats.find((c) => c.id === first.chatId)?.visitor.page?.title, 'Cart')
  })

  test('a page that is not http(s), or too long, is refused by visitor.update, ignored by connect', async () => {
    const { socket, data } = await connectVisitor(server.url, {
      pageUrl: 'file:///home/me/page.html',
      pageTitle: 'Local',
    })
    assert.equal(data.visitor.id.length > 0, true)
    for (const pageUrl of ['javascript:alert(1)', 'file:///etc/passwd', 'not a url']) {
      await rejects(request(socket, 'visitor.update', { values: { pageUrl } }), {
        type: 'validation_error',
      })
    }
    for (const values of [
      { pageUrl: `https://shop.example/${'a'.repeat(2_000)}` },
      { pageUrl: 'https://shop.example/', pageTitle: 'x'.repeat(501) },
    ]) {
      await rejects(request(socket, 'visitor.update', { values }), { type: 'too_large' })
    }
    const first = await request<Message>(socket, 'chat.message', text('hi'))
    const agent = await connectAgent(server.url, server.agentToken)
    assert.equal(agent.data.chats.find((c) => c.id === first.chatId)?.visitor.page, null)
  })
})

describe('chat.message', () => {
  test('acks the Message; both tabs and the agent get chat.message_received with its id', async () => {
    const tab1 = await connectVisitor(server.url)
    const tab2 = await connectVisitor(server.url, { id: tab1.data.visitor.id })
    const agent = await connectAgent(server.url, server.agentToken)
    const received = [
      nextEvent(tab1.socket, 'chat.message_received'),
      nextEvent(tab2.socket, 'chat.message_received'),
      nextEvent(agent.socket, 'chat.message_received'),
    ]
    // The agent's one event carries its row of the chat too: no chat.updated beside it.
    const noUpdate = noEvent(agent.socket, 'chat.updated')
    const message = await request<Message>(tab1.socket, 'chat.message', text('Hello there'))
    assert.equal(message.type, 'message')
    assert.equal(message.subType, 'contact')
    assert.equal(message.content.text, 'Hello there')
    assert.equal(message.visitorId, tab1.data.visitor.id)
    for (const event of await Promise.all(received)) {
      assert.equal(event.message.id, message.id)
      assert.equal(event.chatId, message.chatId)
    }
    const { chat } = (await received[2]!) as AgentEvents['chat.message_received']
    assert.equal(chat.id, message.chatId)
    assert.equal(chat.unreadCount, 1)
    assert.equal(chat.lastMessage?.id, message.id)
    await noUpdate
  })

  test('a retry with the same clientId returns the stored message', async () => {
    const { socket } = await connectVisitor(server.url)
    const first = await request<Message>(socket, 'chat.message', text('once', 'c-1'))
    const retry = await request<Message>(socket, 'chat.message', text('once', 'c-1'))
    assert.deepEqual(retry, first)
    assert.equal(first.clientId, 'c-1')
    const history = await request<ChatHistoryResult>(socket, 'chat.history', {})
    assert.equal(history.messages.length, 1)
  })

  test('the agent reply reaches the visitor; typing goes both ways', async () => {
    const { socket, chatId } = await visitorWithChat()
    const agent = await connectAgent(server.url, server.agentToken)
    const visitorTyping = nextEvent(agent.socket, 'chat.visitor_typing', (d) => d.chatId === chatId)
    socket.emit('chat.typing', { typing: { is: true, text: 'wri' } })
    assert.deepEqual((await visitorTyping).typing, { is: true, text: 'wri' })

    const agentTyping = nextEvent(socket, 'chat.agent_typing')
    await request(agent.socket, 'chat.typing', { chatId, typing: { is: true, text: null } })
    assert.deepEqual(await agentTyping, { chatId, typing: { is: true, text: null } })

    const joined = nextEvent(socket, 'chat.agent_joined')
    const reply = nextEvent(socket, 'chat.message_received', (d) => d.message.subType === 'agent')
    const sent = await request<Message>(agent.socket, 'chat.message', {
      chatId,
      content: { type: 'text', text: 'Hi, how can I help?' },
    })
    assert.equal((await joined).message.content.type, 'agent_join')
    assert.equal((await reply).message.id, sent.id)
  })
})

describe('chat.read', () => {
  test('visitor read: chat.contact_read to every tab and the agents; unread count resets', async () => {
    const { socket, data, chatId } = await visitorWithChat()
    const tab2 = await connectVisitor(server.url, { id: data.visitor.id })
    const agent = await connectAgent(server.url, server.agentToken)
    await request(agent.socket, 'chat.message', {
      chatId,
      content: { type: 'text', text: 'a reply' },
    })
    const before = await connectVisitor(server.url, { id: data.visitor.id })
    assert.equal(before.data.chat?.unreadInfo.count, 1)

    const events = [
      nextEvent(socket, 'chat.contact_read'),
      nextEvent(tab2.socket, 'chat.contact_read'),
      nextEvent(agent.socket, 'chat.contact_read'),
    ]
    socket.emit('chat.read', null) // as the official client: data null, no ack
    for (const event of await Promise.all(events)) {
      assert.equal(event.chatId, chatId)
      assert.equal(event.byId, data.visitor.id)
      assert.ok(Date.parse(event.lastReadAt))
    }
    const afterRead = await connectVisitor(server.url, { id: data.visitor.id })
    assert.equal(afterRead.data.chat?.unreadInfo.count, 0)
    assert.equal(afterRead.data.chat?.unreadInfo.lastReadAt, (await events[0]!).lastReadAt)
  })

  test('agent read: the visitor gets chat.agent_read', async () => {
    const { socket, chatId } = await visitorWithChat()
    const agent = await connectAgent(server.url, server.agentToken)
    const read = nextEvent(socket, 'chat.agent_read')
    await request(agent.socket, 'chat.read', { chatId })
    const event = await read
    assert.equal(event.chatId, chatId)
    assert.equal(event.byId, agent.data.agent.id)
  })
})

describe('uploads', () => {
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  )
  const post = (url: string, bytes: Uint8Array, name: string, type: string) => {
    const form = new FormData()
    form.append('file', new Blob([Uint8Array.from(bytes)], { type }), name)
    return fetch(url, { method: 'POST', body: form, headers: { Origin: 'http://localhost:5173' } })
  }
  const uploadFiles = () =>
    readdirSync(join(server.dataDir, 'uploads')).filter((f) => !f.startsWith('.'))

  test('init, POST, finish, download byte-identical as an inline image', async () => {
    const { socket, chatId } = await visitorWithChat()
    const agent = await connectAgent(server.url, server.agentToken)
    const init = await request<ChatUploadInitResult>(socket, 'chat.upload_init', null)
    assert.ok(init.url.startsWith(server.url))
    const res = await post(init.url, PNG, 'dot.png', 'image/png')
    assert.equal(res.status, 201)
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:5173')

    const received = nextEvent(agent.socket, 'chat.message_received', (d) => d.chatId === chatId)
    const message = await request<Message>(socket, 'chat.upload_finish', {
      uploadToken: init.token,
    })
    assert.equal(message.content.type, 'upload')
    assert.equal((await received).message.id, message.id)
    const [attachment] = message.attachments
    assert.ok(attachment)
    assert.deepEqual(
      { type: attachment.type, fileType: attachment.fileType, size: attachment.size },
      { type: 'image', fileType: 'image/png', size: PNG.length },
    )
    assert.deepEqual([attachment.width, attachment.height], [1, 1])

    const file = await fetch(attachment.url)
    assert.equal(file.status, 200)
    assert.equal(file.headers.get('content-type'), 'image/png')
    assert.equal(file.headers.get('x-content-type-options'), 'nosniff')
    assert.match(file.headers.get('content-disposition') ?? '', /^inline/)
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), PNG)

    // The token is single-use, for POST and for finish.
    assert.equal((await post(init.url, PNG, 'again.png', 'image/png')).status, 409)
    await rejects(request(socket, 'chat.upload_finish', { uploadToken: init.token }), {
      type: 'conflict',
    })
  })

  test('a text file is served as an attachment with its declared text type', async () => {
    const { socket } = await visitorWithChat()
    const init = await request<ChatUploadInitResult>(socket, 'chat.upload_init', null)
    const body = Buffer.from('hello,world\n1,2\n')
    assert.equal((await post(init.url, body, 'data.csv', 'text/csv')).status, 201)
    const message = await request<Message>(socket, 'chat.upload_finish', {
      uploadToken: init.token,
    })
    const file = await fetch(message.attachments[0]!.url)
    assert.equal(file.headers.get('content-type'), 'text/csv')
    assert.match(file.headers.get('content-disposition') ?? '', /^attachment; filename="data.csv"/)
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), body)
  })

  test('oversize → 413 and nothing on disk; refused type → 415', async () => {
    const { socket } = await visitorWithChat()
    const filesBefore = uploadFiles()
    const big = await request<ChatUploadInitResult>(socket, 'chat.upload_init', null)
    const res = await post(big.url, Buffer.alloc(5000, 65), 'big.txt', 'text/plain')
    assert.equal(res.status, 413)
    // HTTP errors have the shape of ack errors.
    assert.deepEqual(await res.json(), {
      message: 'File too large (max 4096 bytes)',
      code: 413,
      type: 'too_large',
    })
    assert.deepEqual(readdirSync(join(server.dataDir, 'uploads')), filesBefore)
    await rejects(request(socket, 'chat.upload_finish', { uploadToken: big.token }), {
      type: 'conflict',
    })

    const exe = await request<ChatUploadInitResult>(socket, 'chat.upload_init', null)
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(64)])
    assert.equal((await post(exe.url, elf, 'cat.png', 'image/png')).status, 415)
    const html = await request<ChatUploadInitResult>(socket, 'chat.upload_init', null)
    const page = Buffer.from('<html><script>alert(1)</script></html>')
    assert.equal((await post(html.url, page, 'x.html', 'text/html')).status, 415)
    assert.deepEqual(readdirSync(join(server.dataDir, 'uploads')), filesBefore)
  })

  test('an unknown token is 404; another visitor cannot finish my upload', async () => {
    const res = await fetch(`${server.url}/upload/nope`, { method: 'POST', body: new FormData() })
    assert.equal(res.status, 404)
    const mine = await visitorWithChat()
    const init = await request<ChatUploadInitResult>(mine.socket, 'chat.upload_init', null)
    assert.equal((await post(init.url, PNG, 'a.png', 'image/png')).status, 201)
    const other = await connectVisitor(server.url)
    await rejects(request(other.socket, 'chat.upload_finish', { uploadToken: init.token }), {
      type: 'not_found',
    })
  })
})

describe('closing, rating, transcript', () => {
  test('chat.close broadcasts chat.closed; the next message opens a new chat', async () => {
    const { socket, chatId, data } = await visitorWithChat()
    const agent = await connectAgent(server.url, server.agentToken)
    const closed = [nextEvent(socket, 'chat.closed'), nextEvent(agent.socket, 'chat.closed')]
    await request(socket, 'chat.close', null)
    for (const event of await Promise.all(closed)) {
      assert.equal(event.chatId, chatId)
      assert.equal(event.closeType, 'visitor_close')
      assert.equal(event.message.content.type, 'chat_close')
    }
    const again = await connectVisitor(server.url, { id: data.visitor.id })
    assert.equal(again.data.chat?.status, 'closed')
    const next = await request<Message>(socket, 'chat.message', text('one more thing'))
    assert.notEqual(next.chatId, chatId)
  })

  test('rate_init gives a rate_form; chat.rate stores it and broadcasts chat.rated', async () => {
    const { socket, chatId, data } = await visitorWithChat()
    const agent = await connectAgent(server.url, server.agentToken)
    const { message } = await request<{ message: Message }>(socket, 'chat.rate_init', null)
    assert.equal(message.content.type, 'rate_form')
    assert.equal(message.subType, 'system')
    const rated = [nextEvent(socket, 'chat.rated'), nextEvent(agent.socket, 'chat.rated')]
    await request(socket, 'chat.rate', { messageId: message.id, value: 5, text: 'Great' })
    for (const event of await Promise.all(rated)) {
      assert.equal(event.chatId, chatId)
      assert.deepEqual(event.rating, { value: 5, text: 'Great' })
      assert.equal(event.message.id, message.id)
    }
    const again = await connectVisitor(server.url, { id: data.visitor.id })
    assert.deepEqual(again.data.chat?.rating, { value: 5, text: 'Great' })
    await rejects(request(socket, 'chat.rate', { messageId: 'nope', value: 1 }), {
      type: 'not_found',
    })
  })

  test('chat.transcript is recorded; a bad email is a validation_error', async () => {
    const { socket, chatId } = await visitorWithChat()
    await request(socket, 'chat.transcript', { email: 'me@example.com', lang: 'en' })
    const requests = await server.server.storage.listTranscriptRequests(chatId)
    assert.equal(requests.length, 1)
    assert.equal(requests[0]!.email, 'me@example.com')
    await rejects(request(socket, 'chat.transcript', { email: 'not an email', lang: 'en' }), {
      type: 'validation_error',
      code: 400,
    })
  })
})

describe('chat.history', () => {
  test('pages by message id cursors in the server order, even within one millisecond', async () => {
    const { socket, data } = await connectVisitor(server.url)
    const sent = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        request<Message>(socket, 'chat.message', text(`m${i}`), 5000),
      ),
    )
    const texts = sent.map((m) => m.content.text)
    assert.deepEqual(
      texts,
      Array.from({ length: 120 }, (_, i) => `m${i}`),
    )
    const connected = (await connectVisitor(server.url, { id: data.visitor.id }))
      .data as ConnectedData
    const newest = connected.chat!.messages
    assert.equal(newest.length, 50)
    assert.deepEqual(
      newest.map((m) => m.id),
      sent.slice(70).map((m) => m.id),
    )
    const page = await request<ChatHistoryResult>(socket, 'chat.history', {
      before: newest[0]!.id,
      limit: 60,
    })
    assert.deepEqual(
      page.messages.map((m) => m.id),
      sent.slice(10, 70).map((m) => m.id),
    )
    assert.equal(page.hasMore, true)
    const last = await request<ChatHistoryResult>(socket, 'chat.history', {
      before: page.messages[0]!.id,
      limit: 60,
    })
    assert.equal(last.messages.length, 10)
    assert.equal(last.hasMore, false)
    const catchUp = await request<ChatHistoryResult>(socket, 'chat.history', {
      after: sent[100]!.id,
    })
    assert.deepEqual(
      catchUp.messages.map((m) => m.id),
      sent.slice(101).map((m) => m.id),
    )
    assert.equal(catchUp.hasMore, false)
    await rejects(request(socket, 'chat.history', { before: 'nope' }), { type: 'not_found' })
  })
})

describe('account status', () => {
  test('an agent going online/offline sends account.updated and agent.updated', async () => {
    const { socket } = await connectVisitor(server.url)
    const agent = await connectAgent(server.url, server.agentToken)
    const online = nextEvent(socket, 'account.updated')
    const agentUpdated = nextEvent(socket, 'agent.updated')
    await request(agent.socket, 'agent.status', { status: 'online' })
    assert.deepEqual(await online, { status: 'online' })
    assert.deepEqual(await agentUpdated, {
      id: agent.data.agent.id,
      changes: { status: 'online' },
    })
    const connected = await connectVisitor(server.url)
    assert.equal(connected.data.account.status, 'online')
    const offline = nextEvent(socket, 'account.updated')
    await request(agent.socket, 'agent.status', { status: 'offline' })
    assert.deepEqual(await offline, { status: 'offline' })
  })
})
