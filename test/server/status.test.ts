/** `GET /v1/status?key=…`: the account's online/offline status, public, cacheable, validated. */
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import {
  addTestAccount,
  closeSockets,
  connectAgent,
  request,
  startTestServer,
  type TestServer,
} from '../support/server.ts'

afterEach(closeSockets)

describe('GET /v1/status', () => {
  let server: TestServer
  before(async () => {
    server = await startTestServer()
  })
  after(() => server.close())

  const status = (query: string, init?: RequestInit) =>
    fetch(`${server.url}/v1/status${query}`, init)

  test('says offline while no agent is online, online once one is, and offline again', async () => {
    const offline = await status(`?key=${server.key}`)
    assert.equal(offline.status, 200)
    assert.deepEqual(await offline.json(), { status: 'offline' })

    const { socket } = await connectAgent(server.url, server.agentToken)
    await request(socket, 'agent.status', { status: 'online' })
    assert.deepEqual(await (await status(`?key=${server.key}`)).json(), { status: 'online' })

    await request(socket, 'agent.status', { status: 'offline' })
    assert.deepEqual(await (await status(`?key=${server.key}`)).json(), { status: 'offline' })
  })

  test('is public and cacheable: CORS for any origin, max-age, ETag and 304', async () => {
    const res = await status(`?key=${server.key}`, { headers: { Origin: 'https://shop.example' } })
    assert.equal(res.headers.get('access-control-allow-origin'), '*')
    assert.match(res.headers.get('cache-control') ?? '', /^public, max-age=\d+$/)
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/)
    const etag = res.headers.get('etag')
    assert.ok(etag, 'an ETag')
    await res.arrayBuffer()

    const again = await status(`?key=${server.key}`, { headers: { 'If-None-Match': etag } })
    assert.equal(again.status, 304)
    assert.equal(await again.text(), '')
    assert.equal(again.headers.get('etag'), etag)

    const preflight = await status(`?key=${server.key}`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'GET' },
    })
    assert.equal(preflight.status, 204)
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*')
  })

  test('answers each account for itself', async () => {
    const other = await addTestAccount(server, { key: 'status-other' })
    const { socket } = await connectAgent(server.url, other.agentToken)
    await request(socket, 'agent.status', { status: 'online' })
    assert.deepEqual(await (await status('?key=status-other')).json(), { status: 'online' })
    assert.deepEqual(await (await status(`?key=${server.key}`)).json(), { status: 'offline' })
  })

  test('400 on a missing or malformed key, 404 on an unknown one, 405 on other methods', async () => {
    for (const query of ['', '?key=', `?key=${'k'.repeat(65)}`, '?key=a%20b', '?key=a&key=b']) {
      const res = await status(query)
      assert.equal(res.status, 400, query)
      assert.equal((await res.json()).type, 'validation_error')
      assert.equal(res.headers.get('access-control-allow-origin'), '*')
    }
    const unknown = await status('?key=nobody')
    assert.equal(unknown.status, 404)
    assert.equal((await unknown.json()).type, 'not_found')

    const post = await status(`?key=${server.key}`, { method: 'POST' })
    assert.equal(post.status, 405)
    await post.arrayBuffer()
  })
})
