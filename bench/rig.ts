/**
 * Load tools shared by the latency, throughput and cluster parts: a server process to start, a
 * rig of N raw visitor sockets plus one agent socket, and a paced run that measures each
 * message's delivery time (emit on one socket → `chat.message_received` on the other).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { io, type Socket } from 'socket.io-client'
import { AGENT_NAMESPACE, DEFAULT_SOCKET_PATH } from '../src/protocol.ts'

const root = join(import.meta.dirname, '..')

/** What a server process reports about itself (bench/serve.ts, over IPC). */
export interface ServerStats {
  /** CPU time used so far, user + system, in µs. */
  cpuUs: number
  /** Resident memory in bytes, after a full GC. */
  rss: number
  /** Of that, the JavaScript heap in use. */
  heap: number
}

export interface ServerProcess {
  url: string
  /** CPU time and memory, after a full GC: for memory figures, between measured runs only. */
  stats(): Promise<ServerStats>
  /**
   * CPU time so far (user + system, µs), with no GC: a full collection forced between the
   * latency slices was counted in their CPU and left the old generation's limit low, so the
   * next slice met a major GC of its own (a third of the worst 1% of deliveries).
   */
  cpuUs(): Promise<number>
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>
  /** SIGKILL at once: a crash. */
  kill(): Promise<void>
}

/**
 * Runs `bench/serve.ts <kind>` and waits for its `URL` line. `env` is added to the
 * child's environment (`BENCH_PORT`, `BENCH_DATA_DIR`: see bench/serve.ts).
 */
export async function startServerProcess(
  kind: 'ours' | 'relay',
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      // `BENCH_PROFILE=/some/dir`: each server process writes a V8 CPU profile there on exit.
      ...(process.env.BENCH_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
        : []),
      '--import',
      'tsx',
      'bench/serve.ts',
      kind,
    ],
    {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  )
  const url = await waitForLine(child, /^URL (\S+)/m, kind)
  return {
    url,
    async stats() {
      const reply = await askServer(child, kind, 'stats')
      return { cpuUs: cpuUsOf(reply), rss: reply.rss!, heap: reply.heap! }
    },
    cpuUs: async () => cpuUsOf(await askServer(child, kind, 'cpu')),
    stop: () => stopChild(child),
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
    },
  }
}

/** What bench/serve.ts answers over IPC: its CPU time, and its memory when asked for `stats`. */
interface StatsReply {
  cpu: NodeJS.CpuUsage
  rss?: number
  heap?: number
}

function askServer(child: ChildProcess, kind: string, what: 'stats' | 'cpu'): Promise<StatsReply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind}: no ${what}`)), 30_000)
    child.once('message', (message) => {
      clearTimeout(timer)
      resolve(message as StatsReply)
    })
    child.send(what)
  })
}

const cpuUsOf = ({ cpu }: StatsReply) => cpu.user + cpu.system

/** The first capture of `pattern` in the child's output, or the output when it exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp, name: string): Promise<string> {
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 30_000)
    const read = (chunk: Buffer) => {
      output += chunk
      const found = pattern.exec(output)
      if (found) {
        clearTimeout(timer)
        resolve(found[1]!)
      }
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}):\n${output}`)))
  })
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

function ask<T>(socket: Socket, event: string, data: unknown, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No ack for ${event}`)), timeoutMs)
    socket.emit(event, data, (error: { message: string } | null, result: T) => {
      clearTimeout(timer)
      if (error) reject(new Error(`${event}: ${error.message}`))
      else resolve(result)
    })
  })
}

function open(url: string, localAddress: string, token?: string): Promise<Socket> {
  const socket = io(url, {
    path: DEFAULT_SOCKET_PATH,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    localAddress,
    ...(token !== undefined && { auth: { token } }),
  } as Parameters<typeof io>[1])
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', reject)
  })
}

interface Visitor {
  socket: Socket
  chatId: string
}

export interface Rig {
  visitors: Visitor[]
  agent: Socket
  close(): void
}

/**
 * `count` visitors (`visitor.connect`, then one message each so their chats exist), spread over
 * `visitorUrls` and over 127.0.0.1–4 as client addresses, in batches of 100; one agent on
 * `agentUrl` that has written once in every chat (so it has joined them all).
 */
export async function connectRig(
  visitorUrls: string[],
  agentUrl: string,
  agentToken: string,
  count: number,
): Promise<Rig> {
  const sockets: Socket[] = []
  const close = () => {
    for (const socket of sockets) socket.close()
  }
  try {
    const agent = await open(`${agentUrl}${AGENT_NAMESPACE}`, '127.0.0.1', agentToken)
    sockets.push(agent)
    await ask(agent, 'agent.connect', null)
    const visitors: Visitor[] = []
    for (let start = 0; start < count; start += 100) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(100, count - start) }, async (_, j) => {
          const i = start + j
          const socket = await open(visitorUrls[i % visitorUrls.length]!, `127.0.0.${1 + (i % 4)}`)
          sockets.push(socket)
          await ask(socket, 'visitor.connect', { id: null, key: 'demo' })
          const message = await ask<{ chatId: string }>(socket, 'chat.message', {
            content: { type: 'text', text: 'hello' },
          })
          await ask(agent, 'chat.message', {
            chatId: message.chatId,
            content: { type: 'text', text: 'hi' },
          })
          return { socket, chatId: message.chatId }
        }),
      )
      visitors.push(...batch)
    }
    return { visitors, agent, close }
  } catch (error) {
    close()
    throw error
  }
}

export interface RunResult {
  /** Delivery times in ms, visitor → agent and agent → visitor. */
  v2a: number[]
  a2v: number[]
  sent: number
  /** Sent but not delivered within the grace period. */
  lost: number
  /** Acks with an error. */
  errors: number
  /** Messages delivered per second of the run. */
  achieved: number
}

let runId = 0

/**
 * Sends `rate` messages per second for `seconds`, alternating visitor → agent (round robin over
 * the visitors) and agent → visitor, paced on a 5 ms tick against the wall clock (an open loop:
 * a slow server does not slow the sender). Then waits up to 2 s for stragglers.
 */
export async function pacedRun(rig: Rig, rate: number, seconds: number): Promise<RunResult> {
  const tag = `b${++runId}:`
  const pending = new Map<number, number>()
  const v2a: number[] = []
  const a2v: number[] = []
  let errors = 0
  const received = (into: number[]) => (event: { message: { content: { text?: string } } }) => {
    const text = event.message.content.text
    if (!text?.startsWith(tag)) return
    const n = Number(text.slice(tag.length))
    // Agents also hear the echo of their own messages: count only the other side's.
    if ((n % 2 === 0) !== (into === v2a)) return
    const sentAt = pending.get(n)
    if (sentAt === undefined) return
    pending.delete(n)
    into.push(performance.now() - sentAt)
  }
  const onAgent = received(v2a)
  const onVisitor = received(a2v)
  rig.agent.on('chat.message_received', onAgent)
  for (const v of rig.visitors) v.socket.on('chat.message_received', onVisitor)
  const onAck = (error: unknown) => {
    if (error) errors++
  }

  const total = Math.round(rate * seconds)
  const started = performance.now()
  let sent = 0
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000))
    for (; sent < due; sent++) {
      const visitor = rig.visitors[Math.floor(sent / 2) % rig.visitors.length]!
      const content = { type: 'text', text: `${tag}${sent}` }
      // A clientId on every send, as the widget's SDK and the agent console do: the server
      // then also keeps the (author, clientId) index that makes a retry return the stored one.
      const clientId = randomUUID()
      pending.set(sent, performance.now())
      if (sent % 2 === 0) visitor.socket.emit('chat.message', { content, clientId }, onAck)
      else rig.agent.emit('chat.message', { chatId: visitor.chatId, content, clientId }, onAck)
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  const sendTime = performance.now() - started
  const deadline = performance.now() + 2000
  while (pending.size > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  rig.agent.off('chat.message_received', onAgent)
  for (const v of rig.visitors) v.socket.off('chat.message_received', onVisitor)
  const delivered = v2a.length + a2v.length
  return {
    v2a,
    a2v,
    sent,
    lost: pending.size,
    errors,
    achieved: (delivered * 1000) / Math.max(sendTime, 1000 * seconds),
  }
}
