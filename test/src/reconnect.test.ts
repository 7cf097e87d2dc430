/**
 * Reconnects against the real server: stop it, start it again on the same port and data
 * directory, and the client comes back by itself as the same visitor with its chat.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, describe, test } from 'node:test'
import type { ConnectionState } from '../../src/index.ts'
import { startTestServer } from '../support/server.ts'
import { closeAll, next, until, visitor } from './helpers.ts'

type TestServer = Awaited<ReturnType<typeof startTestServer>>

const dataDir = mkdtempSync(join(tmpdir(), 'chat-widget-sdk-'))
let server: TestServer | null = null

afterEach(async () => {
  await closeAll()
  await server?.close()
  server = null
})
after(() => rmSync(dataDir, { recursive: true, force: true }))

const text = (text: string) => ({ content: { type: 'text' as const, text } })

describe('reconnect', () => {
  test('after a server restart: same visitor, chat kept, buffered message delivered', async () => {
    server = await startTestServer({ dataDir })
    const { port } = server
    const client = visitor(server.url)
    const states: ConnectionState[] = []
    client.on('connection.state_changed', (state) => states.push(state))
    let initializedCount = 0
    client.on('initialized', () => initializedCount++)

    const first = await client.connect()
    const before = await client.chatMessage(text('before the restart'))
    const visitorId = first.visitor.id

    const disconnected = next(client, 'disconnect')
    await server.close()
    server = null
    await disconnected
    await until(() => client.readyState === 'reconnecting', 5000, 'reconnecting')
    assert.equal(client.isInitialized(), false)

    // Sent while the server is down: buffered, not lost.
    const whileDown = client.chatMessage(text('while the server was down'))

    const reinitialized = next(client, 'initialized', () => true, 10_000)
    server = await startTestServer({ port, dataDir })
    const [data] = await reinitialized
    assert.equal(initializedCount, 2)
    assert.equal(data.visitor.id, visitorId)
    assert.equal(client.getVisitorId(), visitorId)
    assert.equal(data.chat?.id, before.chatId)
    assert.ok(data.chat?.messages.some((m) => m.id === before.id))

    const delivered = await whileDown
    assert.equal(delivered.chatId, before.chatId)
    const { messages } = await client.chatHistory({ limit: 10 })
    assert.deepEqual(
      messages.filter((m) => m.subType === 'contact').map((m) => m.content.text),
      ['before the restart', 'while the server was down'],
    )
    assert.deepEqual(states, ['connecting', 'initialized', 'reconnecting', 'initialized'])
    assert.equal(await client.connect(), data)
  })

  test('a client started while the server is down connects once it is up', async () => {
    const probe = await startTestServer({ dataDir })
    const { port, url } = probe
    await probe.close()
    const client = visitor(url)
    const connecting = client.connect()
    assert.equal(client.readyState, 'connecting')
    server = await startTestServer({ port, dataDir })
    const data = await connecting
    assert.equal(typeof data.visitor.id, 'string')
    assert.equal(client.readyState, 'initialized')
  })
})
