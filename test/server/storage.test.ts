/** The Storage interface directly, on SQLite (the shared cases live in test/support/storage-suite.ts). */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { newId } from '../../server/ids.ts'
import { createMessage, textContent } from '../../server/messages.ts'
import { openSqliteStorage } from '../../server/storage/sqlite.ts'
import {
  accountWithVisitor,
  assertCounted,
  seedCountedChat,
  storageSuite,
} from '../support/storage-suite.ts'

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

  test('a write lock held by another connection delays a transaction that reads first, never fails it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chat-storage-'))
    const storage = openSqliteStorage({ dataDir: dir })
    try {
      const at = await accountWithVisitor(storage)
      // Another thread holds the write lock for 200 ms, as the checkpointer's RESTART does briefly.
      const holder = new Worker(
        `const { parentPort, workerData } = require('node:worker_threads')
        const db = new (require(workerData.driver))(workerData.file)
        db.exec('BEGIN IMMEDIATE')
        parentPort.postMessage('locked')
        setTimeout(() => { db.exec('COMMIT'); db.close() }, 200)`,
        {
          eval: true,
          workerData: {
            file: join(dir, 'chat.db'),
            driver: createRequire(import.meta.url).resolve('better-sqlite3'),
          },
        },
      )
      const exited = new Promise((resolve) => holder.once('exit', resolve))
      await new Promise((resolve) => holder.once('message', resolve))
      // ensureOpenChat reads the visitor, then inserts: deferred, that write was SQLITE_BUSY at once.
      const { chat, created } = await storage.ensureOpenChat('v', newId(), at)
      assert.equal(created, true)
      const appended = await storage.addMessage(
        createMessage({
          chatId: chat.id,
          visitorId: 'v',
          subType: 'contact',
          content: textContent('hi'),
        }),
        { authorId: 'v', clientId: 'c1' },
      )
      assert.equal(appended.created, true)
      await exited
    } finally {
      await storage.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('an append asked withVisitor answers the chat and its visitor as stored at the append', async () => {
    const storage = openSqliteStorage({ inMemory: true })
    try {
      const at = await accountWithVisitor(storage)
      const { chat } = await storage.ensureOpenChat('v', newId(), at)
      await storage.updateVisitor('v', { name: 'Ann' }, at)
      const add = (text: string, withVisitor?: boolean) =>
        storage.addMessage(
          createMessage({
            chatId: chat.id,
            visitorId: 'v',
            subType: 'agent',
            content: textContent(text),
          }),
          undefined,
          withVisitor === undefined ? undefined : { withVisitor },
        )
      const first = await add('one', true)
      assert.deepEqual(first.visitor, await storage.getVisitor('v'))
      assert.equal(first.visitor?.name, 'Ann')
      assert.equal(first.chat?.lastMessage?.id, first.message.id)
      assert.equal(first.chat?.unreadByVisitor, 1)
      assert.equal((await add('two')).visitor, undefined)
      assert.equal((await add('three', false)).visitor, undefined)
    } finally {
      await storage.close()
    }
  })

  test('migration 4 fills the chat counters of an older database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chat-storage-'))
    try {
      const first = openSqliteStorage({ dataDir: dir })
      const expected = await seedCountedChat(first)
      await first.close()
      // Back to version 3: the columns of migration 4 did not exist.
      const raw = new Database(join(dir, 'chat.db'))
      for (const column of ['unread_by_visitor', 'unread_by_agent', 'last_body', 'has_offline'])
        raw.exec(`ALTER TABLE chats DROP COLUMN ${column}`)
      raw.pragma('user_version = 3')
      raw.close()
      const second = openSqliteStorage({ dataDir: dir })
      const chat = await second.getChat('c')
      await second.close()
      assert.deepEqual(chat, expected)
      assertCounted(chat)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
