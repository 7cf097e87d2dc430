/**
 * The VisitorClient against the real server (test/support/server.ts): handshake, buffering,
 * timeouts and every method round-trip, with a raw agent socket for the other side.
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import type { ConnectionState, Message, SocketError } from '../../src/index.ts'
import { startTestServer } from '../support/server.ts'
import { closeAll, next, sleep, TestAgent, until, visitor } from './helpers.ts'

type TestServer = Awaited<ReturnType<typeof startTestServer>>

let server: TestServer

before(async () => {
  server = await startTestServer()
})
afterEach(closeAll)
after(async () => {
  await closeAll()
  await server.close()
})

const text = (text: string) => ({ content: { type: 'text' as const, text } })

describe('handshake', () => {
  test('connect resolves with ConnectedData and fires initialized', async () => {
    const client = visitor(server.url)
    const states: ConnectionState[] = []
    client.on('connection.state_changed', (state) => states.push(state))
    const initialized = next(client, 'initialized')
    const data = await client.connect()
    const [event] = await initialized
    assert.equal(event, data)
    assert.equal(typeof data.serverVersion, 'number')
    assert.equal(typeof data.visitor.id, 'string')
    assert.ok(['online', 'offline'].includes(data.account.status))
    assert.ok(Array.isArray(data.account.agents))
    assert.equal(data.chat, null)
    assert.deepEqual(states, ['connecting', 'initialized'])
    assert.equal(client.readyState, 'initialized')
    assert.ok(client.isConnected())
    assert.ok(client.isInitialized())
    assert.equal(client.getVisitorId(), data.visitor.id)
    assert.equal(client.getConnectedData(), data)
    assert.equal(client.getAccountStatus(), data.account.status)
    assert.equal(await client.connect(), data, 'already initialized: resolves at once')
  })

  test('an unknown key rejects with SocketError(not_found) and does not loop', async () => {
    const client = visitor(server.url, { key: 'no-such-key' })
    let connects = 0
    client.on('connect', () => connects++)
    const error = (await client.connect().then(
      () => assert.fail('should not connect'),
      (error: unknown) => error,
    )) as SocketError
    assert.equal(error.name, 'SocketError')
    assert.equal(error.type, 'not_found')
    assert.equal(error.code, 404)
    assert.equal(error.event, 'visitor.connect')
    assert.equal(client.readyState, 'disconnected')
    await sleep(300) // several reconnect delays
    assert.equal(connects, 1)
    assert.equal(client.readyState, 'disconnected')
    assert.equal(client.getConnection().active, false)
  })

  test('a returning visitor id resumes the same visitor', async () => {
    const first = visitor(server.url)
    const { visitor: v } = await first.connect()
    await first.chatMessage(text('remember me'))
    await first.disconnect()
    const again = visitor(server.url, { id: v.id })
    const data = await again.connect()
    assert.equal(data.visitor.id, v.id)
    assert.ok(data.chat?.messages.some((m) => m.content.text === 'remember me'))
  })
})

describe('buffering and timeouts', () => {
  test('sends made before initialization are flushed in order after initialized', async () => {
    const client = visitor(server.url)
    const order: string[] = []
    client.on('initialized', () => order.push('initialized'))
    const sent = ['one', 'two', 'three'].map((t) =>
      client.chatMessage(text(t)).then((message) => {
        order.push(t)
        return message
      }),
    )
    client.chatTyping(true, 'fo')
    client.chatRead()
    assert.equal(client.readyState, 'idle')
    await client.connect()
    const messages = await Promise.all(sent)
    assert.deepEqual(order, ['initialized', 'one', 'two', 'three'])
    const { messages: stored } = await client.chatHistory({ limit: 10 })
    assert.deepEqual(
      stored.filter((m) => m.subType === 'contact').map((m) => m.id),
      messages.map((m) => m.id),
    )
  })

  test('requestTimeout counts from the actual send, not from the call', async () => {
    const client = visitor(server.url, {}, { requestTimeout: 300 })
    const history = client.chatHistory({ limit: 1 }) // buffered: no clock yet
    await sleep(500)
    await client.connect()
    assert.deepEqual((await history).messages, [])
  })

  test('an unanswered request rejects with SocketError(timeout, 408)', async () => {
    const client = visitor(server.url, {}, { requestTimeout: 200 })
    await client.connect()
    const socket = client.getConnection()
    const emit = socket.emit.bind(socket)
    // Drop the packet on its way out, so the server never answers.
    socket.emit = ((event: string, ...args: unknown[]) =>
      event === 'chat.rate_init' ? socket : emit(event, ...args)) as typeof socket.emit
    const started = Date.now()
    await assert.rejects(client.chatRateInit(), {
      name: 'SocketError',
      type: 'timeout',
      code: 408,
      event: 'chat.rate_init',
    })
    assert.ok(Date.now() - started >= 190)
  })
})

describe('chat round-trips', () => {
  test('chatMessage resolves the stored Message and chat.message_received repeats it', async () => {
    const client = visitor(server.url)
    await client.connect()
    const received = next(
      client,
      'chat.message_received',
      (d) => d.message.content.text === 'Hello',
    )
    const message = await client.chatMessage({ ...text('Hello'), clientId: 'client-id-1' })
    const [event] = await received
    assert.equal(event.message.id, message.id)
    assert.equal(event.chatId, message.chatId)
    assert.equal(message.subType, 'contact')
    assert.equal(message.content.type, 'text')
    assert.equal(message.visitorId, client.getVisitorId())
    assert.equal(client.getVisitorIdentity()?.chatId, message.chatId)
    const retry = await client.chatMessage({ ...text('Hello'), clientId: 'client-id-1' })
    assert.equal(retry.id, message.id, 'a retry with the same clientId is not stored twice')
  })

  test("the server echoes clientId on the visitor's own Message (protocol extension)", async () => {
    const client = visitor(server.url)
    await client.connect()
    const message = await client.chatMessage({ ...text('echo'), clientId: 'client-id-2' })
    assert.equal(message.clientId, 'client-id-2')
  })

  test('typing, read and messages both ways with an agent', async () => {
    const client = visitor(server.url)
    await client.connect()
    const first = await client.chatMessage(text('I need help'))
    const chatId = first.chatId
    const agent = new TestAgent(server.url, server.agentToken)
    await agent.connect()

    const visitorTyping = agent.next('chat.visitor_typing', (d) => d.chatId === chatId)
    client.chatTyping(true, 'wai')
    const typing = await visitorTyping
    assert.equal(typing.typing.is, true)
    assert.equal(typing.visitorId, client.getVisitorId())

    const agentTyping = next(client, 'chat.agent_typing')
    await agent.request('chat.typing', { chatId, typing: { is: true, text: null } })
    assert.equal((await agentTyping)[0].typing.is, true)

    const joined = next(client, 'chat.agent_joined')
    await agent.request('chat.join', { chatId })
    const [join] = await joined
    assert.equal(join.agent.id, agent.data?.agent.id)
    assert.deepEqual(
      client.getAssignedAgents().map((a) => a.id),
      [agent.data?.agent.id],
    )

    const fromAgent = next(client, 'chat.message_received', (d) => d.message.subType === 'agent')
    const sent = await agent.request('chat.message', {
      chatId,
      content: { type: 'text', text: 'Hi!' },
    })
    assert.equal((await fromAgent)[0].message.id, sent.id)

    const contactReadByAgent = agent.next('chat.contact_read', (d) => d.chatId === chatId)
    const contactReadByMe = next(client, 'chat.contact_read')
    client.chatRead()
    assert.equal((await contactReadByAgent).chatId, chatId)
    assert.equal((await contactReadByMe)[0].chatId, chatId)

    const agentRead = next(client, 'chat.agent_read')
    await agent.request('chat.read', { chatId })
    const [read] = await agentRead
    assert.equal(read.chatId, chatId)
    assert.equal(typeof read.lastReadAt, 'string')
  })

  test('rate init, rate, transcript and close', async () => {
    const client = visitor(server.url)
    await client.connect()
    const { chatId } = await client.chatMessage(text('rate me'))
    const { message: form } = await client.chatRateInit()
    assert.equal(form.content.type, 'rate_form')
    const rated = next(client, 'chat.rated')
    await client.chatRate({ messageId: form.id, value: 5, text: 'great' })
    const [rating] = await rated
    assert.equal(rating.chatId, chatId)
    assert.equal(rating.rating.value, 5)
    await client.chatTranscript('ada@example.com', 'en')
    const closed = next(client, 'chat.closed')
    await client.chatClose()
    assert.equal((await closed)[0].chatId, chatId)
  })

  test('chatHistory pages backwards with before and forwards with after', async () => {
    const client = visitor(server.url)
    await client.connect()
    const sent: Message[] = []
    for (let i = 0; i < 5; i++) sent.push(await client.chatMessage(text(`m${i}`)))
    const ids = sent.map((m) => m.id)

    const newest = await client.chatHistory({ limit: 2 })
    assert.deepEqual(
      newest.messages.map((m) => m.id),
      ids.slice(3),
    )
    assert.equal(newest.hasMore, true)
    const older = await client.chatHistory({ before: ids[3], limit: 2 })
    assert.deepEqual(
      older.messages.map((m) => m.id),
      ids.slice(1, 3),
    )
    const oldest = await client.chatHistory({ before: ids[1], limit: 2 })
    assert.deepEqual(
      oldest.messages.map((m) => m.id),
      ids.slice(0, 1),
    )
    assert.equal(oldest.hasMore, false)
    const newer = await client.chatHistory({ after: ids[2], limit: 10 })
    assert.deepEqual(
      newer.messages.map((m) => m.id),
      ids.slice(3),
    )
  })
})

describe('identity and account', () => {
  test('updateVisitorIdentity merges locally and another tab gets visitor.updated', async () => {
    const tab1 = visitor(server.url)
    const { visitor: v } = await tab1.connect()
    const tab2 = visitor(server.url, { id: v.id })
    await tab2.connect()
    const updated = next(tab2, 'visitor.updated', (changes) => changes.name === 'Ada')
    tab1.updateVisitorIdentity({ name: 'Ada', email: 'ada@example.com' })
    assert.equal(tab1.getVisitorIdentity()?.name, 'Ada')
    const [changes] = await updated
    assert.equal(changes.name, 'Ada')
    assert.equal(tab2.getVisitorIdentity()?.name, 'Ada')
    await tab1.disconnect()
    const tab3 = visitor(server.url, { id: v.id })
    const data = await tab3.connect()
    assert.equal(data.visitor.name, 'Ada')
    assert.equal(data.visitor.email, 'ada@example.com')
  })

  test('account.status_updated follows the agent going online and offline', async () => {
    const client = visitor(server.url)
    await client.connect()
    const agent = new TestAgent(server.url, server.agentToken)
    await agent.connect()
    await agent.request('agent.status', { status: 'offline' })
    await until(() => client.getAccountStatus() === 'offline', 5000, 'offline')

    const online = next(client, 'account.status_updated', (status) => status === 'online')
    const updated = next(client, 'account.updated', (data) => data.status === 'online')
    await agent.request('agent.status', { status: 'online' })
    await online
    await updated
    assert.equal(client.getAccountStatus(), 'online')

    const offline = next(client, 'account.status_updated', (status) => status === 'offline')
    await agent.request('agent.status', { status: 'offline' })
    await offline
    assert.equal(client.getAccountStatus(), 'offline')
  })

  test('agent.updated is merged into getAgents()', async () => {
    const client = visitor(server.url)
    await client.connect()
    const agent = new TestAgent(server.url, server.agentToken)
    const { agent: me } = await agent.connect()
    await agent.request('agent.status', { status: 'offline' })
    await until(() => client.getAgent(me.id)?.status === 'offline', 5000, 'agent offline')
    const updated = next(client, 'agent.updated', (d) => d.id === me.id)
    await agent.request('agent.status', { status: 'online' })
    const [data] = await updated
    assert.equal(data.changes.status, 'online')
    assert.equal(client.getAgent(me.id)?.status, 'online')
  })

  test('server.error arrives as an error event carrying a SocketError', async () => {
    const client = visitor(server.url)
    await client.connect()
    const error = next(client, 'error')
    server.server.io.of('/').emit('server.error', {
      message: 'Connection not initialized',
      code: 403,
      type: 'auth_error',
      event: 'chat.read',
    })
    const [socketError] = await error
    assert.equal(socketError.name, 'SocketError')
    assert.equal(socketError.code, 403)
    assert.equal(socketError.type, 'auth_error')
    assert.equal(socketError.event, 'chat.read')
  })
})

describe('server-side disconnect', () => {
  test('reconnects after io server disconnect and fires initialized again', async () => {
    const client = visitor(server.url)
    const first = await client.connect()
    const states: ConnectionState[] = []
    client.on('connection.state_changed', (state) => states.push(state))
    const reasons: string[] = []
    client.on('disconnect', (reason) => reasons.push(reason))
    const again = next(client, 'initialized')
    server.server.io.of('/').disconnectSockets()
    const [data] = await again
    assert.deepEqual(reasons, ['io server disconnect'])
    assert.deepEqual(states, ['reconnecting', 'initialized'])
    assert.equal(data.visitor.id, first.visitor.id)
    const message = await client.chatMessage(text('still here'))
    assert.equal(message.visitorId, first.visitor.id)
  })

  test('an unanswered chat.message is sent again after the reconnect; others reject', async () => {
    const client = visitor(server.url)
    await client.connect()
    const socket = client.getConnection()
    const emit = socket.emit.bind(socket)
    let dropping = true
    // Lose the first packets on the way out, as a dying connection would.
    socket.emit = ((event: string, ...args: unknown[]) =>
      dropping && event !== 'visitor.connect' ? socket : emit(event, ...args)) as typeof socket.emit
    const message = client.chatMessage(text('lost once'))
    const rateInit = client.chatRateInit()
    await sleep(20)
    dropping = false
    const again = next(client, 'initialized')
    server.server.io.of('/').disconnectSockets()
    await assert.rejects(rateInit, { name: 'SocketError', type: 'disconnected' })
    await again
    const delivered = await message
    assert.equal(delivered.content.text, 'lost once')
    const { messages } = await client.chatHistory({ limit: 10 })
    assert.equal(messages.filter((m) => m.content.text === 'lost once').length, 1)
  })
})
