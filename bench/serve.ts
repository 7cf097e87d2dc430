/**
 * A server for the load parts, in its own process so the 1,000 client sockets of the bench do
 * not share its event loop: `node --import tsx bench/serve.ts ours|relay`. Prints `URL <url>`.
 *
 * - `ours`: the chat server (`createChatServer` through the test helper), SQLite on disk, with
 *   the per-IP connection cap and every rate limit raised so the load is not refused.
 * - `relay`: a bare Socket.IO server on the same path and events that only forwards a visitor's
 *   `chat.message` to the agent socket and an agent's to the visitor, with an ack each.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Server, type Socket } from 'socket.io'
import { AGENT_NAMESPACE, DEFAULT_SOCKET_PATH } from '../src/protocol.ts'
import { startTestServer } from '../test/support/server.ts'
import { BENCH_OVERRIDES } from './overrides.ts'

/** `BENCH_PORT` / `BENCH_DATA_DIR` (bench/connections.ts): a restart on the same port and data. */
const fixedPort = Number(process.env.BENCH_PORT ?? 0)
const fixedDataDir = process.env.BENCH_DATA_DIR

async function ours(): Promise<{ url: string; close(): Promise<void> }> {
  const dataDir = fixedDataDir ?? mkdtempSync(join(tmpdir(), 'chat-bench-'))
  const server = await startTestServer({ dataDir, port: fixedPort, ...BENCH_OVERRIDES })
  return {
    url: server.url,
    async close() {
      await server.close()
      if (!fixedDataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

type Ack = (error: null, result: unknown) => void

async function relay(): Promise<{ url: string; close(): Promise<void> }> {
  const http = createServer()
  const io = new Server(http, { path: DEFAULT_SOCKET_PATH, maxHttpBufferSize: 256 * 1024 })
  const visitors = io.of('/')
  let agent: Socket | null = null
  io.of(AGENT_NAMESPACE).on('connection', (socket) => {
    agent = socket
    socket.on('agent.connect', (_data: unknown, ack?: Ack) => ack?.(null, {}))
    socket.on('chat.message', (data: { chatId: string; content: unknown }, ack?: Ack) => {
      const message = { chatId: data.chatId, content: data.content }
      visitors.sockets.get(data.chatId)?.emit('chat.message_received', { message })
      ack?.(null, message)
    })
  })
  visitors.on('connection', (socket) => {
    socket.on('visitor.connect', (_data: unknown, ack?: Ack) => ack?.(null, {}))
    socket.on('chat.message', (data: { content: unknown }, ack?: Ack) => {
      const message = { chatId: socket.id, content: data.content }
      agent?.emit('chat.message_received', { message })
      ack?.(null, message)
    })
  })
  await new Promise<void>((resolve) => http.listen(fixedPort, '127.0.0.1', resolve))
  const address = http.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { url: `http://127.0.0.1:${port}`, close: () => io.close() }
}

const kind = process.argv[2]
const server = kind === 'ours' ? await ours() : kind === 'relay' ? await relay() : null
if (!server) throw new Error('usage: bench/serve.ts ours|relay')
console.log(`URL ${server.url}`)
// Asked over IPC by bench/rig.ts: this process's CPU time (`cpu`), and with its memory after a
// full GC when started with --expose-gc (`stats`), for the per-message and per-connection figures.
process.on('message', (message) => {
  if (message === 'cpu') return process.send?.({ cpu: process.cpuUsage() })
  if (message !== 'stats') return
  ;(globalThis as { gc?: () => void }).gc?.()
  const { rss, heapUsed } = process.memoryUsage()
  process.send?.({ cpu: process.cpuUsage(), rss, heap: heapUsed })
})
const stop = () => server.close().then(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
