/**
 * The official `smartsupp-websocket@1.2.2` client (socket.io-client 2.x, Engine.IO 3),
 * unchanged, against our server: the wire-compatibility promise of docs/PROTOCOL.md.
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { after, afterEach, before, describe, test } from 'node:test'
import { createVisitorClient, type VisitorClient } from 'smartsupp-websocket'
import type { Message } from '../../src/protocol.ts'
import {
  closeSockets,
  connectAgent,
  request,
  startTestServer,
  type TestServer,
} from '../support/server.ts'

let server: TestServer
const clients: VisitorClient[] = []

before(async () => {
  server = await startTestServer()
})
afterEach(async () => {
  closeSockets()
  await Promise.all(clients.splice(0).map((client) => client.disconnect()))
})
after(() => server.close())

function official(id: string | null = null): VisitorClient {
  const client = createVisitorClient({
    data: { id, key: 'demo' },
    connection: { url: server.url },
  })
  clients.push(client)
  return client
}

/** The next `event` the client emits (its own EventEmitter, not the socket). */
function next<T = unknown>(client: VisitorClient, event: string): Promise<T[]> {
  return once(client as unknown as NodeJS.EventEmitter, event) as Promise<T[]>
}

describe('smartsupp-websocket@1.2.2', () => {
  test('connects, sends a text message and gets the Message back', async () => {
    const client = official()
    const data = await client.connect()
    assert.equal(data.serverVersion, 1)
    assert.ok(client.getVisitorId())
    const received = next<{ message: Message }>(client, 'chat.message_received')
    const message = (await client.chatMessage({
      content: { type: 'text', text: 'Hello from the official client' },
    })) as unknown as Message
    assert.equal(message.content.text, 'Hello from the official client')
    const [event] = await received
    assert.equal(event!.message.id, message.id)
  })

  test('receives an agent reply; read, typing, close and rate work with its null payloads', async () => {
    const client = official()
    await client.connect()
    const first = (await client.chatMessage({
      content: { type: 'text', text: 'I need help' },
    })) as unknown as Message
    const agent = await connectAgent(server.url, server.agentToken)

    const joined = next(client, 'chat.agent_joined')
    const reply = next<{ message: Message }>(client, 'chat.message_received')
    const sent = await request<Message>(agent.socket, 'chat.message', {
      chatId: first.chatId,
      content: { type: 'text', text: 'Sure!' },
    })
    await joined
    assert.equal((await reply)[0]!.message.id, sent.id)
    assert.equal(client.getAssignedAgents()[0]?.nickname, 'Alex')

    const typing = next(client, 'chat.agent_typing')
    await request(agent.socket, 'chat.typing', {
      chatId: first.chatId,
      typing: { is: true, text: null },
    })
    await typing

    const read = next(client, 'chat.contact_read')
    client.chatRead() // data null, no ack
    await read

    const rateForm = (await client.chatRateInit()) as unknown as { message: Message }
    assert.equal(rateForm.message.content.type, 'rate_form')
    const rated = next(client, 'chat.rated')
    await client.chatRate({ messageId: rateForm.message.id, value: 5 } as never)
    await rated

    const upload = (await client.chatUploadInit()) as unknown as { url: string; token: string }
    assert.ok(upload.url.includes(upload.token))

    const closed = next(client, 'chat.closed')
    await client.chatClose()
    await closed
  })

  test('gets account.status_updated when the agent goes online and offline', async () => {
    const client = official()
    const data = await client.connect()
    assert.equal(data.account.status, 'offline')
    const agent = await connectAgent(server.url, server.agentToken)

    const online = next<string>(client, 'account.status_updated')
    await request(agent.socket, 'agent.status', { status: 'online' })
    assert.deepEqual(await online, ['online'])
    assert.equal(client.getAccountStatus(), 'online')
    assert.equal(client.getAgents()[0]?.status, 'online')

    const offline = next<string>(client, 'account.status_updated')
    await request(agent.socket, 'agent.status', { status: 'offline' })
    assert.deepEqual(await offline, ['offline'])
  })

  test('reconnects as the same visitor with its id', async () => {
    const client = official()
    await client.connect()
    const id = client.getVisitorId()
    await client.chatMessage({ content: { type: 'text', text: 'remember me' } })
    await client.disconnect()
    const again = official(id)
    const data = await again.connect()
    assert.equal(data.visitor.id, id)
    assert.equal(data.chat?.messages.length, 1)
  })
})
