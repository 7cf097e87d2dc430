import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import type { Message } from '../../src/protocol.ts'
import { type ChatItem, Timeline } from '../../src/store/timeline.ts'
import { message } from '../support/messages.ts'

const ids = (timeline: Timeline) => timeline.list.map((item) => item.message.id)

describe('Timeline', () => {
  it('keeps one copy of a message whichever way it arrives', () => {
    const timeline = new Timeline()
    const m = message()
    assert.deepEqual(timeline.upsert([m]), [m], 'first arrival is new')
    assert.deepEqual(timeline.upsert([m]), [], 'echo is not new')
    timeline.rebuild([m])
    timeline.upsert([{ ...m }])
    assert.deepEqual(ids(timeline), [m.id])
  })

  it('replaces a pending send with the server message, keeping its key and position', () => {
    const timeline = new Timeline()
    const before = message()
    timeline.upsert([before])
    const local = message({
      id: 'local-abc',
      clientId: 'abc',
      createdAt: '2030-01-01T00:00:00.000Z',
    })
    timeline.addPending(local)
    assert.equal(timeline.list.at(-1)?.state, 'sending')

    const stored = message({ clientId: 'abc' })
    // The echo may come before the ack: either way one item, no longer pending.
    assert.deepEqual(timeline.upsert([stored]), [], 'a confirmed pending send is not "new"')
    timeline.upsert([stored])
    assert.deepEqual(ids(timeline), [before.id, stored.id])
    const item = timeline.list.at(-1)!
    assert.equal(item.key, 'abc')
    assert.equal(item.pending, false)
    assert.equal(item.state, 'sent')
  })

  it('orders confirmed messages by server time, ties by arrival, pending last', () => {
    const timeline = new Timeline()
    const a = message({ createdAt: '2026-01-01T00:00:05.000Z' })
    const b = message({ createdAt: '2026-01-01T00:00:05.000Z' })
    const c = message({ createdAt: '2026-01-01T00:00:01.000Z' })
    timeline.addPending(message({ id: 'local-x', clientId: 'x' }))
    timeline.upsert([a, b, c])
    assert.deepEqual(ids(timeline), [c.id, a.id, b.id, 'local-x'])
  })

  it("orders messages of one millisecond by the server's sequence, whatever their arrival", () => {
    const timeline = new Timeline()
    const at = '2026-01-01T00:00:09.000Z'
    const [first, second, third] = [1, 2, 3].map((seq) => message({ createdAt: at, seq }))
    timeline.upsert([third!])
    timeline.upsert([first!, second!]) // a catch-up page arriving after a live message
    assert.deepEqual(ids(timeline), [first!.id, second!.id, third!.id])
  })

  it('rebuilds from a fresh page: drops what the page no longer has, keeps older pages and pending', () => {
    const timeline = new Timeline()
    const old = message()
    const kept = message()
    const gone = message()
    timeline.upsert([old, kept, gone])
    timeline.addPending(message({ id: 'local-p', clientId: 'p' }))
    const fresh = message({ subType: 'agent' })
    const added = timeline.rebuild([kept, fresh])
    assert.deepEqual(added, [fresh])
    assert.deepEqual(ids(timeline), [old.id, kept.id, fresh.id, 'local-p'])
  })

  it('keeps caught-up messages of the same millisecond as the first of a fresh page', () => {
    const timeline = new Timeline()
    const at = '2026-01-01T00:00:07.000Z'
    const [tenth, eleventh, twelfth] = [10, 11, 12].map((seq) => message({ createdAt: at, seq }))
    timeline.upsert([tenth!, eleventh!, twelfth!])
    timeline.rebuild([eleventh!, twelfth!])
    assert.deepEqual(ids(timeline), [tenth!.id, eleventh!.id, twelfth!.id])

    // Without sequence numbers, a tie is kept rather than lost.
    const untimed = new Timeline()
    const [a, b] = [message({ createdAt: at }), message({ createdAt: at })]
    untimed.upsert([a!, b!])
    untimed.rebuild([b!])
    assert.deepEqual(ids(untimed), [a!.id, b!.id])
  })

  it('marks the visitor messages up to the agent read mark as seen', () => {
    const timeline = new Timeline()
    const first = message()
    const second = message()
    timeline.upsert([first, second])
    timeline.markSeen(first.createdAt)
    assert.deepEqual(
      timeline.list.map((item) => item.state),
      ['seen', 'sent'],
    )
  })

  it('marks a failed pending send and back to sending on retry', () => {
    const timeline = new Timeline()
    timeline.addPending(message({ id: 'local-f', clientId: 'f' }))
    timeline.patchPending('f', { state: 'failed', error: 'Too long', retryable: false })
    assert.equal(timeline.list[0]?.state, 'failed')
    assert.equal(timeline.list[0]?.error, 'Too long')
    timeline.patchPending('f', { state: 'sending', progress: { loaded: 5, total: 10 } })
    assert.equal(timeline.list[0]?.state, 'sending')
    assert.deepEqual(timeline.list[0]?.progress, { loaded: 5, total: 10 })
    timeline.removePending('f')
    assert.equal(timeline.list.length, 0)
  })

  it('restores a long chat in one pass, in order, with pending sends after it', () => {
    const timeline = new Timeline()
    timeline.addPending(message({ id: 'local-q', clientId: 'q' }))
    const saved = Array.from({ length: 5000 }, (_, i) => message({ seq: i + 1 }))
    assert.deepEqual(timeline.upsert(saved), saved)
    assert.deepEqual(ids(timeline), [...saved.map((m) => m.id), 'local-q'])
    assert.deepEqual(timeline.upsert(saved.slice(-50)), [], 'a page of known messages is not new')
    assert.equal(timeline.list.length, 5001)
  })

  it('puts the rest of a long restore before its newest part in one pass', () => {
    const timeline = new Timeline()
    const saved = Array.from({ length: 5000 }, (_, i) => message({ seq: i + 1 }))
    timeline.upsert(saved.slice(-100))
    timeline.addPending(message({ id: 'local-q', clientId: 'q' }))
    const before = timeline.list
    timeline.prependOlder(saved.slice(0, -100))
    assert.deepEqual(ids(timeline), [...saved.map((m) => m.id), 'local-q'])
    assert.equal(
      timeline.list.at(-2),
      before.at(-2),
      'the items already held are kept as they were',
    )
  })

  it('prepends older messages exactly as upsert would, whatever they are', () => {
    const pool = Array.from({ length: 8 }, (_, i) =>
      message({
        id: `p${i}`,
        createdAt: `2026-01-01T00:00:0${i % 4}.000Z`,
        ...(i % 3 === 0 ? { seq: i } : {}),
        ...(i % 2 === 0 ? { clientId: `k${i % 4}` } : {}),
      }),
    )
    const batch = fc.array(fc.nat(pool.length - 1), { maxLength: 6 })
    fc.assert(
      fc.property(batch, batch, fc.array(fc.nat(3), { maxLength: 2 }), (held, older, pending) => {
        const fast = new Timeline()
        const slow = new Timeline()
        const locals = pending.map((n) => message({ id: `local-${n}`, clientId: `k${n}` }))
        for (const timeline of [fast, slow]) {
          timeline.upsert(held.map((i) => pool[i]!))
          for (const local of locals) timeline.addPending(local)
        }
        fast.prependOlder(older.map((i) => pool[i]!))
        slow.upsert(older.map((i) => pool[i]!))
        assert.deepEqual(fast.list, slow.list)
      }),
      { numRuns: 500 },
    )
  })

  it('upserts a batch exactly as the one-message-at-a-time list did', () => {
    // Messages of one chat drawn from a small pool, so ids, clientIds and times collide.
    const pool = Array.from({ length: 8 }, (_, i) =>
      message({
        id: `s${i}`,
        createdAt: `2026-01-01T00:00:0${i % 4}.000Z`,
        ...(i % 3 === 0 ? { seq: i } : {}),
        ...(i % 2 === 0 ? { clientId: `c${i % 4}` } : {}),
      }),
    )
    const op = fc.oneof(
      fc.record({ kind: fc.constant('pending' as const), n: fc.nat(3) }),
      fc.record({ kind: fc.constant('remove' as const), n: fc.nat(3) }),
      fc.record({
        kind: fc.constant('upsert' as const),
        batch: fc.array(fc.nat(pool.length - 1), { maxLength: 6 }),
        text: fc.boolean(),
      }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        const timeline = new Timeline()
        const reference = new ReferenceTimeline()
        for (const step of ops) {
          if (step.kind === 'pending') {
            const id = step.n % 2 ? `s${step.n}` : `local-${step.n}` // a local id may even clash
            const local = message({ id, clientId: `c${step.n}` })
            timeline.addPending(local)
            reference.items = [...reference.items, item(local)]
          } else if (step.kind === 'remove') {
            timeline.removePending(`c${step.n}`)
            reference.items = reference.items.filter((i) => !(i.pending && i.key === `c${step.n}`))
          } else {
            const batch = step.batch.map((i) => ({
              ...pool[i]!,
              content: { type: 'text', text: step.text ? 'edited' : 'Hello', data: null },
            }))
            assert.deepEqual(timeline.upsert(batch), reference.upsert(batch))
          }
          assert.deepEqual(timeline.list, reference.items)
        }
      }),
      { numRuns: 500 },
    )
  })
})

const keyOf = (m: Message) => m.clientId ?? m.id
const item = (m: Message): ChatItem => ({
  key: keyOf(m),
  message: m,
  state: 'sending',
  pending: true,
})

/** The upsert of before the restore was made linear: one message at a time over the whole list. */
class ReferenceTimeline {
  items: ChatItem[] = []

  upsert(messages: readonly Message[]): Message[] {
    const fresh: Message[] = []
    let items = this.items
    for (const message of messages) {
      const byId = items.findIndex((i) => i.message.id === message.id)
      const key = keyOf(message)
      if (byId >= 0) {
        items = items
          .map((i, n) => (n === byId ? { ...i, message } : i))
          .filter((i) => !(i.pending && i.key === key))
        continue
      }
      if (!items.some((i) => i.pending && i.key === key)) fresh.push(message)
      items = items.filter((i) => !(i.pending && i.key === key))
      let index = items.length
      while (index > 0) {
        const previous = items[index - 1]!
        if (!previous.pending && notAfter(previous.message, message)) break
        index--
      }
      const entry: ChatItem = { key, message, state: 'sent', pending: false }
      items = [...items.slice(0, index), entry, ...items.slice(index)]
    }
    this.items = items
    return fresh
  }
}

function notAfter(a: Message, b: Message): boolean {
  if (a.seq !== undefined && b.seq !== undefined && a.chatId === b.chatId) return a.seq <= b.seq
  return a.createdAt <= b.createdAt
}
