/**
 * Abuse limits: token buckets per socket and per IP, the connection cap per IP,
 * the packet size cap and the text length limit. A refused client gets a clear ack
 * error; everyone else chats on.
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import { ConnectionCounter } from '../../server/limits/connections.ts'
import { parseRule, RateLimits } from '../../server/limits/rate-limits.ts'
import { TokenBuckets } from '../../server/limits/token-bucket.ts'
import type { Logger } from '../../server/logger.ts'
import type { Message } from '../../src/protocol.ts'
import {
  AckError,
  closeSockets,
  connectAgent,
  connectVisitor,
  openVisitorSocket,
  request,
  sleep,
  startTestServer,
  type TestServer,
} from '../support/server.ts'

afterEach(closeSockets)

const text = (t: string, clientId?: string) => ({
  content: { type: 'text', text: t },
  ...(clientId && { clientId }),
})

/** Settles every promise; returns the ack errors' types (null for a result). */
async function outcomes(promises: Promise<unknown>[]) {
  const settled = await Promise.allSettled(promises)
  return settled.map((s) =>
    s.status === 'fulfilled' ? null : s.reason instanceof AckError ? s.reason.type : 'other',
  )
}

describe('token buckets', () => {
  test('a burst, then one token per 1/perSecond; refusals say when to retry', () => {
    let now = 0
    const buckets = new TokenBuckets({ burst: 3, perSecond: 2 }, { now: () => now })
    assert.deepEqual(
      [1, 2, 3].map(() => buckets.take('a').ok),
      [true, true, true],
    )
    const refused = buckets.take('a')
    assert.equal(refused.ok, false)
    assert.equal(!refused.ok && refused.retryAfterMs, 500)
    assert.equal(buckets.take('b').ok, true, 'keys are independent')
    now = 500
    assert.equal(buckets.take('a').ok, true)
    assert.equal(buckets.take('a').ok, false)
    now = 60_000
    assert.equal(buckets.take('a').ok, true, 'refilled, never beyond the burst')
    assert.equal(buckets.take('a').ok, true)
    assert.equal(buckets.take('a').ok, true)
    assert.equal(buckets.take('a').ok, false)
  })

  test('a refusal is reported once per key and window, with the count since', () => {
    let now = 0
    const buckets = new TokenBuckets(
      { burst: 1, perSecond: 0.001 },
      { now: () => now, logWindowMs: 1000 },
    )
    buckets.take('k')
    const firsts = Array.from({ length: 50 }, () => buckets.take('k')).map(
      (r) => !r.ok && r.firstInWindow,
    )
    assert.equal(firsts.filter(Boolean).length, 1)
    assert.equal(firsts[0], true)
    now = 1000
    const next = buckets.take('k')
    assert.ok(!next.ok && next.firstInWindow && next.refused === 50)
  })

  test('idle full buckets are swept away', () => {
    let now = 0
    const buckets = new TokenBuckets({ burst: 2, perSecond: 1 }, { now: () => now })
    buckets.take('a')
    buckets.take('b')
    assert.equal(buckets.size, 2)
    now = 5000
    buckets.sweep()
    assert.equal(buckets.size, 0)
  })

  test('rules parse as <count>/<seconds>', () => {
    assert.deepEqual(parseRule('120/120'), { burst: 120, perSecond: 1 })
    assert.deepEqual(parseRule(' 30 / 10s '), { burst: 30, perSecond: 3 })
    for (const bad of ['', '10', '0/10', '10/0', 'x/1', '-1/5']) assert.throws(() => parseRule(bad))
  })

  test('RateLimits logs one warning per socket per window, not one per packet', () => {
    const warnings: unknown[] = []
    const log = { warn: (obj: unknown) => warnings.push(obj) } as unknown as Logger
    const one = { burst: 1, perSecond: 0.001 }
    const many = { burst: 1000, perSecond: 1000 }
    const limits = new RateLimits(
      {
        request: { socket: many, ip: many },
        message: { socket: one, ip: many },
        typing: { socket: many, ip: many },
        upload: { socket: many, ip: many },
      },
      log,
    )
    try {
      limits.check('message', 's1', '1.2.3.4')
      for (let i = 0; i < 100; i++)
        assert.throws(
          () => limits.check('message', 's1', '1.2.3.4'),
          (err: { code: number; type: string }) => err.code === 429 && err.type === 'rate_limited',
        )
      assert.equal(warnings.length, 1)
      limits.check('message', 's2', '1.2.3.4')
      limits.forget('s1')
      limits.check('message', 's1', '1.2.3.4')
    } finally {
      limits.close()
    }
  })

  test('the connection counter caps per IP', () => {
    const counter = new ConnectionCounter(2)
    counter.opened('a')
    counter.opened('a')
    assert.equal(counter.allows('a'), false)
    assert.equal(counter.allows('b'), true)
    counter.closed('a')
    assert.equal(counter.allows('a'), true)
    counter.closed('a')
    assert.equal(counter.count('a'), 0)
  })
})

describe('rate limits on a live server', () => {
  let server: TestServer
  before(async () => {
    const defaults = { burst: 1000, perSecond: 100 }
    server = await startTestServer({
      rateLimits: {
        request: { socket: defaults, ip: defaults },
        message: { socket: { burst: 5, perSecond: 0.01 }, ip: { burst: 12, perSecond: 0.01 } },
        typing: { socket: { burst: 3, perSecond: 0.01 }, ip: defaults },
        upload: { socket: { burst: 2, perSecond: 0.01 }, ip: defaults },
      },
    })
  })
  after(() => server.close())

  test('a burst beyond the socket limit gets 429s; another socket of the same IP chats on', async () => {
    const flooder = await connectVisitor(server.url)
    const results = await outcomes(
      Array.from({ length: 8 }, (_, i) => request(flooder.socket, 'chat.message', text(`m${i}`))),
    )
    assert.deepEqual(results, [null, null, null, null, null, ...Array(3).fill('rate_limited')])
    const err = await request(flooder.socket, 'chat.message', text('again')).catch((e) => e)
    assert.ok(err instanceof AckError)
    assert.equal(err.code, 429)
    assert.match(err.message, /Too many messages; try again in \d+ s/)
    // Typing and uploads have their own buckets.
    const typing = await outcomes(
      Array.from({ length: 4 }, () =>
        request(flooder.socket, 'chat.typing', { typing: { is: true } }),
      ),
    )
    assert.deepEqual(typing, [null, null, null, 'rate_limited'])
    const uploads = await outcomes(
      Array.from({ length: 3 }, () => request(flooder.socket, 'chat.upload_init', null)),
    )
    assert.deepEqual(uploads, [null, null, 'rate_limited'])

    const other = await connectVisitor(server.url)
    const ok = await request<Message>(other.socket, 'chat.message', text('still here'))
    assert.equal(ok.content.text, 'still here')
  })

  test('the IP bucket stops many sockets of one IP; another IP chats on', async () => {
    const ip = '127.0.0.3'
    const sockets = await Promise.all(
      [1, 2, 3].map(() => connectVisitor(server.url, {}, { localAddress: ip })),
    )
    const results = await outcomes(
      sockets.flatMap(({ socket }) =>
        [1, 2, 3, 4, 5].map((i) => request(socket, 'chat.message', text(`x${i}`))),
      ),
    )
    // 15 sent from one IP against an IP burst of 12.
    assert.equal(results.filter((r) => r === null).length, 12)
    assert.equal(results.filter((r) => r === 'rate_limited').length, 3)
    const elsewhere = await connectVisitor(server.url, {}, { localAddress: '127.0.0.4' })
    await request(elsewhere.socket, 'chat.message', text('from another IP'))
  })
})

describe('defaults', () => {
  let server: TestServer
  before(async () => {
    server = await startTestServer()
  })
  after(() => server.close())

  test('a client flushes 100 queued messages in order, sequentially and all at once', async () => {
    const { socket } = await connectVisitor(server.url)
    const sent: string[] = []
    for (let i = 0; i < 100; i++) {
      const m = await request<Message>(socket, 'chat.message', text(`seq ${i}`, `seq-${i}`))
      sent.push(m.id)
    }
    // A reconnecting client with a full outbox emits everything without waiting.
    const tab = await connectVisitor(server.url)
    const burst = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        request<Message>(tab.socket, 'chat.message', text(`burst ${i}`, `burst-${i}`), 10_000),
      ),
    )
    const page = await request<{ messages: Message[] }>(tab.socket, 'chat.history', { limit: 100 })
    assert.deepEqual(
      page.messages.map((m) => m.content.text),
      burst.map((_, i) => `burst ${i}`),
    )
    assert.equal(sent.length, 100)
  })

  test('an oversize packet closes only that socket; the server serves everyone else', async () => {
    const big = await connectVisitor(server.url)
    const bystander = await connectVisitor(server.url)
    const closed = new Promise<string>((resolve) => big.socket.once('disconnect', resolve))
    big.socket.emit('chat.message', text('x'.repeat(300 * 1024)), () => {})
    assert.equal(await closed, 'transport close')
    await request(bystander.socket, 'chat.message', text('fine'))
    const fresh = await connectVisitor(server.url)
    await request(fresh.socket, 'chat.message', text('fine too'))
  })
})

describe('connection cap per IP', () => {
  let server: TestServer
  before(async () => {
    server = await startTestServer({ maxConnectionsPerIp: 3 })
  })
  after(() => server.close())

  test('the 4th socket of an IP is refused at the handshake; other IPs and later sockets are fine', async () => {
    const ip = '127.0.0.5'
    const three = await Promise.all(
      [1, 2, 3].map(() => openVisitorSocket(server.url, { localAddress: ip })),
    )
    await assert.rejects(openVisitorSocket(server.url, { localAddress: ip }))
    await connectVisitor(server.url, {}, { localAddress: '127.0.0.6' })
    three[0]!.close()
    for (let i = 0; i < 50; i++) {
      const opened = await openVisitorSocket(server.url, { localAddress: ip }).then(
        () => true,
        () => false,
      )
      if (opened) return
      await sleep(20)
    }
    assert.fail('a slot never freed up')
  })
})

describe('text length limit', () => {
  let server: TestServer
  before(async () => {
    server = await startTestServer({ maxTextLength: 100 })
  })
  after(() => server.close())

  const tooLong = {
    type: 'too_large',
    code: 413,
    message: /Invalid length: Expected <=100 but received 101/,
  }

  test('both sides are told the limit when they connect, so their composers can keep to it', async () => {
    assert.equal((await connectVisitor(server.url)).data.maxTextLength, 100)
    assert.equal((await connectAgent(server.url, server.agentToken)).data.maxTextLength, 100)
  })

  test('a visitor may send 100 characters, not 101; typing previews too', async () => {
    const { socket } = await connectVisitor(server.url)
    await assert.rejects(request(socket, 'chat.message', text('v'.repeat(101))), tooLong)
    const ok = await request<Message>(socket, 'chat.message', text('v'.repeat(100)))
    assert.equal(ok.content.text?.length, 100)
    const typing = (length: number) => ({ typing: { is: true, text: 't'.repeat(length) } })
    await assert.rejects(request(socket, 'chat.typing', typing(101)), tooLong)
    await request(socket, 'chat.typing', typing(100))
  })

  test('an agent may send 100 characters, not 101; typing previews too', async () => {
    const visitor = await connectVisitor(server.url)
    const { chatId } = await request<Message>(visitor.socket, 'chat.message', text('hello'))
    const agent = await connectAgent(server.url, server.agentToken)
    const reply = (length: number) => ({ chatId, ...text('a'.repeat(length)) })
    await assert.rejects(request(agent.socket, 'chat.message', reply(101)), tooLong)
    const ok = await request<Message>(agent.socket, 'chat.message', reply(100))
    assert.equal(ok.content.text?.length, 100)
    const typing = (length: number) => ({ chatId, typing: { is: true, text: 't'.repeat(length) } })
    await assert.rejects(request(agent.socket, 'chat.typing', typing(101)), tooLong)
    await request(agent.socket, 'chat.typing', typing(100))
  })
})

describe('configuration', () => {
  test('limits, origins and the upload token lifetime come from the environment', async () => {
    const { loadConfig } = await import('../../server/config.ts')
    const defaults = loadConfig({})
    assert.equal(defaults.maxConnectionsPerIp, 50)
    assert.equal(defaults.maxHttpBufferSize, 256 * 1024)
    assert.equal(defaults.uploadTokenTtlMs, 600_000)
    assert.equal(defaults.maxTextLength, 10_000)
    assert.deepEqual(defaults.rateLimits.message.socket, { burst: 120, perSecond: 1 })
    assert.deepEqual(defaults.demoAllowedOrigins, ['localhost', '127.0.0.1', '[::1]'])
    const set = loadConfig({
      MAX_CONNECTIONS_PER_IP: '7',
      MAX_HTTP_BUFFER_SIZE: '1000',
      UPLOAD_TOKEN_TTL_SECONDS: '5',
      MAX_TEXT_LENGTH: '100',
      RATE_MESSAGES_PER_IP: '10/5',
      DEMO_ALLOWED_ORIGINS: 'https://shop.example, *.example.org',
    })
    assert.equal(set.maxConnectionsPerIp, 7)
    assert.equal(set.maxHttpBufferSize, 1000)
    assert.equal(set.uploadTokenTtlMs, 5000)
    assert.equal(set.maxTextLength, 100)
    assert.deepEqual(set.rateLimits.message.ip, { burst: 10, perSecond: 2 })
    assert.deepEqual(set.demoAllowedOrigins, ['https://shop.example', '*.example.org'])
    assert.throws(() => loadConfig({ RATE_TYPING_PER_SOCKET: 'lots' }), /<count>\/<seconds>/)
  })

  test('origin rules: host, subdomains, exact origin, star', async () => {
    const { originAllowed } = await import('../../server/origins.ts')
    const rules = ['localhost', '*.example.org', 'https://shop.example']
    for (const ok of [
      'http://localhost:5173',
      'https://localhost',
      'https://a.example.org',
      'https://a.b.example.org:8443',
      'https://shop.example',
    ])
      assert.equal(originAllowed(ok, rules), true, ok)
    for (const bad of [
      'https://example.org',
      'https://evilexample.org',
      'http://shop.example',
      'https://shop.example:444',
      'https://localhost.evil.example',
      'null',
      'not a url',
    ])
      assert.equal(originAllowed(bad, rules), false, bad)
    assert.equal(originAllowed('https://anything.example', ['*']), true)
    assert.equal(originAllowed('https://anything.example', []), false)
  })
})
