/**
 * Moves SQLite's write-ahead log into the database file from a worker thread. A checkpoint
 * writes many pages and waits for the disk (fsync); run by the connection that commits —
 * SQLite's automatic checkpoint — it stalled the event loop for milliseconds every few
 * hundred commits, and every message in flight waited (half of the p99 delivery time).
 * A PASSIVE checkpoint takes no lock that writers need, so commits go on meanwhile; the
 * RESTART after it lets the log start over (docs/STORAGE.md).
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * How often the worker checkpoints; the WAL grows by at most what commits in that time (about
 * 12 MB a second at 1,000 messages a second). Its RESTART holds the writers' lock while it
 * copies the last commits and syncs the disk, and a commit that meets it waits in SQLite's busy
 * handler, which sleeps 1, 2, 5… ms on the event loop. Every 250 ms that was the longest part of
 * the p99 commit (1,000 msg/s, 300 visitors, two A/B pairs: commit p99 2.6-2.8 ms vs 1.1 ms each
 * second, server-side delivery p99 4.6-4.8 vs 3.3-3.8 ms); fewer checkpoints also copy each hot
 * page fewer times.
 */
const EVERY_MS = 1000

// Plain CommonJS, so the worker needs no TypeScript loader; the driver path comes resolved.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file, { fileMustExist: true })
db.pragma('busy_timeout = 0')
const checkpoint = () => {
  try {
    const [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)')
    // Everything is in the database file: RESTART (which holds the writers' lock only while it
    // copies what was committed since, usually nothing) has the next commit write the log from
    // its start. After PASSIVE alone, under steady commits, the log only ever grew.
    if (log > 0 && checkpointed === log) db.pragma('wal_checkpoint(RESTART)')
  } catch {
    // Busy (another process's checkpoint) or closing: the next tick tries again.
  }
}
const timer = setInterval(checkpoint, workerData.everyMs)
parentPort.on('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`

export interface Checkpointer {
  /** Stops the worker; the connection's own close then checkpoints what is left. */
  stop(): Promise<void>
}

/**
 * Checkpoints `file` (a WAL database the caller keeps open) every `everyMs`. `onFailure`
 * runs if the worker dies: the caller then checkpoints itself again, or the log would grow
 * without end.
 */
export function startCheckpointer(
  file: string,
  onFailure: (error: unknown) => void,
  everyMs = EVERY_MS,
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, everyMs } })
  // Never what keeps the process alive.
  worker.unref()
  let stopping = false
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      if (!stopping) onFailure(new Error(`checkpoint worker exited (${code})`))
      resolve()
    }),
  )
  worker.on('error', (error) => {
    stopping = true
    onFailure(error)
  })
  return {
    async stop() {
      stopping = true
      // Held until it has closed its connection: the caller closes the last one next.
      worker.ref()
      worker.postMessage('stop')
      await exited
    },
  }
}
