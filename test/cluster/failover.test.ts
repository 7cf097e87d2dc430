/**
 * A node dies (`kill -9`) or drains (SIGTERM) under a conversation. The visitor — the
 * real `ChatService` of the widget, behind a balancer — reconnects to the other node and
 * catches up: nothing lost, nothing doubled. The dead node's agent goes offline within
 * the bound (`NODE_TTL_SECONDS` plus a sweep).
 */
import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import { after, before, describe, test } from 'node:test'
import { io, type ManagerOptions } from 'socket.io-client'
import { openStorage } from '../../server/storage/index.ts'
import {
  AGENT_NAMESPACE,
  type ChatHistoryResult,
  DEFAULT_SOCKET_PATH,
  type Message,
} from '../../src/protocol.ts'
import { type ChatService, createChatService } from '../../src/store/chat-service.ts'
import { memoryPersistence } from '../../src/store/persistence.ts'
import { closeSockets, connectAgent, request } from '../support/server.ts'
import {
  AGENT_TOKEN,
  type Cluster,
  createCluster,
  NODE_TTL_SECONDS,
  requireServices,
  startBalancer,
  until,
} from './support.ts'

const services = await requireServices()
const BEA_TOKEN = 'cluster-test-bea-token'

/** The widget's connection service, reconnecting quickly. */
function visitorThrough(url: string): ChatService {
  return createChatService({
    server: url,
    key: 'demo',
    persistence: memoryPersistence(),
    socketOptions: {
      transports: ['websocket'],
      reconnectionDelay: 300,
      reconnectionDelayMax: 600,
      randomizationFactor: 0,
    },
    requestTimeout: 3000,
  })
}

const texts = (service: ChatService) =>
  service.state.items
    .filter((item) => item.message.content.type === 'text')
    .map((item) => `${item.pending ? '(pending) ' : ''}${item.message.content.text}`)

describe('failover', { skip: services.skip }, () => {
  let cluster: Cluster
  const visitors: ChatService[] = []

  before(async () => {
    if (services.skip !== false) return
    cluster = await createCluster(services.databaseUrl)
    // A second agent of the demo account, so the account stays online while one node dies.
    const storage = await openStorage({
      databaseUrl: cluster.schema.url,
      dataDir: cluster.uploadsDir,
      inMemory: false,
    })
    try {
      await (await cluster.start('seed')).kill()
      const alex = await storage.getAgent('agent-alex')
      await storage.saveAgent({ ...alex!, id: 'agent-bea', token: BEA_TOKEN, nickname: 'Bea' })
    } finally {
      await storage.close()
    }
  })
  after(async () => {
    for (const visitor of visitors) await visitor.stop()
    closeSockets()
    await cluster?.close()
  })

  test('kill -9 mid-conversation: the visitor moves to B and catches up; A’s agent goes offline', async () => {
    const a = await cluster.start('node-a')
    const b = await cluster.start('node-b')
    const balancer = await startBalancer(() => [a.url, b.url])
    try {
      const alex = (await connectAgent(a.url, AGENT_TOKEN)).socket
      const bea = (await connectAgent(b.url, BEA_TOKEN)).socket
      alex.emit('agent.status', { status: 'online' })
      bea.emit('agent.status', { status: 'online' })

      const visitor = visitorThrough(balancer.url)
      visitors.push(visitor)
      await visitor.start()
      await until('the visitor online', () => visitor.state.connection === 'online')
      await until('both agents online', () =>
        visitor.state.agents.every((agent) => agent.status === 'online'),
      )
      const beaHeard: Message[] = []
      bea.on('chat.message_received', ({ message }: { message: Message }) => beaHeard.push(message))

      await visitor.send('v1')
      await until('v1 stored', () => texts(visitor).includes('v1'))
      const chatId = visitor.state.chatId!
      await request(alex, 'chat.message', { chatId, content: { type: 'text', text: 'alex 1' } })
      await until('alex 1 heard', () => texts(visitor).includes('alex 1'))

      await a.kill()
      const killedAt = Date.now()
      // While the visitor is away: Bea answers (stored on B, heard by nobody on the visitor's side)…
      for (const text of ['bea 1', 'bea 2'])
        await request(bea, 'chat.message', { chatId, content: { type: 'text', text } })
      // …and the visitor writes (queued until it is connected again).
      const queued = visitor.send('v2')

      await until('the visitor back online', () => visitor.state.connection === 'online', 10_000)
      const reconnectMs = Date.now() - killedAt
      await queued
      await until('caught up', () => texts(visitor).length === 5, 5000)
      assert.deepEqual(texts(visitor), ['v1', 'alex 1', 'bea 1', 'bea 2', 'v2'])

      // Alex had only node A: offline within the TTL plus a sweep (and the balancer's switch).
      const offlineMs = await until(
        'alex offline',
        () => visitor.state.agents.find((agent) => agent.id === 'agent-alex')?.status === 'offline',
        NODE_TTL_SECONDS * 1000 * 2 + 2000,
      )
      const bound = (NODE_TTL_SECONDS * 4) / 3 + 1
      const sinceKill = (Date.now() - killedAt) / 1000
      console.log(
        `  failover: visitor back after ${reconnectMs} ms; alex offline ${sinceKill.toFixed(1)} s after the kill (waited ${offlineMs} ms; bound ~${bound.toFixed(1)} s)`,
      )
      assert.ok(sinceKill <= bound + 1, `offline after ${sinceKill} s`)
      assert.equal(visitor.state.accountStatus, 'online') // Bea is still there

      // The store holds each message once, and Bea heard the visitor's v2 once.
      const history = await request<ChatHistoryResult>(bea, 'chat.history', { chatId, limit: 100 })
      const stored = history.messages
        .filter((m) => m.content.type === 'text')
        .map((m) => m.content.text)
      assert.deepEqual(stored, ['v1', 'alex 1', 'bea 1', 'bea 2', 'v2'])
      assert.equal(beaHeard.filter((m) => m.content.text === 'v2').length, 1)
    } finally {
      await balancer.close()
      await b.kill()
    }
  })

  test('SIGTERM drains: health says draining, new handshakes are refused, requests finish, clients move', async () => {
    const c = await cluster.start('node-c', { DRAIN_TIMEOUT_SECONDS: '5' })
    const b = await cluster.start('node-b2')
    const balancer = await startBalancer(() => [c.url, b.url])
    try {
      const visitor = visitorThrough(balancer.url)
      visitors.push(visitor)
      await visitor.start()
      await until('the visitor online', () => visitor.state.connection === 'online')
      await visitor.send('before the drain')

      // A slow request in flight on C when SIGTERM arrives: it must finish.
      const slow = slowUpload(c.url, await uploadUrl(visitor))
      await new Promise((resolve) => setTimeout(resolve, 200))
      const stopped = c.stop()
      await until('draining', async () => {
        const res = await fetch(`${c.url}/healthz`).catch(() => null)
        return res?.status === 503 && (await res.json()).status === 'draining'
      })
      // A new handshake on C is refused while it drains.
      const refused = io(c.url, { path: '/socket', transports: ['websocket'], reconnection: false })
      const error = await new Promise<Error>((resolve) => refused.once('connect_error', resolve))
      refused.close()
      assert.match(String(error.message), /websocket error|Server draining/)

      assert.equal(await slow.finish(), 201)
      assert.equal(await stopped, 0)
      // The visitor was moved: back online through the balancer (now B), chat intact.
      await until('the visitor online on B', () => visitor.state.connection === 'online', 10_000)
      await visitor.send('after the drain')
      await until('sent', () => texts(visitor).includes('after the drain'))
      assert.deepEqual(texts(visitor), ['before the drain', 'after the drain'])
    } finally {
      await balancer.close()
      await b.kill()
    }
  })

  test('SIGTERM drains: its agents move to the other node and never look offline; one who does not come back goes offline after the grace', async () => {
    const c = await cluster.start('node-c3', { AGENT_RECONNECT_GRACE_SECONDS: '3' })
    const b = await cluster.start('node-b3')
    const balancer = await startBalancer(() => [c.url, b.url])
    const alex = consoleSocket(balancer.url, AGENT_TOKEN)
    const bea = consoleSocket(balancer.url, BEA_TOKEN, { reconnection: false })
    try {
      // Alex's console reconnects through the balancer (and says agent.connect each time, as
      // the console does); Bea's closes for good. Both start on C, the first target.
      for (const agent of [alex, bea]) {
        await until('agent connected', () => agent.connects > 0)
        agent.socket.emit('agent.status', { status: 'online' })
      }
      // The visitor is on B, which stays up: it hears every status change.
      const visitor = visitorThrough(b.url)
      visitors.push(visitor)
      await visitor.start()
      await until('both online', () => visitor.state.agents.every((a) => a.status === 'online'))
      const seen: string[] = []
      visitor.subscribe((state) => {
        const status = state.agents.find((agent) => agent.id === 'agent-alex')?.status
        if (status && status !== seen.at(-1)) seen.push(status)
      })

      const stoppedAt = Date.now()
      assert.equal(await c.stop(), 0)
      await until('alex back, on B', () => alex.connects === 2, 10_000)
      const beaOffline = await until(
        'bea offline',
        () => visitor.state.agents.find((agent) => agent.id === 'agent-bea')?.status === 'offline',
        15_000,
      )
      const sinceStop = (Date.now() - stoppedAt) / 1000
      console.log(
        `  drain: alex back after ${alex.lastConnectAt - stoppedAt} ms; bea offline ${sinceStop.toFixed(1)} s after the SIGTERM (waited ${beaOffline} ms)`,
      )
      // Bea left for good: counted out once the grace (3 s) and a sweep have passed, not before.
      assert.ok(sinceStop >= 3, `bea offline ${sinceStop} s after the stop, within the grace`)
      assert.deepEqual(seen, ['online'], 'alex looked offline to the visitor')
      assert.equal(visitor.state.accountStatus, 'online')
    } finally {
      alex.socket.close()
      bea.socket.close()
      await balancer.close()
      await b.kill()
    }
  })
})

/** An agent console's socket: `agent.connect` after every (re)connect, counted. */
function consoleSocket(url: string, token: string, options: Partial<ManagerOptions> = {}) {
  const socket = io(`${url}${AGENT_NAMESPACE}`, {
    path: DEFAULT_SOCKET_PATH,
    transports: ['websocket'],
    forceNew: true,
    auth: { token },
    reconnectionDelay: 300,
    reconnectionDelayMax: 600,
    randomizationFactor: 0,
    ...options,
  })
  const agent = { socket, connects: 0, lastConnectAt: 0 }
  socket.on('connect', () => {
    socket.emit('agent.connect', null, () => {
      agent.connects++
      agent.lastConnectAt = Date.now()
    })
  })
  return agent
}

/** An upload URL of the visitor's (a token on the shared storage). */
async function uploadUrl(visitor: ChatService): Promise<string> {
  return (await visitor.client.chatUploadInit()).url
}

/** POSTs a small text file slowly: the body ends 1.5 s after it starts. */
function slowUpload(base: string, url: string): { finish(): Promise<number> } {
  const target = new URL(new URL(url).pathname, base)
  const boundary = 'slowboundary'
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n`
  const tail = `\r\n--${boundary}--\r\n`
  const body = 'x'.repeat(100)
  const finish = new Promise<number>((resolve, reject) => {
    const req = httpRequest(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': Buffer.byteLength(head + body + tail),
        },
      },
      (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      },
    )
    req.on('error', reject)
    req.write(head)
    setTimeout(() => req.end(body + tail), 1500)
  })
  return { finish: () => finish }
}
