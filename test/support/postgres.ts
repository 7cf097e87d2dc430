/**
 * PostgreSQL for tests: finds a server that answers and gives each run its own schema
 * (`test_<random>`, reached through `?search_path=` in the URL), so parallel runs never
 * share tables. Without PostgreSQL the tests skip with a message; with `CI=true` they fail.
 *
 * `DATABASE_URL` names the server; else `postgres://postgres@127.0.0.1:5432/test`, then
 * the same as `root`.
 */
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'

const CANDIDATES = process.env.DATABASE_URL
  ? [process.env.DATABASE_URL]
  : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test']

export type TestDatabase = { url: string } | { url: null; reason: string }

let found: Promise<TestDatabase> | null = null

/** The first URL that answers `SELECT 1` (cached), or why none did. */
export function findTestDatabase(): Promise<TestDatabase> {
  found ??= (async () => {
    const errors: string[] = []
    for (const url of CANDIDATES) {
      const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} })
      try {
        await sql`SELECT 1`
        return { url }
      } catch (err) {
        errors.push(`${redact(url)}: ${(err as Error).message}`)
      } finally {
        await sql.end({ timeout: 1 })
      }
    }
    return { url: null, reason: `no PostgreSQL answers (${errors.join('; ')})` }
  })()
  return found
}

/** `skip` option for node:test when PostgreSQL is missing; throws instead in CI. */
export async function requirePostgres(): Promise<{ url: string } | { url: null; skip: string }> {
  const db = await findTestDatabase()
  if (!('reason' in db)) return db
  if (process.env.CI === 'true')
    throw new Error(`PostgreSQL is required in CI (set DATABASE_URL): ${db.reason}`)
  return { url: null, skip: `PostgreSQL tests skipped: ${db.reason}` }
}

export interface TestSchema {
  name: string
  /** The base URL with `search_path` set to this schema. */
  url: string
  /** Reads this schema directly (white-box checks). Ended by `drop()`, which runs once. */
  sql: postgres.Sql
  drop(): Promise<void>
}

/** Creates an empty schema on the server at `baseUrl`. */
export async function createTestSchema(baseUrl: string): Promise<TestSchema> {
  const name = `test_${randomBytes(6).toString('hex')}`
  const url = new URL(baseUrl)
  url.searchParams.set('search_path', name)
  const sql = postgres(url.toString(), { max: 2, onnotice: () => {} })
  await sql`CREATE SCHEMA ${sql(name)}`
  let dropped: Promise<void> | null = null
  return {
    name,
    url: url.toString(),
    sql,
    drop() {
      dropped ??= (async () => {
        await sql`DROP SCHEMA IF EXISTS ${sql(name)} CASCADE`
        await sql.end({ timeout: 1 })
      })()
      return dropped
    },
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
}
