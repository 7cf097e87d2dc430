import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { UseStore } from 'idb-keyval'
import type { Message } from '../../src/protocol.ts'
import {
  emptyChat,
  indexedDbPersistence,
  SAVED_NEWEST,
  SAVED_PART,
  type SavedChat,
  shareStrings,
} from '../../src/store/persistence.ts'
import { message } from '../support/messages.ts'

/** An idb-keyval store over a Map that copies values like IndexedDB, and counts the writes. */
function fakeStore() {
  const data = new Map<IDBValidKey, unknown>()
  let puts = 0
  const request = (result: () => unknown) => {
    const req: Record<string, unknown> = {}
    queueMicrotask(() => {
      req.result = result()
      ;(req.onsuccess as () => void)?.()
    })
    return req
  }
  const objectStore = {
    get: (key: IDBValidKey) => request(() => structuredClone(data.get(key))),
    put(value: unknown, key: IDBValidKey) {
      puts++
      data.set(key, structuredClone(value))
      objectStore.transaction = request(() => undefined)
    },
    delete(key: IDBValidKey) {
      data.delete(key)
      objectStore.transaction = request(() => undefined)
    },
    transaction: {} as unknown,
  }
  const store: UseStore = (_mode, callback) =>
    Promise.resolve(callback(objectStore as unknown as IDBObjectStore))
  return { store, data, writes: () => puts }
}

const chatOf = (count: number): SavedChat => ({
  ...emptyChat(),
  visitorId: 'visitor1',
  chatId: 'chat1',
  messages: Array.from({ length: count }, () => message()),
})

describe('indexedDbPersistence', () => {
  it('does not write back a chat it read (or wrote) unchanged, and writes any change', async () => {
    const { store, data, writes } = fakeStore()
    data.set('ns', chatOf(100))
    const persistence = indexedDbPersistence('ns', store)
    const saved = (await persistence.load())!
    assert.equal(saved.messages.length, 100)

    // What the connection service saves after a restore: the same messages, a new array.
    await persistence.save({ ...saved, messages: [...saved.messages] })
    assert.equal(writes(), 0)

    saved.agentReadAt = '2026-03-02T10:00:00.000Z' // changed in place, as the service does
    await persistence.save(saved)
    assert.equal(writes(), 1)
    await persistence.save({ ...saved, messages: [...saved.messages] })
    assert.equal(writes(), 1)

    const more = { ...saved, messages: [...saved.messages, message()] }
    await persistence.save(more)
    assert.equal(writes(), 2)
    assert.equal((data.get('ns') as SavedChat).messages.length, 101)

    // An edited message is a new object: written.
    const edited = { ...more, messages: more.messages.map((m, i) => (i === 0 ? { ...m } : m)) }
    await persistence.save(edited)
    assert.equal(writes(), 3)
  })

  describe('a long chat, kept in parts', () => {
    const LONG = SAVED_NEWEST + 2 * SAVED_PART + 150
    const ids = (messages: readonly Message[]) => messages.map((m) => m.id)

    it('keeps the newest in its own record and the rest in parts, read only when asked', async () => {
      const { store, data, writes } = fakeStore()
      const chat = chatOf(LONG)
      await indexedDbPersistence('ns', store).save(chat)
      assert.equal(writes(), 3, 'two parts and the chat')
      assert.deepEqual([...data.keys()].sort(), ['ns', 'ns#older#0', 'ns#older#1'])

      const persistence = indexedDbPersistence('ns', store)
      const saved = (await persistence.load())!
      assert.deepEqual(ids(saved.messages), ids(chat.messages.slice(2 * SAVED_PART)))
      assert.equal('older' in saved, false, 'the record keeps its count of parts to itself')
      const older = await persistence.loadOlder()
      assert.deepEqual(ids([...older, ...saved.messages]), ids(chat.messages))
      assert.deepEqual(await persistence.loadOlder(), [], 'read once')
    })

    it('writes only the chat record for a new message, and a part once one fills', async () => {
      const { store, writes } = fakeStore()
      await indexedDbPersistence('ns', store).save(chatOf(LONG))
      const persistence = indexedDbPersistence('ns', store)
      const saved = (await persistence.load())!
      const all = [...(await persistence.loadOlder()), ...saved.messages]
      const before = writes()
      await persistence.save({ ...saved, messages: [...all, message()] })
      assert.equal(writes(), before + 1, 'the chat record alone')
      const more = Array.from({ length: SAVED_PART }, () => message())
      await persistence.save({ ...saved, messages: [...all, ...more] })
      assert.equal(writes(), before + 3, 'a new part and the chat record')
    })

    it('drops the parts a shorter chat no longer has', async () => {
      const { store, data } = fakeStore()
      const persistence = indexedDbPersistence('ns', store)
      await persistence.save(chatOf(LONG))
      await persistence.save(chatOf(10))
      assert.deepEqual([...data.keys()], ['ns'])
      assert.equal((await indexedDbPersistence('ns', store).load())?.messages.length, 10)
    })

    it('reads a chat saved whole (before parts) whole, and a chat with a part missing in its newest', async () => {
      const { store, data } = fakeStore()
      data.set('ns', chatOf(LONG))
      const whole = indexedDbPersistence('ns', store)
      assert.equal((await whole.load())?.messages.length, LONG)
      assert.deepEqual(await whole.loadOlder(), [])

      await indexedDbPersistence('ns', store).save(chatOf(LONG))
      data.delete('ns#older#1')
      const spoiled = indexedDbPersistence('ns', store)
      assert.equal((await spoiled.load())?.messages.length, LONG - 2 * SAVED_PART)
      assert.deepEqual(await spoiled.loadOlder(), [], 'not a chat with a hole in it')
    })
  })

  it('reads a long chat with its repeated strings shared, the messages unchanged', async () => {
    const { store, data } = fakeStore()
    const chat = chatOf(50)
    data.set('ns', chat)
    const saved = (await indexedDbPersistence('ns', store).load())!
    assert.deepEqual(saved, chat)
    // (A copy from IndexedDB has one string per message; they are one now.)
    const chatIds = new Set(saved.messages.map((m) => m.chatId))
    assert.equal(chatIds.size, 1)
  })

  it('shares strings of every kind of message, leaving null and missing fields alone', () => {
    const messages = [
      message({ agentId: null }),
      message({ subType: 'agent', agentId: 'a1' }),
      message({ subType: 'agent', agentId: 'a1' }),
    ]
    const before = structuredClone(messages)
    shareStrings(messages)
    assert.deepEqual(messages, before)
  })

  it('shares the channel and an empty attachment list, frozen, and keeps what differs apart', () => {
    const messages = structuredClone([
      message({ attachments: [] }),
      message({ attachments: [] }),
      message({ channel: { type: 'default', id: 'web' } }),
      message({ channel: { type: 'default', id: null, extra: 1 } as Message['channel'] }),
    ])
    const before = structuredClone(messages)
    shareStrings(messages)
    assert.deepEqual(messages, before, 'the same values')
    const [a, b, c, d] = messages as [Message, Message, Message, Message]
    assert.equal(a.channel, b.channel, 'one channel object for equal channels')
    assert.notEqual(a.channel, c.channel, 'another for another channel')
    assert.notEqual(a.channel, d.channel, 'a channel with more fields is its own')
    assert.equal(a.attachments, b.attachments, 'one empty attachment list')
    assert.ok(Object.isFrozen(a.channel) && Object.isFrozen(a.attachments), 'shared is frozen')
  })
})
