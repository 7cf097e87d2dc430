import assert from 'node:assert/strict'
import { after, afterEach, before, describe, it } from 'node:test'
import { SocketError } from '../../src/client/socket-error.ts'
import type { Message } from '../../src/protocol.ts'
import {
  type ChatService,
  type ChatState,
  createChatService,
  RESTORE_FIRST,
} from '../../src/store/chat-service.ts'
import { type ChatPersistence, emptyChat, memoryPersistence } from '../../src/store/persistence.ts'
import { message } from '../support/messages.ts'
import {
  closeSockets,
  connectAgent,
  request,
  startTestServer,
  type TestServer,
} from '../support/server.ts'
import { FAST_RECONNECT } from './helpers.ts'

/** Polls `check` until it returns something truthy (no fixed sleeps). */
async function until<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 4000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const count = (state: ChatState, id: string) =>
  state.items.filter((item) => item.message.id === id).length

describe('ChatService against the real server', () => {
  let server: TestServer
  const services: ChatService[] = []

  const start = async (persistence: ChatPersistence = memoryPersistence()) => {
    const service = createChatService({
      server: server.url,
      key: 'demo',
      persistence,
      socketOptions: FAST_RECONNECT,
    })
    services.push(service)
    await service.start()
    await until(() => service.state.connection === 'online', 'online')
    return service
  }

  before(async () => {
    server = await startTestServer()
  })
  afterEach(async () => {
    closeSockets()
    await Promise.all(services.splice(0).map((service) => service.stop()))
  })
  after(async () => {
    await server.close()
  })

  it('shows a sent message once, whether it came from the ack, the echo, initialized or storage', async () => {
    const persistence = memoryPersistence()
    const tab = await start(persistence)
    const echoes: Message[] = []
    tab.client.on('chat.message_received', ({ message }) => echoes.push(message))
    const announced: Message[] = []
    tab.onMessage((message) => announced.push(message))

    const sending = tab.send('Hello there')
    assert.equal(tab.state.items.at(-1)?.state, 'sending', 'shown at once as pending')
    await sending
    const id = await until(() => echoes[0]?.id, 'the echo')
    const item = tab.state.items.at(-1)!
    assert.equal(item.message.id, id)
    assert.equal(item.state, 'sent')
    assert.equal(count(tab.state, id), 1)
    assert.deepEqual(
      announced.map((m) => m.id),
      [id],
      'announced once',
    )

    // A reload: the saved chat shows before the socket connects, then `initialized` brings it again.
    await tab.stop()
    const reloaded = createChatService({ server: server.url, key: 'demo', persistence })
    services.push(reloaded)
    let firstWithHistory: ChatState | undefined
    reloaded.subscribe((state) => {
      if (!firstWithHistory && state.items.length > 0) firstWithHistory = state
    })
    await reloaded.start()
    assert.ok(firstWithHistory, 'restored history')
    assert.notEqual(firstWithHistory.connection, 'online', 'history shown before the socket is up')
    assert.equal(count(firstWithHistory, id), 1)
    await until(() => reloaded.state.connection === 'online', 'online again')
    assert.equal(count(reloaded.state, id), 1)
    assert.equal(reloaded.client.getVisitorId(), tab.client.getVisitorId(), 'same visitor resumed')
  })

  it('on a page load, a reply that came while away is news; the saved chat is not', async () => {
    const persistence = memoryPersistence()
    const tab = await start(persistence)
    await tab.send('Anyone?')
    const chatId = tab.state.chatId!
    await tab.stop()
    const agent = await connectAgent(server.url, server.agentToken)
    const reply = await request<Message>(agent.socket, 'chat.message', {
      chatId,
      content: { type: 'text', text: 'Sorry, I was away' },
    })

    const reloaded = createChatService({ server: server.url, key: 'demo', persistence })
    services.push(reloaded)
    const announced: string[] = []
    reloaded.onMessage((message) => announced.push(message.content.text ?? message.content.type))
    await reloaded.start()
    await until(() => count(reloaded.state, reply.id) === 1, 'the reply shown')
    assert.deepEqual(announced, ['agent_join', 'Sorry, I was away'], 'what came after, once')

    // A page with nothing saved (another device, storage cleared): its history is not news.
    const elsewhere = createChatService({
      server: server.url,
      key: 'demo',
      persistence: memoryPersistence({
        chat: { ...emptyChat(), visitorId: tab.client.getVisitorId()! },
      }),
    })
    services.push(elsewhere)
    const heard: Message[] = []
    elsewhere.onMessage((message) => heard.push(message))
    await elsewhere.start()
    await until(() => count(elsewhere.state, reply.id) === 1, 'the history on a new page')
    assert.deepEqual(heard, [])
  })

  it('rebuilds from initialized after a reconnect and shows what was missed once', async () => {
    const tab = await start()
    await tab.send('Are you there?')
    const chatId = tab.state.chatId!
    const agent = await connectAgent(server.url, server.agentToken)

    const states: string[] = []
    tab.subscribe((state) => states.push(state.connection))
    // Drop the transport: the client reconnects by itself.
    tab.client.getConnection().io.engine.close()
    await until(() => states.includes('reconnecting'), 'reconnecting')
    const reply = await request<Message>(agent.socket, 'chat.message', {
      chatId,
      content: { type: 'text', text: 'Yes, I am here' },
    })
    await until(() => tab.state.connection === 'online' && tab.state.items.length >= 2, 'catch-up')
    await until(() => count(tab.state, reply.id) === 1, 'the reply')
    assert.equal(tab.state.unread, 1, 'the reply is unread')
    const ids = tab.state.items.map((item) => item.message.id)
    assert.equal(new Set(ids).size, ids.length, 'no duplicates')
  })

  it('saves who the visitor is and their chat at once, for a tab closed right after its first send', async () => {
    const persistence = memoryPersistence()
    const tab = await start(persistence)
    assert.equal((await persistence.load())?.visitorId, tab.client.getVisitorId(), 'the visitor')
    await tab.send('Closing the tab now')
    // No pause: the save that waits to gather more changes would be lost with the tab.
    const saved = await persistence.load()
    assert.ok(tab.state.chatId, 'the first send opened a chat')
    assert.equal(saved?.chatId, tab.state.chatId, 'the chat')
  })

  it('agrees on the unread count across two tabs of one visitor', async () => {
    const persistence = memoryPersistence()
    const first = await start(persistence)
    await first.send('Two tabs')
    await until(async () => (await persistence.load())?.visitorId, 'saved visitor')
    const second = await start(persistence)
    assert.equal(second.client.getVisitorId(), first.client.getVisitorId())

    const agent = await connectAgent(server.url, server.agentToken)
    await request(agent.socket, 'chat.message', {
      chatId: first.state.chatId,
      content: { type: 'text', text: 'Reply for both tabs' },
    })
    await until(() => first.state.unread === 1 && second.state.unread === 1, 'unread in both tabs')

    first.markRead()
    await until(() => second.state.unread === 0, 'read in the other tab')
    assert.equal(first.state.unread, 0)
  })

  it('marks a refused send as failed and keeps it for retry', async () => {
    const tab = await start()
    assert.equal(tab.state.maxTextLength, 10_000, 'the limit from ConnectedData')
    await tab.send('x'.repeat(20_000))
    const item = tab.state.items.at(-1)!
    assert.equal(item.state, 'failed')
    assert.equal(item.pending, true)
    await tab.retry(item.key)
    assert.equal(tab.state.items.at(-1)?.state, 'failed', 'still refused, never an endless spinner')
  })

  it('sends files with progress, refuses what the server would refuse, cancels on request', async () => {
    const tab = await start()
    await tab.send('A file follows')
    const limits = tab.state.uploadLimits!
    assert.ok(limits.maxSize > 0 && limits.acceptedTypes.length > 0, 'limits from ConnectedData')

    const problems = tab.sendFiles([
      new File([new Uint8Array(limits.maxSize + 1)], 'huge.pdf', { type: 'application/pdf' }),
      new File(['MZ'], 'setup.exe', { type: 'application/x-msdownload' }),
    ])
    assert.deepEqual(
      problems.map((p) => [p.fileName, p.reason]),
      [
        ['huge.pdf', 'too_large'],
        ['setup.exe', 'type_not_accepted'],
      ],
    )

    const announced: Message[] = []
    tab.onMessage((message) => announced.push(message))
    tab.sendFiles([new File(['hello, file'], 'note.txt', { type: 'text/plain' })])
    const pending = tab.state.items.at(-1)!
    assert.equal(pending.pending, true)
    assert.equal(pending.message.content.data.fileName, 'note.txt')
    await until(() => announced.some((m) => m.content.type === 'upload'), 'the upload stored')
    const stored = tab.state.items.filter((item) => item.message.content.type === 'upload')
    assert.equal(stored.length, 1, 'one bubble for the file')
    assert.equal(stored[0]!.pending, false)
    assert.equal(stored[0]!.key, pending.key, 'the bubble keeps its key')

    tab.sendFiles([new File([new Uint8Array(200_000)], 'big.txt', { type: 'text/plain' })])
    const key = tab.state.items.at(-1)!.key
    tab.cancel(key)
    await until(() => !tab.state.items.some((item) => item.key === key), 'cancelled upload gone')
  })

  it('offers to retry an upload refused for its connection or its token, not for its file', async () => {
    const tab = await start()
    await tab.send('Files follow')
    const post = tab.client.postUpload.bind(tab.client)
    const cases: Array<[number, boolean]> = [
      [403, true], // not initialized yet: the reconnect will
      [404, true], // the token: a retry asks for a new one
      [410, true],
      [503, true],
      [413, false], // the file itself
      [415, false],
    ]
    for (const [code, retryable] of cases) {
      tab.client.postUpload = async () => {
        throw new SocketError(`refused ${code}`, { code, event: 'upload' })
      }
      tab.sendFiles([new File(['hello'], `${code}.txt`, { type: 'text/plain' })])
      const item = await until(
        () => tab.state.items.find((i) => i.state === 'failed' && i.error === `refused ${code}`),
        `upload ${code} failed`,
      )
      assert.equal(item.retryable, retryable, `HTTP ${code}`)
    }
    // The expired token's upload, tried again, goes through.
    tab.client.postUpload = post
    const expired = tab.state.items.find((i) => i.error === 'refused 410')!
    await tab.retry(expired.key)
    await until(
      () => tab.state.items.find((i) => i.key === expired.key && !i.pending),
      'the retried upload stored',
    )
  })

  it('leaves an offline message, ends the chat, rates it and starts afresh', async () => {
    const tab = await start()
    await tab.sendOffline({ name: 'Ada', email: 'ada@example.com', text: 'Call me back' })
    const offline = tab.state.items.at(-1)!.message
    assert.equal(offline.isOffline, true)
    assert.equal(tab.client.getVisitorIdentity()?.email, 'ada@example.com')

    await tab.endChat()
    await until(() => tab.state.chatStatus === 'closed', 'closed')
    await tab.rate(4, 'Quick answer')
    await until(() => tab.state.rating?.value === 4, 'rated')
    await tab.requestTranscript('ada@example.com')

    tab.startNewChat()
    assert.equal(tab.state.items.length, 0)
    assert.equal(tab.state.chatStatus, null)
    await tab.send('A new question')
    await until(() => tab.state.chatId && tab.state.chatId !== offline.chatId, 'a new chat')
  })

  it('reports a refused key as an error state', async () => {
    const service = createChatService({
      server: server.url,
      key: 'no-such-key',
      persistence: memoryPersistence(),
    })
    services.push(service)
    await service.start()
    assert.equal(service.state.error?.type, 'not_found')
  })

  describe('the outbox at start', () => {
    /** A memory persistence that records every outbox write. */
    const recording = (initial: Parameters<typeof memoryPersistence>[0]) => {
      const persistence = memoryPersistence(initial)
      const writes: string[][] = []
      const saveOutbox = persistence.saveOutbox
      persistence.saveOutbox = (entries) => {
        writes.push(entries.map((entry) => entry.clientId))
        return saveOutbox(entries)
      }
      return { persistence, writes }
    }
    const entry = (clientId: string) => ({
      kind: 'text' as const,
      clientId,
      createdAt: new Date().toISOString(),
      text: `sent as ${clientId}`,
    })

    it('writes nothing when there was nothing unsent', async () => {
      const { persistence, writes } = recording({
        chat: { ...emptyChat(), messages: [message()] },
      })
      await start(persistence)
      assert.deepEqual(writes, [])
    })

    it('drops sends the saved chat already holds, once the chat has shown', async () => {
      const { persistence, writes } = recording({
        chat: { ...emptyChat(), messages: [message({ clientId: 'c-stored' })] },
        outbox: [entry('c-stored')],
      })
      await start(persistence)
      await until(() => writes.length > 0, 'the outbox written')
      assert.deepEqual(writes, [[]])
      assert.deepEqual(await persistence.loadOutbox(), [])
    })

    it('keeps and sends what the server never had', async () => {
      const { persistence, writes } = recording({ outbox: [entry('c-unsent')] })
      const chat = await start(persistence)
      assert.deepEqual(writes[0], ['c-unsent'], 'kept before anything else')
      await until(
        () =>
          chat.state.items.some(
            (item) => item.message.content.text === 'sent as c-unsent' && item.state === 'sent',
          ),
        'sent',
      )
    })
  })

  describe('a long saved chat', () => {
    const LONG = RESTORE_FIRST + 150
    const savedChat = () => ({
      ...emptyChat(),
      messages: Array.from({ length: LONG }, (_, i) => message({ seq: i + 1 })),
    })
    const service = (persistence: ChatPersistence) => {
      const created = createChatService({
        server: server.url,
        key: 'demo',
        persistence,
        socketOptions: FAST_RECONNECT,
      })
      services.push(created)
      return created
    }

    it('shows its newest messages first, then all of them in order, before connecting', async () => {
      const saved = savedChat()
      const chat = service(memoryPersistence({ chat: saved }))
      const shown: { ids: string[]; connection: string }[] = []
      chat.subscribe((state) =>
        shown.push({
          ids: state.items.map((item) => item.message.id),
          connection: state.connection,
        }),
      )
      await chat.start()
      const withItems = shown.filter((state) => state.ids.length > 0)
      assert.deepEqual(
        withItems[0]?.ids,
        saved.messages.slice(-RESTORE_FIRST).map((m) => m.id),
        'the newest first',
      )
      const whole = withItems.find((state) => state.ids.length === LONG)
      assert.deepEqual(
        whole?.ids,
        saved.messages.map((m) => m.id),
        'then all, in order',
      )
      assert.notEqual(whole?.connection, 'online', 'before the connection is up')
    })

    it('is saved whole when a save comes before the rest is shown', async () => {
      const persistence = memoryPersistence({ chat: savedChat() })
      const chat = service(persistence)
      let stopping: Promise<void> | undefined
      chat.subscribe((state) => {
        // Stopping flushes the save that the first state scheduled: the rest is not shown yet.
        if (state.items.length === RESTORE_FIRST) stopping ??= chat.stop()
      })
      await chat.start()
      assert.ok(stopping, 'the newest part was shown alone')
      await stopping
      assert.equal((await persistence.load())?.messages.length, LONG)
      assert.notEqual(
        chat.state.connection,
        'online',
        'a service stopped meanwhile does not connect',
      )
    })
  })
})
