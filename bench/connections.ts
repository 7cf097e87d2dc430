/**
 * Idle connections, a reconnect storm and the scaling curve (issue 6, items 6 and 7).
 *
 * - sockets: N idle visitors (`visitor.connect`, nothing else) on our server and on the bare
 *   Socket.IO relay, each in its own process: the server's RSS growth per connection (after a
 *   full GC) against the relay's. Then the server is killed (SIGKILL) and restarted on the same
 *   port and data: every visitor reconnects with the widget's backoff (1 s doubling to 10 s,
 *   ±50% jitter) and says `visitor.connect` with its id again; the time until all are back,
 *   and every error on the way, are counted. Our server keeps its default limits here
 *   (50 connections per IP, the request buckets): the visitors come from 127.0.0.1–250, at
 *   most 40 per address, as many sites' visitors would, so a limit that turned the storm into
 *   a refusal loop would show.
 * - scaling: our server with 1k / 2k visitors (`--full`: 1k / 5k / 10k) in chats with the
 *   agent, a paced run each: server CPU per message and RSS per connection, the 1k figure as
 *   the baseline, so growth shows as a ratio.
 *
 * N is 2,000 in quick mode and 10,000 with `--full`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { io, type Socket } from 'socket.io-client'
import { DEFAULT_SOCKET_PATH } from '../src/protocol.ts'
import { BENCH_AGENT_TOKEN } from './overrides.ts'
import { addNote, addRow, check, ms } from './report.ts'
import { connectRig, pacedRun, type ServerProcess, startServerProcess } from './rig.ts'

const FULL = process.argv.includes('--full')
const IDLE = FULL ? 10_000 : 2_000
const CURVE = FULL ? [1000, 5000, 10_000] : [1000, 2000]
const CURVE_RATE = 1000
const CURVE_SECONDS = 5
/** Client addresses 127.0.0.1 … 127.0.0.ADDRESSES. */
const ADDRESSES = 250
const STORM_LIMIT_MS = 30_000
const STORM_TIMEOUT_MS = 90_000
/** The widget's reconnect settings (src/client/visitor-client.ts). */
const BACKOFF = { reconnectionDelay: 1000, reconnectionDelayMax: 10_000, randomizationFactor: 0.5 }

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

/** An idle visitor: connected, `visitor.connect`ed, and again after every reconnect. */
interface IdleVisitor {
  socket: Socket
  visitorId: string | null
  /** Set when the last `visitor.connect` was answered without error. */
  ready: boolean
}

interface Counters {
  /** `connect_error` events (the server down, or a handshake refused). */
  connectErrors: number
  /** Of those, refusals by a running server (not "connection refused" while it was down). */
  refusals: number
  /** `visitor.connect` answered with an error, or not at all within 20 s. */
  connectFailures: number
  /** Reconnect attempts made. */
  attempts: number
}

function openIdle(url: string, i: number, counters: Counters, onReady: () => void): IdleVisitor {
  const socket = io(url, {
    path: DEFAULT_SOCKET_PATH,
    transports: ['websocket'],
    forceNew: true,
    localAddress: `127.0.0.${1 + (i % ADDRESSES)}`,
    ...BACKOFF,
  } as Parameters<typeof io>[1])
  const visitor: IdleVisitor = { socket, visitorId: null, ready: false }
  socket.on('connect', () => {
    socket
      .timeout(20_000)
      .emit(
        'visitor.connect',
        { id: visitor.visitorId, key: 'demo' },
        (timeout: Error | null, error: unknown, data?: { visitor?: { id: string } }) => {
          if (timeout || error) {
            counters.connectFailures++
            return
          }
          visitor.visitorId = data?.visitor?.id ?? visitor.visitorId
          visitor.ready = true
          onReady()
        },
      )
  })
  socket.on('disconnect', () => {
    visitor.ready = false
  })
  socket.on('connect_error', (error: Error & { description?: unknown }) => {
    counters.connectErrors++
    const text = `${error.message} ${String((error.description as Error)?.message ?? '')}`
    if (!/ECONNREFUSED|ECONNRESET|websocket error/i.test(text)) counters.refusals++
  })
  socket.io.on('reconnect_attempt', () => {
    counters.attempts++
  })
  return visitor
}

const newCounters = (): Counters => ({
  connectErrors: 0,
  refusals: 0,
  connectFailures: 0,
  attempts: 0,
})

/** Resolves when `done()` holds, checking each 50 ms; false after `timeoutMs`. */
async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  while (!done()) {
    if (performance.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return true
}

/** N idle visitors on `url`, opened 200 at a time. */
async function connectIdle(url: string, count: number, counters: Counters) {
  const visitors: IdleVisitor[] = []
  let ready = 0
  for (let start = 0; start < count; start += 200) {
    const end = Math.min(count, start + 200)
    for (let i = start; i < end; i++) visitors.push(openIdle(url, i, counters, () => ready++))
    if (!(await until(() => ready >= end, 60_000)))
      throw new Error(`only ${ready} of ${end} visitors connected`)
  }
  return visitors
}

interface IdleResult {
  perConnection: number
  storm?: { ms: number; back: number; counters: Counters; downMs: number }
}

async function idle(kind: 'ours' | 'relay', storm: boolean): Promise<IdleResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-bench-sockets-'))
  // Default limits for ours (see the header); the relay has none.
  const env: Record<string, string> = { BENCH_DATA_DIR: dataDir, BENCH_LIMITS: 'default' }
  let server: ServerProcess = await startServerProcess(kind, env)
  const counters = newCounters()
  let visitors: IdleVisitor[] = []
  try {
    const before = await server.stats()
    const t = performance.now()
    visitors = await connectIdle(server.url, IDLE, counters)
    // Let the handshakes' garbage go before measuring.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const after = await server.stats()
    const perConnection = (after.rss - before.rss) / IDLE
    console.log(
      `  ${kind}: ${IDLE} idle visitors in ${ms(performance.now() - t)}, RSS ${kb(before.rss)} → ${kb(after.rss)}, ${kb(perConnection)}/conn (JS heap ${kb((after.heap - before.heap) / IDLE)}/conn)`,
    )
    if (!storm) return { perConnection }

    const port = new URL(server.url).port
    Object.assign(counters, newCounters())
    const down = performance.now()
    await server.kill()
    server = await startServerProcess(kind, { ...env, BENCH_PORT: port })
    const up = performance.now()
    const ok = await until(() => visitors.every((v) => v.ready), STORM_TIMEOUT_MS)
    const back = visitors.filter((v) => v.ready).length
    const result = {
      ms: performance.now() - up,
      back,
      counters: { ...counters },
      downMs: up - down,
    }
    console.log(
      `  ${kind}: restart (down ${ms(result.downMs)}): ${back}/${IDLE} back in ${ms(result.ms)}${ok ? '' : ' (timed out)'}; connect errors ${counters.connectErrors} (refusals by the server ${counters.refusals}), visitor.connect failures ${counters.connectFailures}, reconnect attempts ${counters.attempts}`,
    )
    return { perConnection, storm: result }
  } finally {
    for (const visitor of visitors) visitor.socket.close()
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

export async function runSockets(): Promise<void> {
  const relay = await idle('relay', false)
  const ours = await idle('ours', true)
  addRow({
    part: 'sockets',
    what: `RSS per idle visitor, ${IDLE / 1000}k sockets`,
    value: kb(ours.perConnection),
    baseline: `bare Socket.IO ${kb(relay.perConnection)}`,
    ratio: ours.perConnection / relay.perConnection,
    target: '≤ 1.3× Socket.IO',
    status: check(ours.perConnection / relay.perConnection, 1.3),
  })
  const storm = ours.storm!
  addRow({
    part: 'sockets',
    what: `reconnect storm, ${IDLE / 1000}k visitors after a kill -9`,
    value: storm.back === IDLE ? `${(storm.ms / 1000).toFixed(1)} s` : `${storm.back}/${IDLE} back`,
    baseline: '—',
    ratio: null,
    target: `≤ ${STORM_LIMIT_MS / 1000} s`,
    status: storm.back === IDLE ? check(storm.ms, STORM_LIMIT_MS) : 'MISS',
  })
  addRow({
    part: 'sockets',
    what: 'storm: refusals / visitor.connect failures',
    value: `${storm.counters.refusals} / ${storm.counters.connectFailures}`,
    baseline: '—',
    ratio: null,
    target: '0 / 0',
    status: storm.counters.refusals + storm.counters.connectFailures === 0 ? 'PASS' : 'MISS',
  })
  addNote(
    `sockets: ${IDLE} raw socket.io-client visitors (websocket) from 127.0.0.1–${ADDRESSES}, each after one visitor.connect; RSS of the server process after a full GC, before and after connecting; our server with its default limits, SQLite on disk`,
  )
  addNote(
    `sockets: storm = our server killed (SIGKILL) with every visitor connected and restarted on the same port and data (down ${ms(storm.downMs)}, mostly the process's start); clients reconnect with the widget's backoff (1 s ×2 up to 10 s, ±50%) and send visitor.connect with their id; time from the new process listening until all ${IDLE} answered; ${storm.counters.connectErrors} connect errors in all, ${storm.counters.attempts} reconnect attempts (errors while the server was down are "connection refused", not counted as refusals)`,
  )
}

export async function runScaling(): Promise<void> {
  const points: Array<{ visitors: number; cpuUs: number; rssPerConnection: number }> = []
  for (const visitors of CURVE) {
    const server = await startServerProcess('ours')
    try {
      const empty = await server.stats()
      const rig = await connectRig([server.url], server.url, BENCH_AGENT_TOKEN, visitors)
      try {
        const connected = await server.stats()
        const run = await pacedRun(rig, CURVE_RATE, CURVE_SECONDS)
        const after = await server.cpuUs()
        const point = {
          visitors,
          cpuUs: (after - connected.cpuUs) / run.sent,
          rssPerConnection: (connected.rss - empty.rss) / visitors,
        }
        points.push(point)
        console.log(
          `  ${visitors} visitors: ${point.cpuUs.toFixed(0)} µs CPU/msg, ${kb(point.rssPerConnection)}/conn, lost ${run.lost}/${run.sent}`,
        )
      } finally {
        rig.close()
      }
    } finally {
      await server.stop()
    }
  }
  const [first, ...rest] = points
  for (const point of rest) {
    addRow({
      part: 'scaling',
      what: `CPU per message, ${point.visitors / 1000}k visitors`,
      value: `${point.cpuUs.toFixed(0)} µs`,
      baseline: `1k ${first!.cpuUs.toFixed(0)} µs`,
      ratio: point.cpuUs / first!.cpuUs,
      target: 'flat',
      status: 'info',
    })
    addRow({
      part: 'scaling',
      what: `RSS per connection, ${point.visitors / 1000}k visitors`,
      value: kb(point.rssPerConnection),
      baseline: `1k ${kb(first!.rssPerConnection)}`,
      ratio: point.rssPerConnection / first!.rssPerConnection,
      target: 'flat',
      status: 'info',
    })
  }
  addNote(
    `scaling: our server with ${CURVE.join(' / ')} visitors, each in a chat the agent joined, paced ${CURVE_RATE} msg/s for ${CURVE_SECONDS} s; CPU = the server process's user + system time per message sent; RSS per connection = growth from the empty server to all connected, after a full GC (a connection here is a visitor with a chat, not an idle socket)`,
  )
}
