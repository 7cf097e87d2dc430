/**
 * Fuzz: every visitor and agent event with random and malformed payloads (wrong types,
 * nulls, huge strings, deep nesting, odd unicode, extra arguments, no ack) and random
 * disconnects, against one live server. Then: the server still answers a fresh visitor,
 * every ack was a result or a well-formed error, no (visitor, clientId) was stored
 * twice, and a control visitor chatting alongside (another account, another IP) never
 * noticed. Seeded: `FUZZ_SEED=<n>` replays a run; the seed is printed on failure.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import type { Socket } from 'socket.io-client'
import type { AgentChat, ChatHistoryResult, Message } from '../../src/protocol.ts'
import {
  addTestAccount,
  connectAgent,
  connectVisitor,
  openAgentSocket,
  openVisitorSocket,
  request,
  sleep,
  useTestServer,
} from '../support/server.ts'

const TIME_LIMIT_MS = 12_000
const ACK_TIMEOUT_MS = 4_000

const server = useTestServer()

const VISITOR_EVENTS = [
  'visitor.connect',
  'visitor.update',
  'visitor.authenticate',
  'chat.message',
  'chat.typing',
  'chat.read',
  'chat.close',
  'chat.upload_init',
  'chat.upload_finish',
  'chat.transcript',
  'chat.rate_init',
  'chat.rate',
  'chat.history',
] as const
const AGENT_EVENTS = [
  'agent.connect',
  'agent.status',
  'chats.list',
  'chat.history',
  'chat.message',
  'chat.upload_init',
  'chat.upload_finish',
  'chat.typing',
  'chat.read',
  'chat.join',
  'chat.leave',
  'chat.close',
] as const

/** Placeholders replaced at run time by ids the server handed out (so payloads hit real rows). */
const REFS = ['$chat', '$message', '$token', '$visitor'] as const
type Ref = (typeof REFS)[number]

const nested = (depth: number) => {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = i % 2 ? { a: value } : [value]
  return value
}

const weirdString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\uD800', '../../etc/passwd', '__proto__', 'constructor'),
  fc.constantFrom(...REFS),
  fc.integer({ min: 10_000, max: 12_000 }).map((n) => 'y'.repeat(n)),
)
const huge = fc.constantFrom('x'.repeat(100_000), 'z'.repeat(300_000))

const leaf = fc.oneof(
  weirdString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
)
const junk = fc.oneof(
  { weight: 4, arbitrary: fc.anything({ maxDepth: 3, values: [leaf] }) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 1500 }).map(nested) },
  { weight: 1, arbitrary: huge },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 5 }) },
)
/** Mostly a good value, sometimes missing, sometimes junk. */
const maybe = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 3, arbitrary: arb },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: junk },
  )
const ref = fc.oneof(fc.constantFrom(...REFS), weirdString)
const clientId = fc.oneof(fc.constantFrom('c1', 'c2', 'c3'), weirdString)
const textContent = fc.record({
  type: fc.oneof(
    { weight: 5, arbitrary: fc.constant('text') },
    { weight: 1, arbitrary: weirdString },
  ),
  text: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('hello', 'other text', 'a third one') },
    { weight: 1, arbitrary: weirdString },
    { weight: 1, arbitrary: junk },
  ),
})

/** Near-valid payloads per event, so the fuzz also gets past validation. */
const message = fc.record({
  content: textContent,
  clientId: maybe(clientId),
  isOffline: maybe(fc.boolean()),
})
const history = fc.record({
  after: maybe(ref),
  before: maybe(ref),
  limit: maybe(fc.integer({ min: -5, max: 200 })),
})
const typing = fc.record({ is: maybe(fc.boolean()), text: maybe(weirdString) })
const VISITOR_SHAPES: Record<string, fc.Arbitrary<unknown>> = {
  'visitor.connect': fc.record({
    id: maybe(ref),
    key: fc.oneof(fc.constant('demo'), weirdString),
    variables: maybe(junk),
    name: maybe(weirdString),
  }),
  'visitor.update': fc.record({
    values: fc.record({ name: maybe(weirdString), variables: maybe(junk) }),
  }),
  'visitor.authenticate': fc.record({
    values: fc.record({
      email: maybe(weirdString),
      hash: maybe(fc.oneof(weirdString, fc.constant('0'.repeat(64)))),
      name: maybe(weirdString),
    }),
  }),
  'chat.message': message,
  'chat.typing': fc.record({ typing }),
  'chat.upload_finish': fc.record({ uploadToken: ref, clientId: maybe(clientId) }),
  'chat.transcript': fc.record({
    email: fc.oneof(fc.constant('fuzz@example.com'), weirdString),
    lang: maybe(weirdString),
  }),
  'chat.rate': fc.record({
    messageId: ref,
    value: maybe(fc.integer({ min: -1, max: 7 })),
    text: maybe(weirdString),
  }),
  'chat.history': history,
}
const chatRef = fc.record({ chatId: ref })
const AGENT_SHAPES: Record<string, fc.Arbitrary<unknown>> = {
  'agent.status': fc.record({
    status: fc.oneof(fc.constantFrom('online', 'offline'), weirdString),
  }),
  'chats.list': fc.record({
    status: maybe(fc.constantFrom('all', 'open', 'closed', 'pending')),
    limit: maybe(fc.integer()),
  }),
  'chat.history': fc.tuple(chatRef, history).map(([a, b]) => ({ ...a, ...b })),
  'chat.message': fc.tuple(chatRef, message).map(([a, b]) => ({ ...a, ...b })),
  'chat.upload_finish': fc.record({ chatId: ref, uploadToken: ref }),
  'chat.typing': fc.record({ chatId: ref, typing }),
}
const payloadFor = (shapes: Record<string, fc.Arbitrary<unknown>>, event: string) =>
  fc.oneof(
    { weight: 4, arbitrary: Object.hasOwn(shapes, event) ? shapes[event]! : chatRef },
    { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
    { weight: 2, arbitrary: junk },
  )

type Command =
  | {
      kind: 'emit'
      side: 'visitor' | 'agent'
      slot: number
      event: string
      args: unknown[]
      ack: boolean
      pick: number
    }
  | { kind: 'drop'; side: 'visitor' | 'agent'; slot: number }
  | { kind: 'pause' }

const emit = (
  side: 'visitor' | 'agent',
  events: readonly string[],
  shapes: Record<string, fc.Arbitrary<unknown>>,
  slots: number,
) =>
  fc
    .oneof(
      { weight: 19, arbitrary: fc.constantFrom(...events) },
      { weight: 1, arbitrary: weirdString },
    )
    .chain((event) =>
      fc.record({
        kind: fc.constant('emit' as const),
        side: fc.constant(side),
        slot: fc.nat(slots - 1),
        event: fc.constant(event),
        // A payload, sometimes none, sometimes followed by extra junk arguments.
        args: fc.oneof(
          { weight: 6, arbitrary: payloadFor(shapes, event).map((p) => [p]) },
          { weight: 1, arbitrary: fc.constant([] as unknown[]) },
          { weight: 1, arbitrary: fc.tuple(payloadFor(shapes, event), junk) },
        ),
        ack: fc.oneof(
          { weight: 4, arbitrary: fc.constant(true) },
          { weight: 1, arbitrary: fc.constant(false) },
        ),
        pick: fc.nat(),
      }),
    )

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 12, arbitrary: emit('visitor', VISITOR_EVENTS, VISITOR_SHAPES, 3) },
  { weight: 6, arbitrary: emit('agent', AGENT_EVENTS, AGENT_SHAPES, 2) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('drop' as const),
      side: fc.constantFrom('visitor' as const, 'agent' as const),
      slot: fc.nat(2),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'pause' as const }) },
)

/** Ids seen in acks, to aim payloads at real chats, messages, tokens and visitors. */
const pools: Record<Ref, string[]> = { $chat: [], $message: [], $token: [], $visitor: [] }
const problems: string[] = []
let acksSeen = 0
let errorsSeen = 0
/** Successful acks per event: shows the fuzz gets past validation. */
const okByEvent = new Map<string, number>()
const errorsByType = new Map<string, number>()

function substitute(value: unknown, pick: number, depth = 0): unknown {
  if (depth > 6) return value
  if (typeof value === 'string' && (REFS as readonly string[]).includes(value)) {
    const pool = pools[value as Ref]
    return pool.length ? pool[pick % pool.length] : value
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, pick, depth + 1))
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substitute(v, pick, depth + 1)]),
    )
  return value
}

function remember(result: unknown): void {
  if (!result || typeof result !== 'object') return
  const r = result as Record<string, unknown>
  const message = (r.message ?? r) as Partial<Message>
  if (typeof message.id === 'string' && typeof message.chatId === 'string') {
    pools.$message.push(message.id)
    pools.$chat.push(message.chatId)
  }
  if (typeof r.token === 'string') pools.$token.push(r.token)
  const visitor = r.visitor as { id?: unknown } | undefined
  if (typeof visitor?.id === 'string') pools.$visitor.push(visitor.id)
  for (const pool of Object.values(pools)) if (pool.length > 200) pool.splice(0, 100)
}

function checkAck(event: string, args: unknown[]): void {
  acksSeen++
  const [error, result] = args
  if (error === null || error === undefined) {
    okByEvent.set(event, (okByEvent.get(event) ?? 0) + 1)
    remember(result)
    return
  }
  errorsSeen++
  const e = error as Record<string, unknown>
  const kind = `${String(e?.type)}`
  errorsByType.set(kind, (errorsByType.get(kind) ?? 0) + 1)
  const wellFormed =
    typeof e === 'object' &&
    typeof e.message === 'string' &&
    (e.code === undefined || typeof e.code === 'number') &&
    (e.type === undefined || typeof e.type === 'string')
  if (!wellFormed) problems.push(`${event}: malformed error ${JSON.stringify(error).slice(0, 200)}`)
  if (typeof e.code === 'number' && e.code >= 500)
    problems.push(`${event}: server error ${JSON.stringify(error).slice(0, 200)}`)
}

interface Slots {
  visitors: (Socket | null)[]
  agents: (Socket | null)[]
}

async function socketFor(slots: Slots, side: 'visitor' | 'agent', slot: number): Promise<Socket> {
  const list = side === 'visitor' ? slots.visitors : slots.agents
  const existing = list[slot]
  if (existing?.connected) return existing
  const socket =
    side === 'visitor'
      ? await openVisitorSocket(server.url)
      : await openAgentSocket(server.url, server.agentToken)
  // Most visitor sockets are initialized, some stay anonymous; some reuse a known visitor.
  if (side === 'visitor' && slot < 2) {
    const id = slot === 1 && pools.$visitor.length ? pools.$visitor.at(-1) : null
    await request(socket, 'visitor.connect', { id, key: 'demo' }).then(remember, () => {})
  }
  list[slot] = socket
  return socket
}

async function run(commands: Command[]): Promise<void> {
  const slots: Slots = { visitors: [], agents: [] }
  const pending: Promise<void>[] = []
  for (const cmd of commands) {
    if (cmd.kind === 'pause') {
      await sleep(5)
      continue
    }
    if (cmd.kind === 'drop') {
      const list = cmd.side === 'visitor' ? slots.visitors : slots.agents
      list[cmd.slot]?.disconnect()
      continue
    }
    const socket = await socketFor(slots, cmd.side, cmd.slot)
    const args = cmd.args.map((a) => substitute(a, cmd.pick))
    const known = (cmd.side === 'visitor' ? VISITOR_EVENTS : AGENT_EVENTS) as readonly string[]
    if (!cmd.ack || !known.includes(cmd.event)) {
      socket.emit(cmd.event, ...args)
      continue
    }
    pending.push(
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          // Only a live socket owes an answer; a dropped or oversize-closed one does not.
          if (socket.connected) problems.push(`${cmd.event}: no ack within ${ACK_TIMEOUT_MS} ms`)
          resolve()
        }, ACK_TIMEOUT_MS)
        socket.once('disconnect', () => {
          clearTimeout(timer)
          resolve()
        })
        socket.emit(cmd.event, ...args, (...ackArgs: unknown[]) => {
          clearTimeout(timer)
          checkAck(cmd.event, ackArgs)
          resolve()
        })
      }),
    )
  }
  await Promise.all(pending)
  for (const socket of [...slots.visitors, ...slots.agents]) socket?.close()
}

/** Every stored message with a clientId, via a fresh agent paging through every chat. */
async function storedClientIds(): Promise<string[]> {
  const { socket } = await connectAgent(server.url, server.agentToken)
  const { chats } = await request<{ chats: AgentChat[] }>(socket, 'chats.list', {
    status: 'all',
    limit: 500,
  })
  const keys: string[] = []
  for (const chat of chats) {
    let page = await request<ChatHistoryResult>(socket, 'chat.history', {
      chatId: chat.id,
      limit: 100,
    })
    for (;;) {
      for (const m of page.messages) if (m.clientId) keys.push(`${m.visitorId}|${m.clientId}`)
      if (!page.hasMore || !page.messages.length) break
      page = await request<ChatHistoryResult>(socket, 'chat.history', {
        chatId: chat.id,
        before: page.messages[0]!.id,
        limit: 100,
      })
    }
  }
  return keys
}

test('fuzzing every event leaves the server up, acks well-formed, nothing doubled, others unaffected', async () => {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31
  // The control visitor: another account, another client IP, so no fuzz limit or agent reaches it.
  const control = await addTestAccount(server, { key: 'control' })
  const ctl = await connectVisitor(server.url, { key: control.key }, { localAddress: '127.0.0.9' })
  const sent: string[] = []
  let stop = false
  const controlLoop = (async () => {
    for (let i = 0; !stop; i++) {
      const t = `control ${i}`
      const m = await request<Message>(
        ctl.socket,
        'chat.message',
        {
          content: { type: 'text', text: t },
          clientId: `ctl-${i}`,
        },
        5000,
      )
      assert.equal(m.content.text, t)
      sent.push(t)
      // Well inside the per-socket message budget (120 at once, then 1/s) for the whole run.
      await sleep(150)
    }
  })()

  let runs = 0
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 40 }), async (commands) => {
        runs++
        await run(commands)
        assert.deepEqual(problems, [])
      }),
      { seed, numRuns: 300, interruptAfterTimeLimit: TIME_LIMIT_MS, endOnFailure: true },
    )
    stop = true
    await controlLoop

    // The server answers a fresh visitor, and HTTP.
    const fresh = await connectVisitor(server.url)
    assert.ok(fresh.data.visitor.id)
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200)
    assert.deepEqual(problems, [])
    // Nothing doubled.
    const keys = await storedClientIds()
    assert.equal(new Set(keys).size, keys.length, 'a (visitor, clientId) stored twice')
    // The control visitor saw all its messages stored, once, in order.
    const history = await request<ChatHistoryResult>(ctl.socket, 'chat.history', { limit: 100 })
    assert.deepEqual(
      history.messages.map((m) => m.content.text),
      sent.slice(-100),
    )
    assert.ok(sent.length >= 5, `control sent ${sent.length}`)
    console.log(
      `fuzz seed ${seed}: ${runs} runs, ${acksSeen} acks (${errorsSeen} errors), ` +
        `${keys.length} clientId messages, control sent ${sent.length}\n  ok acks: ` +
        [...okByEvent].map(([event, n]) => `${event} ${n}`).join(', ') +
        `\n  errors: ${[...errorsByType].map(([type, n]) => `${type} ${n}`).join(', ')}`,
    )
  } catch (err) {
    stop = true
    console.error(`fuzz failed with seed ${seed} (replay: FUZZ_SEED=${seed})`)
    throw err
  }
})
