/**
 * "Nothing lost, nothing doubled", client half: the outbox of unacknowledged sends and the
 * catch-up after a reconnect, against the real server (restarted on the same port and data).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, it } from 'node:test'
import { loadConfig } from '../../server/config.ts'
import type { ChatHistoryResult, Message } from '../../src/protocol.ts'
import {
  type ChatService,
  type ChatServiceOptions,
  createChatService,
} from '../../src/store/chat-service.ts'
import { Outbox } from '../../src/store/outbox.ts'
import { memoryPersistence, type OutboxEntry } from '../../src/store/persistence.ts'
import {
  closeSockets,
  connectAgent,
  request,
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from '../support/server.ts'
import { FAST_RECONNECT, sleep, until } from './helpers.ts'

/** Every message of a chat as an agent reads it, oldest first (pages of 100 backwards). */
async function history(server: TestServer, chatId: string): Promise<Message[]> {
  const agent = await connectAgent(server.url, server.agentToken)
  const messages: Message[] = []
  let before: string | undefined
  for (;;) {
    const page: ChatHistoryResult = await request(agent.socket, 'chat.history', {
      chatId,
      limit: 100,
      ...(before ? { before } : {}),
    })
    messages.unshift(...page.messages)
    before = page.messages[0]?.id
    if (!page.hasMore || !before) return messages
  }
}

const texts = (messages: readonly Message[]) =>
  messages.filter((m) => m.type === 'message').map((m) => m.content.text)

describe('outbox and catch-up against the real server', () => {
  const servers: TestServer[] = []
  const services: ChatService[] = []
  const dirs: string[] = []

  const serve = async (options: TestServerOptions = {}) => {
    const server = await startTestServer(options)
    servers.push(server)
    return server
  }
  const start = async (server: TestServer, options: Partial<ChatServiceOptions> = {}) => {
    const service = createChatService({
      server: server.url,
      key: 'demo',
      persistence: memoryPersistence(),
      socketOptions: FAST_RECONNECT,
      ...options,
    })
    services.push(service)
    await service.start()
    await until(() => service.state.connection === 'online', 5000, 'online')
    return service
  }
  /** A server with its data on disk, so it can be stopped and started again. */
  const restartable = async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'chat-outbox-test-'))
    dirs.push(dataDir)
    return serve({ dataDir })
  }

  afterEach(async () => {
    closeSockets()
    await Promise.all(services.splice(0).map((service) => service.stop()))
    await Promise.all(servers.splice(0).map((server) => server.close().catch(() => undefined)))
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('keeps sends made while the server is down and sends them once, in order, after reconnect', async () => {
    const first = await restartable()
    const tab = await start(first)
    await tab.send('before')
    const chatId = tab.state.chatId!
    await first.close()
    await until(() => tab.state.connection !== 'online', 5000, 'offline')

    const sends = ['one', 'two', 'three'].map((text) => tab.send(text))
    assert.deepEqual(
      tab.state.items.slice(-3).map((item) => [item.message.content.text, item.state]),
      [
        ['one', 'sending'],
        ['two', 'sending'],
        ['three', 'sending'],
      ],
      'pending while offline',
    )
    const second = await serve({ port: first.port, dataDir: first.dataDir })
    await Promise.all(sends)
    assert.deepEqual(texts(await history(second, chatId)), ['before', 'one', 'two', 'three'])
    assert.deepEqual(
      tab.state.items.map((item) => [item.message.content.text, item.pending]),
      [
        ['before', false],
        ['one', false],
        ['two', false],
        ['three', false],
      ],
    )
  })

  it('flushes 100 sends queued offline in order, each once', async () => {
    const first = await restartable()
    const tab = await start(first)
    await tab.send('start')
    const chatId = tab.state.chatId!
    await first.close()
    await until(() => tab.state.connection !== 'online', 5000, 'offline')

    const expected = Array.from({ length: 100 }, (_, i) => `queued ${i + 1}`)
    const sends = expected.map((text) => tab.send(text))
    const second = await serve({ port: first.port, dataDir: first.dataDir })
    await Promise.all(sends)
    const stored = texts(await history(second, chatId)).slice(1)
    assert.equal(stored.length, 100, 'exactly 100 stored')
    assert.deepEqual(stored, expected, 'in order, no duplicates')
    const shown = tab.state.items.filter((item) => item.message.content.text?.startsWith('queued'))
    assert.equal(shown.length, 100)
    assert.ok(shown.every((item) => !item.pending && item.state !== 'failed'))
  })

  it('retries a send whose ack timed out with the same clientId; the server keeps one copy', async () => {
    const server = await serve()
    const tab = await start(server, { requestTimeout: 400, sendRetry: { delay: 50 } })
    const socket = tab.client.getConnection()
    /** socket.io-client's private dispatch of a received event. */
    const internals = socket as unknown as { onevent(packet: { data: unknown[] }): void }
    // Lose the first ack and the first echo: the client cannot know the server stored it.
    const sent: string[] = []
    const emit = socket.emit.bind(socket)
    socket.emit = ((event: string, ...args: unknown[]) => {
      if (event === 'chat.message') {
        sent.push((args[0] as { clientId: string }).clientId)
        if (sent.length === 1) args[args.length - 1] = () => undefined
      }
      return emit(event, ...args)
    }) as typeof socket.emit
    const onevent = internals.onevent.bind(socket)
    let droppedEcho = false
    internals.onevent = (packet) => {
      if (packet.data[0] === 'chat.message_received' && !droppedEcho) {
        droppedEcho = true
        return
      }
      onevent(packet)
    }

    await tab.send('Only once, please')
    assert.equal(sent.length, 2, 'sent again after the timeout')
    assert.equal(sent[0], sent[1], 'with the same clientId')
    const item = tab.state.items.at(-1)!
    assert.equal(item.state, 'sent')
    assert.equal(item.key, sent[0])
    assert.deepEqual(texts(await history(server, tab.state.chatId!)), ['Only once, please'])
  })

  it('retries an upload whose finish lost its ack with the same clientId; one message', async () => {
    const server = await serve()
    const tab = await start(server, { requestTimeout: 400, sendRetry: { delay: 50 } })
    const socket = tab.client.getConnection()
    const internals = socket as unknown as { onevent(packet: { data: unknown[] }): void }
    const finishes: string[] = []
    const emit = socket.emit.bind(socket)
    socket.emit = ((event: string, ...args: unknown[]) => {
      if (event === 'chat.upload_finish') {
        finishes.push((args[0] as { clientId: string }).clientId)
        if (finishes.length === 1) args[args.length - 1] = () => undefined
      }
      return emit(event, ...args)
    }) as typeof socket.emit
    const onevent = internals.onevent.bind(socket)
    let droppedEcho = false
    internals.onevent = (packet) => {
      if (packet.data[0] === 'chat.message_received' && !droppedEcho) {
        droppedEcho = true
        return
      }
      onevent(packet)
    }

    tab.sendFiles([new File(['hello, file'], 'note.txt', { type: 'text/plain' })])
    const key = tab.state.items.at(-1)!.key
    await until(
      () => tab.state.items.some((item) => item.key === key && !item.pending),
      5000,
      'the upload stored',
    )
    assert.equal(finishes.length, 2, 'finished again after the timeout')
    assert.equal(finishes[0], finishes[1], 'with the same clientId')
    const uploads = (await history(server, tab.state.chatId!)).filter(
      (m) => m.content.type === 'upload',
    )
    assert.equal(uploads.length, 1, 'one message for the file')
  })

  it('backs off and retries when the server rate-limits the flush, never failing it', async () => {
    const rateLimits = loadConfig({}).rateLimits
    const slow = { burst: 5, perSecond: 5 }
    const server = await serve({
      rateLimits: { ...rateLimits, message: { socket: slow, ip: slow } },
    })
    const tab = await start(server, { sendRetry: { delay: 100 } })
    const expected = Array.from({ length: 20 }, (_, i) => `burst ${i + 1}`)
    await Promise.all(expected.map((text) => tab.send(text)))
    assert.ok(tab.state.items.every((item) => !item.pending))
    assert.deepEqual(texts(await history(server, tab.state.chatId!)), expected)
  })

  it('shows a refused send as failed for good, and sends what follows', async () => {
    const server = await serve()
    const persistence = memoryPersistence()
    const tab = await start(server, { persistence })
    const refused = tab.send('x'.repeat(20_000))
    const after = tab.send('After the refused one')
    await Promise.all([refused, after])
    const good = tab.state.items.find(
      (item) => item.message.content.text === 'After the refused one',
    )
    assert.equal(good?.state, 'sent')
    const failed = tab.state.items.find((item) => item.state === 'failed')!
    assert.ok(failed, 'failed, not an endless spinner')
    assert.equal(failed.retryable, false)
    assert.ok(failed.error)
    assert.equal(failed.reason, 'too_large', 'a kind of failure the view can translate')

    // A reload shows it failed again (it stays in the outbox until retried or removed).
    await tab.stop()
    const reloaded = await start(server, { persistence })
    const again = reloaded.state.items.find((item) => item.key === failed.key)
    assert.equal(again?.state, 'failed')
    assert.equal(again?.reason, 'too_large')
    reloaded.discard(failed.key)
    assert.equal(
      reloaded.state.items.find((item) => item.key === failed.key),
      undefined,
    )
    const emptied = async () => (await persistence.loadOutbox()).length === 0
    for (let i = 0; i < 100 && !(await emptied()); i++) await sleep(10)
    assert.ok(await emptied(), 'removed from the outbox')
  })

  it('after a reconnect, brings what the agent sent meanwhile once and in order, over several pages', async () => {
    const server = await serve()
    const tab = await start(server)
    await tab.send('Hello')
    const chatId = tab.state.chatId!
    const announced: Message[] = []
    tab.onMessage((message) => announced.push(message))
    const agent = await connectAgent(server.url, server.agentToken)

    // Away long enough for 60 messages (more than one page of 50).
    const socket = tab.client.getConnection()
    socket.io.reconnection(false)
    socket.io.engine.close()
    await until(() => tab.state.connection === 'reconnecting', 5000, 'reconnecting')
    const expected = Array.from({ length: 60 }, (_, i) => `while away ${i + 1}`)
    for (const text of expected) {
      await request(agent.socket, 'chat.message', { chatId, content: { type: 'text', text } })
    }
    socket.io.reconnection(true)
    socket.connect()

    await until(
      () => tab.state.items.some((item) => item.message.content.text === 'while away 1'),
      5000,
      'caught up',
    )
    assert.deepEqual(texts(tab.state.items.map((item) => item.message)), ['Hello', ...expected])
    const ids = tab.state.items.map((item) => item.message.id)
    assert.equal(new Set(ids).size, ids.length, 'no duplicates')
    assert.deepEqual(texts(announced), expected, 'each announced once, in order')
  })
})

describe('Outbox on its own', () => {
  const timeout = () =>
    Object.assign(new Error('No answer to chat.message within 10 ms'), {
      code: 408,
      type: 'timeout',
    })

  it('fails a send whose every attempt timed out (retryable), after a few attempts with backoff', async () => {
    const attempts: string[] = []
    const failed: OutboxEntry[] = []
    const outbox = new Outbox({
      send: async (entry) => {
        attempts.push(entry.clientId)
        throw timeout()
      },
      ready: () => true,
      onSent: () => assert.fail('never sent'),
      onFailed: (entry) => failed.push(entry),
      save: async () => undefined,
      attempts: 3,
      retryDelay: 5,
    })
    await outbox.add({
      kind: 'text',
      clientId: 'c1',
      createdAt: '2026-01-01T00:00:00Z',
      text: 'hi',
    })
    assert.deepEqual(attempts, ['c1', 'c1', 'c1'])
    assert.equal(failed[0]?.failed?.retryable, true)
    assert.match(failed[0]?.failed?.error ?? '', /No answer/)
    assert.equal(failed[0]?.failed?.reason, 'network')
    await outbox.stop()
  })

  it('waits while offline instead of failing, and goes on after a reconnect', async () => {
    let online = false
    const sent: string[] = []
    const outbox = new Outbox({
      send: async (entry) => {
        sent.push(entry.clientId)
        return { id: `m-${entry.clientId}` } as Message
      },
      ready: () => online,
      onSent: () => undefined,
      onFailed: () => assert.fail('never failed'),
      save: async () => undefined,
    })
    const done = outbox.add({ kind: 'text', clientId: 'a', createdAt: '', text: 'a' })
    void outbox.add({ kind: 'text', clientId: 'b', createdAt: '', text: 'b' })
    await sleep(20)
    assert.deepEqual(sent, [])
    online = true
    outbox.resume()
    await done
    await until(() => sent.length === 2, 1000, 'both sent')
    assert.deepEqual(sent, ['a', 'b'])
    assert.deepEqual(outbox.list, [])
  })
})
