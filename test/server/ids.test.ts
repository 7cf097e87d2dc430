import assert from 'node:assert/strict'
import { test } from 'node:test'
import { newId } from '../../server/ids.ts'

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
