/** The Storage interface directly, on SQLite (the shared cases live in test/support/storage-suite.ts). */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { openSqliteStorage } from '../../server/storage/sqlite.ts'
import { storageSuite } from '../support/storage-suite.ts'

storageSuite('SqliteStorage (:memory:)', async () => openSqliteStorage({ inMemory: true }))

describe('SqliteStorage (file)', () => {
  test('data survives reopening; migrations run once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chat-storage-'))
    try {
      const first = openSqliteStorage({ dataDir: dir })
      await first.saveAccount({
        id: 'a',
        key: 'k',
        name: 'N',
        secret: 's',
        allowedOrigins: [],
        createdAt: 'x',
      })
      await first.close()
      const second = openSqliteStorage({ dataDir: dir })
      assert.equal((await second.getAccountByKey('k'))?.name, 'N')
      await second.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
