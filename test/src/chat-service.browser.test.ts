/**
 * The connection service in a real browser: real IndexedDB (idb-keyval), a real chat server
 * (started by web-test-runner.config.mjs).
 */
import { expect } from '@open-wc/testing'
import { clear, createStore } from 'idb-keyval'
import type { Message } from '../../src/protocol.ts'
import { type ChatState, createChatService, RESTORE_FIRST } from '../../src/store/chat-service.ts'
import {
  type ChatPersistence,
  emptyChat,
  indexedDbPersistence,
} from '../../src/store/persistence.ts'
import { until } from '../components/helpers.ts'

interface ChatServerInfo {
  url: string
  key: string
  agentToken: string
}

const chatServer = (): Promise<ChatServerInfo> =>
  fetch('/__chat-server.json').then((response) => response.json())

function savedMessage(overrides: Partial<Message> = {}): Message {
  return {
    id: 'saved-1',
    type: 'message',
    subType: 'agent',
    channel: { type: 'default', id: null },
    chatId: 'chat-that-the-server-does-not-know',
    groupId: null,
    visitorId: 'v',
    agentId: null,
    trigger: null,
    createdAt: '2026-01-01T10:00:00.000Z',
    content: { type: 'text', text: 'Saved before the reload', data: null },
    tags: null,
    responseTime: null,
    attachments: [],
    ...overrides,
  }
}

/** Polls an async check until it returns a value. */
async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  const end = performance.now() + 3000
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (performance.now() > end) throw new Error(`never: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('ChatService in the browser', () => {
  const store = createStore('chat-widget-test', 'chats')
  const services: { stop(): Promise<void> }[] = []

  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.stop()))
    await clear(store)
  })

  /** Starts a service on the saved chat of `namespace`; resolves with every state it showed. */
  async function startRecording(server: ChatServerInfo, namespace: string): Promise<ChatState[]> {
    const service = createChatService({
      server: server.url,
      key: server.key,
      persistence: indexedDbPersistence(namespace, store),
    })
    services.push(service)
    const states: ChatState[] = []
    service.subscribe((state) => states.push(state))
    await service.start()
    return states
  }

  it('restores the chat from IndexedDB before the socket connects', async () => {
    const server = await chatServer()
    const namespace = `${server.url}#${server.key}`
    await indexedDbPersistence(namespace, store).save({
      ...emptyChat(),
      chatId: 'chat-that-the-server-does-not-know',
      messages: [savedMessage()],
    })

    const states = await startRecording(server, namespace)

    const first = states.find((state) => state.items.length > 0)
    expect(first, 'history shown').to.exist
    expect(first!.connection).to.not.equal('online')
    expect(first!.persistence).to.equal('indexeddb')
    expect(first!.items.map((item) => item.message.content.text)).to.deep.equal([
      'Saved before the reload',
    ])
  })

  it('restores a long chat kept in parts: its newest first, then all of it in order, then connects', async () => {
    const server = await chatServer()
    const namespace = `${server.url}#${server.key}`
    const messages = Array.from({ length: 650 }, (_, i) =>
      savedMessage({
        id: `saved-${i}`,
        seq: i + 1,
        createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      }),
    )
    await indexedDbPersistence(namespace, store).save({ ...emptyChat(), messages })

    const states = await startRecording(server, namespace)

    const shown = states.filter((state) => state.items.length > 0)
    const ids = (state: ChatState) => state.items.map((item) => item.message.id)
    expect(ids(shown[0]!)).to.deep.equal(messages.slice(-RESTORE_FIRST).map((m) => m.id))
    const whole = shown.find((state) => state.items.length === messages.length)
    expect(whole, 'the whole chat shown').to.exist
    expect(ids(whole!)).to.deep.equal(messages.map((m) => m.id))
    expect(whole!.connection).to.not.equal('online')
  })

  it('keeps one copy of a message from the ack, the echo, initialized and IndexedDB', async () => {
    const server = await chatServer()
    const namespace = `${server.url}#${server.key}`
    const tab = createChatService({
      server: server.url,
      key: server.key,
      persistence: indexedDbPersistence(namespace, store),
    })
    services.push(tab)
    await tab.start()
    const echoed = new Promise<Message>((resolve) =>
      tab.client.on('chat.message_received', ({ message }) => resolve(message)),
    )
    await tab.send('Only once')
    const { id } = await echoed
    await tab.stop() // saves to IndexedDB

    const reloaded = createChatService({
      server: server.url,
      key: server.key,
      persistence: indexedDbPersistence(namespace, store),
    })
    services.push(reloaded)
    await reloaded.start()
    await until(() => reloaded.state.connection === 'online', 'online', 4000)
    const copies = reloaded.state.items.filter((item) => item.message.id === id)
    expect(copies.length).to.equal(1)
    expect(reloaded.client.getVisitorId()).to.equal(tab.client.getVisitorId())
  })

  it('saves the visitor and the messages to IndexedDB', async () => {
    const server = await chatServer()
    const namespace = `${server.url}#${server.key}`
    const persistence = indexedDbPersistence(namespace, store)
    const service = createChatService({ server: server.url, key: server.key, persistence })
    services.push(service)
    await service.start()
    await service.send('Keep me')
    const saved = await eventually(async () => {
      const value = await persistence.load()
      return value?.messages.some((m) => m.content.text === 'Keep me') ? value : undefined
    }, 'the message saved')
    expect(saved.visitorId).to.equal(service.client.getVisitorId())
  })

  it('falls back to memory when IndexedDB refuses, and says so once', async () => {
    const server = await chatServer()
    const refusing: ChatPersistence = {
      kind: 'indexeddb',
      load: () => Promise.reject(new DOMException('The user denied permission', 'SecurityError')),
      loadOlder: () => Promise.reject(new DOMException('denied', 'SecurityError')),
      save: () => Promise.reject(new DOMException('denied', 'SecurityError')),
      clear: () => Promise.resolve(),
      loadOutbox: () => Promise.reject(new DOMException('denied', 'SecurityError')),
      saveOutbox: () => Promise.reject(new DOMException('denied', 'SecurityError')),
    }
    const warnings: unknown[][] = []
    const warn = console.warn
    console.warn = (...args: unknown[]) => warnings.push(args)
    try {
      const service = createChatService({
        server: server.url,
        key: server.key,
        persistence: refusing,
      })
      services.push(service)
      await service.start()
      await until(() => service.state.connection === 'online', 'online', 4000)
      expect(service.state.persistence).to.equal('memory')
      await service.send('Works without IndexedDB')
      expect(service.state.items.at(-1)?.state).to.equal('sent')
      expect(warnings.length).to.equal(1)
      expect(String(warnings[0]?.[0])).to.contain('in memory')
    } finally {
      console.warn = warn
    }
  })

  it('falls back to memory when saving fails later (quota)', async () => {
    const server = await chatServer()
    const namespace = `${server.url}#${server.key}`
    const real = indexedDbPersistence(namespace, store)
    const full: ChatPersistence = {
      ...real,
      kind: 'indexeddb',
      load: () => real.load(),
      save: () => Promise.reject(new DOMException('Quota exceeded', 'QuotaExceededError')),
    }
    const warn = console.warn
    let warned = 0
    console.warn = () => {
      warned++
    }
    try {
      const service = createChatService({ server: server.url, key: server.key, persistence: full })
      services.push(service)
      await service.start()
      await service.send('Still sent')
      await until(() => service.state.persistence === 'memory', 'memory fallback')
      expect(service.state.items.at(-1)?.state).to.equal('sent')
      expect(warned).to.equal(1)
    } finally {
      console.warn = warn
    }
  })
})
