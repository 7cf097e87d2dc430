/** The Storage interface directly, on SQLite (the shared cases live in test/support/storage-suite.ts). */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import Database from 'better-sqlite3'
import { openSqliteStorage } from '../../server/storage/sqlite.ts'
import { storageSuite } from '../support/storage-suite.ts'

storageSuite('SqliteStorage (:memory:)', async () => openSqliteStorage({ inMemory: true }))

// A file opened twice: two connections on one database, like two processes on one disk.
const dirs: string[] = []
after(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
storageSuite(
  'SqliteStorage (file, two connections)',
  async () => {
    dirs.push(mkdtempSync(join(tmpdir(), 'chat-storage-')))
    return openSqliteStorage({ dataDir: dirs.at(-1)! })
  },
  {
    another: async () => openSqliteStorage({ dataDir: dirs.at(-1)! }),
    seqs: async (chatId) => {
      const db = new Database(join(dirs.at(-1)!, 'chat.db'), { readonly: true })
      try {
        const rows = db
          .prepare('SELECT seq FROM messages WHERE chat_id = ? ORDER BY seq')
          .all(chatId)
        return rows.map((row) => (row as { seq: number }).seq)
      } finally {
        db.close()
      }
    },
  },
)

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
