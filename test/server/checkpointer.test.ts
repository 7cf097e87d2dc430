/** SQLite's checkpoints run in a worker thread (server/storage/checkpointer.ts). */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import Database from 'better-sqlite3'
import { startCheckpointer } from '../../server/storage/checkpointer.ts'
import { until } from '../src/helpers.ts'

const dir = mkdtempSync(join(tmpdir(), 'chat-checkpoint-'))
after(() => rmSync(dir, { recursive: true, force: true }))

test('the worker moves committed pages from the log into the database file', async () => {
  const file = join(dir, 'a.db')
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  // As SqliteStorage does: this connection's commits never checkpoint.
  db.pragma('wal_autocheckpoint = 0')
  db.exec('CREATE TABLE t (body TEXT)')
  const failures: unknown[] = []
  const checkpointer = startCheckpointer(file, (error) => failures.push(error))
  try {
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)')
    for (let i = 0; i < 500; i++) insert.run('x'.repeat(4000))
    // 2 MB committed: in the log, and then, moved by the worker, in the database file.
    assert.ok(statSync(`${file}-wal`).size > 2_000_000)
    await until(() => statSync(file).size > 2_000_000, 5000, 'the checkpoint')
    // The next commit starts the log over, as after SQLite's own checkpoints.
    insert.run('y')
    assert.equal((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 501)
  } finally {
    await checkpointer.stop()
    db.close()
  }
  assert.deepEqual(failures, [])
})

test('under steady commits the log starts over instead of growing', async () => {
  const file = join(dir, 'steady.db')
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('wal_autocheckpoint = 0')
  db.exec('CREATE TABLE t (body TEXT)')
  // Several checkpoints within the run (the server's interval is longer).
  const checkpointer = startCheckpointer(file, () => {}, 250)
  try {
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)')
    // A commit a millisecond for 1.5 s, each of three 4 KB pages in the log.
    let commits = 0
    const until = Date.now() + 1500
    while (Date.now() < until) {
      insert.run('x'.repeat(3000))
      commits++
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
    // PASSIVE checkpoints alone never caught up with the commits made while they ran, so the
    // log was never written from its start again: it held every commit of the run (~12 KB
    // each). Started over, it holds what commits between two checkpoints (~250 ms).
    assert.ok(
      statSync(`${file}-wal`).size < commits * 6000,
      `log of ${statSync(`${file}-wal`).size} bytes after ${commits} commits`,
    )
  } finally {
    await checkpointer.stop()
    db.close()
  }
})

test('a worker that cannot open the database reports it, so the caller checkpoints again', async () => {
  // The worker never holds a process open: this test does, while it waits.
  const alive = setInterval(() => {}, 1000)
  try {
    const failed = new Promise<unknown>((resolve) =>
      startCheckpointer(join(dir, 'missing.db'), resolve),
    )
    // (A SqliteError crosses the thread boundary as a plain { code } object.)
    assert.ok(await failed)
  } finally {
    clearInterval(alive)
  }
})
