/**
 * The outbox and IndexedDB's bad days in a real browser: a reload with sends still pending, and
 * every way IndexedDB fails (missing, blocked, silent, throwing, closed, upgraded by a newer tab,
 * full, holding corrupted data). The widget keeps working, says so at most once, never throws.
 */
import { expect } from '@open-wc/testing'
import { keys, set, type UseStore } from 'idb-keyval'
import { type ChatService, createChatService } from '../../src/store/chat-service.ts'
import {
  createChatStore,
  indexedDbPersistence,
  type OutboxEntry,
} from '../../src/store/persistence.ts'
import { until } from '../components/helpers.ts'

interface ChatServerInfo {
  url: string
  key: string
}

const chatServer = (): Promise<ChatServerInfo> =>
  fetch('/__chat-server.json').then((response) => response.json())

let dbCount = 0
/** A fresh database per test, so no test sees another's connection or data. */
const freshDb = () => `chat-widget-outbox-${Date.now()}-${dbCount++}`

describe('outbox and IndexedDB faults in the browser', function () {
  this.timeout(15_000)
  const services: ChatService[] = []
  const restores: (() => void)[] = []
  let warnings: unknown[][] = []
  let rejections: unknown[] = []
  const warn = console.warn
  const onRejection = (event: PromiseRejectionEvent) => rejections.push(event.reason)

  /** Replaces `object[name]` for this test. */
  function stub<T extends object, K extends keyof T>(object: T, name: K, value: T[K]): void {
    const own = Object.getOwnPropertyDescriptor(object, name)
    Object.defineProperty(object, name, { value, configurable: true, writable: true })
    restores.push(() => {
      if (own) Object.defineProperty(object, name, own)
      else delete object[name]
    })
  }

  beforeEach(() => {
    warnings = []
    rejections = []
    console.warn = (...args: unknown[]) => warnings.push(args)
    window.addEventListener('unhandledrejection', onRejection)
  })
  afterEach(async () => {
    for (const restore of restores.splice(0).reverse()) restore()
    await Promise.all(services.splice(0).map((service) => service.stop()))
    console.warn = warn
    window.removeEventListener('unhandledrejection', onRejection)
  })

  async function open(options: { server?: string; db?: string; persistence?: boolean } = {}) {
    const info = await chatServer()
    const namespace = `${info.url}#${info.key}`
    const service = createChatService({
      server: options.server ?? info.url,
      key: info.key,
      socketOptions: { reconnectionDelay: 50, reconnectionDelayMax: 200 },
      ...(options.persistence === false
        ? {}
        : {
            persistence: indexedDbPersistence(namespace, createChatStore(options.db ?? freshDb())),
          }),
    })
    services.push(service)
    // Against an unreachable server `start()` waits for a connection that never comes.
    if (options.server) void service.start()
    else await service.start()
    return service
  }

  /** The service works in memory: a message goes out and is stored; one warning, no rejection. */
  async function worksInMemory(service: ChatService, text: string) {
    await until(() => service.state.connection === 'online', 'online', 5000)
    await service.send(text)
    expect(service.state.items.at(-1)?.message.content.text).to.equal(text)
    expect(service.state.items.at(-1)?.state).to.equal('sent')
    expect(service.state.persistence).to.equal('memory')
    expect(warnings.length, 'one console warning').to.equal(1)
    expect(rejections).to.deep.equal([])
  }

  it('sends what was pending at a "reload" once and in order', async () => {
    const db = freshDb()
    // Offline: the server is unreachable (nothing listens on port 9).
    const offline = await open({ server: 'http://127.0.0.1:9', db })
    const sends = ['first', 'second', 'third'].map((text) => offline.send(text))
    const { url, key } = await chatServer()
    const saved = indexedDbPersistence(`${url}#${key}`, createChatStore(db))
    await until(() => offline.state.items.length === 3, 'pending')
    for (let i = 0; i < 100 && (await saved.loadOutbox()).length < 3; i++)
      await new Promise((resolve) => setTimeout(resolve, 20))
    expect((await saved.loadOutbox()).map((entry) => entry.clientId)).to.deep.equal(
      offline.state.items.map((item) => item.key),
    )
    await offline.stop()
    await Promise.all(sends) // released by stop(), not sent

    const reloaded = await open({ db })
    expect(
      reloaded.state.items.map((item) => [item.message.content.text, item.pending]),
    ).to.deep.equal([
      ['first', true],
      ['second', true],
      ['third', true],
    ])
    await until(
      () =>
        reloaded.state.items.length === 3 && reloaded.state.items.every((item) => !item.pending),
      'sent after the reload',
      10_000,
    )
    const page = await reloaded.client.chatHistory({})
    expect(page.messages.map((m) => m.content.text)).to.deep.equal(['first', 'second', 'third'])
    for (let i = 0; i < 100 && (await saved.loadOutbox()).length > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 20))
    expect(await saved.loadOutbox()).to.deep.equal([])
    expect(warnings).to.deep.equal([])
  })

  it('keeps the pending sends of two tabs apart, and a later page load sends both', async () => {
    const db = freshDb()
    const first = await open({ server: 'http://127.0.0.1:9', db })
    const second = await open({ server: 'http://127.0.0.1:9', db })
    const tick = () => new Promise((resolve) => setTimeout(resolve, 5))
    const sends = [first.send('tab one, first')]
    await tick()
    sends.push(second.send('tab two, first'))
    await tick()
    sends.push(first.send('tab one, second'))
    const { url, key } = await chatServer()
    const saved = indexedDbPersistence(`${url}#${key}`, createChatStore(db))
    for (let i = 0; i < 250 && (await saved.loadOutbox()).length < 3; i++)
      await new Promise((resolve) => setTimeout(resolve, 20))
    expect((await saved.loadOutbox()).length, 'all three saved before the tabs close').to.equal(3)
    await first.stop()
    await second.stop()
    await Promise.all(sends)

    const reloaded = await open({ db })
    await until(
      () =>
        reloaded.state.items.length === 3 && reloaded.state.items.every((item) => !item.pending),
      'sent after the reload',
      10_000,
    )
    const page = await reloaded.client.chatHistory({})
    expect(page.messages.map((m) => m.content.text)).to.deep.equal([
      'tab one, first',
      'tab two, first',
      'tab one, second',
    ])
    for (let i = 0; i < 100 && (await saved.loadOutbox()).length > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 20))
    expect(await saved.loadOutbox()).to.deep.equal([])
  })

  it("takes up another tab's sends without deleting one that tab saves meanwhile", async () => {
    const db = freshDb()
    const namespace = 'http://chat.example#key'
    const sentAt = { a1: 1, a2: 2, b1: 3 }
    const text = (clientId: keyof typeof sentAt): OutboxEntry => ({
      kind: 'text',
      clientId,
      text: clientId,
      createdAt: `2026-12-07T10:00:0${sentAt[clientId]}.000Z`,
    })
    const tabA = indexedDbPersistence(namespace, createChatStore(db))
    await tabA.saveOutbox([text('a1')])
    // Tab B loads and takes up A's send; while B then saves (its own key) and clears A's key,
    // A, still open, saves a newer send: it lands right before B's second write transaction.
    const store = createChatStore(db)
    let writes = 0
    const interleaved: UseStore = (mode, callback) =>
      mode === 'readwrite' && ++writes === 2
        ? tabA.saveOutbox([text('a1'), text('a2')]).then(() => store(mode, callback))
        : store(mode, callback)
    const tabB = indexedDbPersistence(namespace, interleaved)
    expect((await tabB.loadOutbox()).map((entry) => entry.clientId)).to.deep.equal(['a1'])
    await tabB.saveOutbox([text('a1'), text('b1')])
    expect(writes, 'B wrote twice: its key, then the clean-up').to.equal(2)
    const reader = indexedDbPersistence(namespace, createChatStore(db))
    expect((await reader.loadOutbox()).map((entry) => entry.clientId)).to.deep.equal([
      'a1',
      'a2',
      'b1',
    ])
    // Once A's key holds nothing B does not know, B's next save takes it.
    await tabB.saveOutbox([text('a1'), text('a2'), text('b1')])
    const outboxKeys = (await keys(createChatStore(db))).filter((key) =>
      String(key).startsWith(`${namespace}#outbox#`),
    )
    expect(outboxKeys.length, "B's key only").to.equal(1)
    expect((await reader.loadOutbox()).map((entry) => entry.clientId)).to.deep.equal([
      'a1',
      'a2',
      'b1',
    ])
  })

  it('works in memory without IndexedDB', async () => {
    stub(window, 'indexedDB', undefined as unknown as IDBFactory)
    await worksInMemory(await open({ persistence: false }), 'No IndexedDB here')
  })

  it('works in memory when opening IndexedDB never answers', async () => {
    stub(IDBFactory.prototype, 'open', () => ({}) as IDBOpenDBRequest)
    await worksInMemory(await open(), 'Silent IndexedDB')
  })

  it('works in memory when opening IndexedDB is blocked', async () => {
    stub(IDBFactory.prototype, 'open', () => {
      const request = {} as IDBOpenDBRequest
      setTimeout(() => request.onblocked?.(new Event('blocked') as IDBVersionChangeEvent))
      return request
    })
    await worksInMemory(await open(), 'Blocked IndexedDB')
  })

  it('works in memory when opening IndexedDB throws', async () => {
    stub(IDBFactory.prototype, 'open', () => {
      throw new DOMException('Access denied', 'SecurityError')
    })
    await worksInMemory(await open(), 'Throwing IndexedDB')
  })

  it('works in memory when IndexedDB is full', async () => {
    stub(IDBObjectStore.prototype, 'put', () => {
      throw new DOMException('Quota exceeded', 'QuotaExceededError')
    })
    await worksInMemory(await open(), 'Full IndexedDB')
  })

  it('reopens a connection the browser closed under us', async () => {
    const service = await open()
    await until(() => service.state.connection === 'online', 'online', 5000)
    const transaction = IDBDatabase.prototype.transaction
    let thrown = 0
    stub(IDBDatabase.prototype, 'transaction', function (this: IDBDatabase, ...args: never[]) {
      if (thrown++ === 0)
        throw new DOMException('The database connection is closing.', 'InvalidStateError')
      return (transaction as (...a: never[]) => IDBTransaction).apply(this, args)
    } as IDBDatabase['transaction'])
    await service.send('After the close')
    expect(service.state.items.at(-1)?.state).to.equal('sent')
    expect(thrown).to.be.greaterThan(1)
    expect(service.state.persistence).to.equal('indexeddb')
    expect(warnings).to.deep.equal([])
    expect(rejections).to.deep.equal([])
  })

  it('steps aside for a newer tab that upgrades the database, and keeps working', async () => {
    const db = freshDb()
    const service = await open({ db })
    await until(() => service.state.connection === 'online', 'online', 5000)
    await service.send('Before the upgrade')

    // A newer version of the widget in another tab opens the database with a higher version.
    const upgraded = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(db, 2)
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
      request.onblocked = () => reject(new Error('blocked: our connection did not step aside'))
    })
    upgraded.close()

    await service.send('After the upgrade')
    expect(service.state.items.at(-1)?.state).to.equal('sent')
    expect(warnings.length).to.be.at.most(1)
    expect(rejections).to.deep.equal([])
  })

  it('discards corrupted or old saved data and starts clean', async () => {
    const db = freshDb()
    const { url, key } = await chatServer()
    const namespace = `${url}#${key}`
    const store = createChatStore(db)
    // An older widget's chat (no version) and an outbox that is not one.
    await set(namespace, { visitorId: 42, messages: 'lots' }, store)
    await set(`${namespace}#outbox`, { version: 1, entries: [{ kind: 'text' }, null, 'x'] }, store)
    const service = await open({ db })
    await until(() => service.state.connection === 'online', 'online', 5000)
    expect(service.state.items).to.deep.equal([])
    expect(service.state.persistence).to.equal('indexeddb')
    await service.send('A clean start')
    expect(service.state.items.at(-1)?.state).to.equal('sent')
    expect(rejections).to.deep.equal([])
  })
})
