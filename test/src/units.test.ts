import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { backoffDelay } from '../../src/client/backoff.ts'
import { createClientId } from '../../src/client/client-id.ts'
import { SocketError } from '../../src/client/socket-error.ts'
import { abortError, postFile } from '../../src/client/upload.ts'
import { createVisitorClient, DEFAULT_SOCKET_OPTIONS } from '../../src/index.ts'

describe('SocketError', () => {
  test('carries code, type and event from the wire shape', () => {
    const error = SocketError.from({ message: 'Unknown key', code: 404, type: 'not_found' }, 'x')
    assert.ok(error instanceof Error)
    assert.ok(error instanceof SocketError)
    assert.equal(error.name, 'SocketError')
    assert.equal(error.message, 'Unknown key')
    assert.equal(error.code, 404)
    assert.equal(error.type, 'not_found')
    assert.equal(error.event, 'x')
  })

  test("keeps the server's event over the fallback, and survives junk", () => {
    assert.equal(SocketError.from({ message: 'm', event: 'chat.rate' }, 'x').event, 'chat.rate')
    assert.equal(SocketError.from(null).message, 'Unknown error')
    assert.equal(SocketError.from('plain').message, 'plain')
  })
})

describe('backoffDelay', () => {
  test('doubles from min and is capped at max', () => {
    const options = { min: 100, max: 1000, jitter: 0 }
    assert.deepEqual(
      [0, 1, 2, 3, 4, 50].map((attempt) => backoffDelay(attempt, options)),
      [100, 200, 400, 800, 1000, 1000],
    )
  })

  test('jitter stays within ±factor and never exceeds max', () => {
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(2, { min: 100, max: 500, jitter: 0.5 })
      assert.ok(delay >= 200 && delay <= 500, `delay ${delay}`)
    }
  })
})

describe('createClientId', () => {
  test('is unique and long enough', () => {
    const ids = new Set(Array.from({ length: 100 }, createClientId))
    assert.equal(ids.size, 100)
    for (const id of ids) assert.ok(id.length >= 32)
  })
})

describe('upload helpers', () => {
  test('abortError is an AbortError, and an aborted signal rejects before any request', async () => {
    const controller = new AbortController()
    controller.abort()
    assert.equal(abortError(controller.signal).name, 'AbortError')
    assert.equal(abortError().name, 'AbortError')
    await assert.rejects(
      postFile('http://127.0.0.1:9/never', new Blob(['x']), { signal: controller.signal }),
      { name: 'AbortError' },
    )
  })
})

describe('VisitorClient without a server', () => {
  test('defaults: /socket, no auto connect, websocket then polling, capped backoff', () => {
    assert.equal(DEFAULT_SOCKET_OPTIONS.path, '/socket')
    assert.equal(DEFAULT_SOCKET_OPTIONS.autoConnect, false)
    assert.deepEqual(DEFAULT_SOCKET_OPTIONS.transports, ['websocket', 'polling'])
    const client = createVisitorClient({
      data: { key: 'demo' },
      connection: { url: 'http://127.0.0.1:9', options: { reconnectionDelayMax: 1234 } },
    })
    const manager = client.getConnection().io
    assert.equal(manager.reconnection(), true)
    assert.equal(manager.reconnectionDelayMax(), 1234)
    assert.equal(manager.randomizationFactor(), 0.5)
    assert.equal(client.readyState, 'idle')
    assert.equal(client.isConnected(), false)
    assert.equal(client.isInitialized(), false)
    assert.equal(client.getVisitorId(), null)
    client.setVisitorId('v1')
    assert.equal(client.getVisitorId(), 'v1')
  })

  test('disconnect rejects buffered requests and the pending connect', async () => {
    const client = createVisitorClient({
      data: { key: 'demo' },
      connection: { url: 'http://127.0.0.1:9', options: { reconnectionDelay: 50 } },
    })
    const states: string[] = []
    client.on('connection.state_changed', (state) => states.push(state))
    const connecting = client.connect()
    const message = client.chatMessage({ content: { type: 'text', text: 'hi' } })
    await client.disconnect()
    await assert.rejects(connecting, { name: 'SocketError', type: 'disconnected' })
    await assert.rejects(message, {
      name: 'SocketError',
      type: 'disconnected',
      event: 'chat.message',
    })
    assert.deepEqual(states, ['connecting', 'disconnected'])
  })
})
