import assert from 'node:assert/strict'
import { test } from 'node:test'
import { newId, newSortableId } from '../../server/ids.ts'

test('ids are 128-bit base64url and never repeat, across refills of the entropy pool', () => {
  // 10,000 ids of 16 bytes use the 4 KB pool about 40 times over.
  const ids = new Set<string>()
  for (let i = 0; i < 10_000; i++) {
    const id = newId()
    assert.match(id, /^[A-Za-z0-9_-]{22}$/)
    ids.add(id)
  }
  assert.equal(ids.size, 10_000)
  assert.match(newId(32), /^[A-Za-z0-9_-]{43}$/)
  assert.match(newId(8192), /^[A-Za-z0-9_-]+$/)
})

test('sortable ids sort by their millisecond, then at random, and stay unguessable', () => {
  const times = [0, 1, 35, 36, 1_700_000_000_000, Date.now(), 36 ** 9 - 1]
  const ids = times.map((time) => newSortableId(time))
  for (const id of ids) assert.match(id, /^[0-9a-z]{9}[A-Za-z0-9_-]{22}$/)
  // Plain string order (SQLite's BINARY collation, JavaScript's sort) is time order.
  assert.deepEqual([...ids].reverse().sort(), ids)
  const sameMillisecond = new Set(Array.from({ length: 1000 }, () => newSortableId(42)))
  assert.equal(sameMillisecond.size, 1000)
})
