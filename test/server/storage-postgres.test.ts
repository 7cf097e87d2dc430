/**
 * The Storage interface on PostgreSQL: the shared cases (test/support/storage-suite.ts),
 * each in a fresh schema dropped afterwards, plus migrating. Skips without PostgreSQL
 * unless `CI=true` (then it fails); see test/support/postgres.ts for the URL.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { openPostgresStorage } from '../../server/storage/postgres.ts'
import { createTestSchema, requirePostgres, type TestSchema } from '../support/postgres.ts'
import { assertCounted, seedCountedChat, storageSuite } from '../support/storage-suite.ts'

const db = await requirePostgres()
const skip = 'skip' in db ? { skip: db.skip } : {}
const schemas: TestSchema[] = []
let current: TestSchema | null = null

after(async () => {
  for (const schema of schemas.splice(0)) await schema.drop()
})

async function freshSchema(): Promise<TestSchema> {
  if (!db.url) throw new Error('unreachable: skipped without PostgreSQL')
  const schema = await createTestSchema(db.url)
  schemas.push(schema)
  return schema
}

storageSuite(
  'PostgresStorage',
  async () => {
    current = await freshSchema()
    return openPostgresStorage(current.url)
  },
  {
    another: () => openPostgresStorage(current!.url),
    seqs: async (chatId) =>
      (await current!.sql`SELECT seq FROM messages WHERE chat_id = ${chatId} ORDER BY seq`).map(
        (row) => row.seq as number,
      ),
    ...skip,
  },
)

describe('PostgresStorage migrations', skip, () => {
  test('nodes starting together migrate once; data survives reopening', async () => {
    const schema = await freshSchema()
    const nodes = await Promise.all([1, 2, 3].map(() => openPostgresStorage(schema.url)))
    const versions = await schema.sql`SELECT version FROM schema_migrations ORDER BY version`
    assert.deepEqual(
      versions.map((row) => row.version),
      [1, 2, 3],
    )
    await nodes[0]!.saveAccount({
      id: 'a',
      key: 'k',
      name: 'N',
      secret: 's',
      allowedOrigins: [],
      createdAt: 'x',
    })
    await Promise.all(nodes.map((node) => node.close()))
    const again = await openPostgresStorage(schema.url)
    assert.equal((await again.getAccountByKey('k'))?.name, 'N')
    await again.ping()
    await again.close()
    await assert.rejects(again.ping())
  })

  test('migration 3 fills the chat counters of an older database', async () => {
    const schema = await freshSchema()
    const first = await openPostgresStorage(schema.url)
    const expected = await seedCountedChat(first)
    await first.close()
    // Back to version 2: the columns of migration 3 did not exist.
    await schema.sql`ALTER TABLE chats DROP COLUMN unread_by_visitor, DROP COLUMN unread_by_agent,
      DROP COLUMN last_body, DROP COLUMN has_offline`
    await schema.sql`DELETE FROM schema_migrations WHERE version = 3`
    const second = await openPostgresStorage(schema.url)
    const chat = await second.getChat('c')
    await second.close()
    assert.deepEqual(chat, expected)
    assertCounted(chat)
  })

  test('a NUL in text is stored as U+FFFD, and a lookup with one finds nothing', async () => {
    const schema = await freshSchema()
    const storage = await openPostgresStorage(schema.url)
    try {
      assert.equal(await storage.getAccountByKey('a\u0000b'), null)
      await storage.saveAccount({
        id: 'a',
        key: 'k',
        name: 'N\u0000',
        secret: 's',
        allowedOrigins: ['\u0000'],
        createdAt: 'x',
      })
      const account = await storage.getAccount('a')
      assert.equal(account?.name, 'N\uFFFD')
      assert.deepEqual(account?.allowedOrigins, ['\u0000'])
    } finally {
      await storage.close()
    }
  })
})
