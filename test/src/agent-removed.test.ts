/**
 * `agent.removed { id }` (docs/PROTOCOL.md): the reference server has no agent administration
 * and never sends it, so a bare Socket.IO server plays the chat server here and sends it.
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, afterEach, before, describe, test } from 'node:test'
import { Server, type Socket } from 'socket.io'
import type { Agent, ConnectedData, Group } from '../../src/index.ts'
import { DEFAULT_SOCKET_PATH } from '../../src/protocol.ts'
import { closeAll, next, visitor } from './helpers.ts'

const agent = (id: string, groups: string[] = []): Agent => ({
  id,
  status: 'online',
  groups,
  nickname: id,
  fullname: id,
  description: '',
  avatar: '',
})

/** Ann (sales) and Bob (support) online, both assigned to the visitor's chat. */
function connectedData(): ConnectedData {
  const groups: Group[] = [
    { key: 'sales', name: 'Sales', status: 'online' },
    { key: 'support', name: 'Support', status: 'online' },
  ]
  return {
    serverVersion: 1,
    visitor: {
      id: 'v1',
      chatId: 'c1',
      lang: null,
      name: null,
      email: null,
      phone: null,
      bannedAt: null,
      group: null,
      visits: 1,
      variables: {},
    },
    browser: null,
    account: {
      status: 'online',
      agents: [agent('ann', ['sales']), agent('bob', ['support'])],
      groups,
    },
    chat: {
      id: 'c1',
      assignedIds: ['ann', 'bob'],
      rating: null,
      status: 'open',
      readInfo: { type: 'agent', lastReadAt: null },
      unreadInfo: { type: 'visitor', count: 0, lastReadAt: null },
      messages: [],
    },
  }
}

const httpServer = createServer()
const io = new Server(httpServer, { path: DEFAULT_SOCKET_PATH })
let url: string
/** The server side of the client's socket, once it sent `visitor.connect`. */
let connected: Promise<Socket>

before(async () => {
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`
})
afterEach(closeAll)
after(async () => {
  await closeAll()
  await io.close()
})

/** A client connected to the bare server, and the server's end of its socket. */
async function connect() {
  connected = new Promise((resolve) => {
    io.once('connection', (socket) => {
      socket.on('visitor.connect', (_options: unknown, ack: (...args: unknown[]) => void) => {
        ack(null, connectedData())
        resolve(socket)
      })
    })
  })
  const client = visitor(url, { key: 'any' }, { page: null })
  await client.connect()
  return { client, server: await connected }
}

describe('agent.removed', () => {
  test('drops the agent from getAgents() and the assigned agents, then emits the event', async () => {
    const { client, server } = await connect()
    assert.deepEqual(
      client.getAssignedAgents().map((a) => a.id),
      ['ann', 'bob'],
    )
    const removed = next(client, 'agent.removed')
    const groupChanged = next(client, 'group.updated')
    server.emit('agent.removed', { id: 'ann' })

    const [event] = await removed
    assert.deepEqual(event, { id: 'ann' })
    assert.deepEqual(
      client.getAgents().map((a) => a.id),
      ['bob'],
    )
    assert.equal(client.getAgent('ann'), null)
    assert.deepEqual(
      client.getAssignedAgents().map((a) => a.id),
      ['bob'],
    )
    // Ann was the only agent of Sales: the group goes offline; Support keeps Bob.
    const [group] = await groupChanged
    assert.deepEqual(group, { key: 'sales', name: 'Sales', status: 'offline' })
    assert.equal(client.getGroup('support')?.status, 'online')
  })

  test('an unknown id changes nothing but is still emitted', async () => {
    const { client, server } = await connect()
    const removed = next(client, 'agent.removed')
    server.emit('agent.removed', { id: 'nobody' })
    assert.deepEqual((await removed)[0], { id: 'nobody' })
    assert.deepEqual(
      client.getAgents().map((a) => a.id),
      ['ann', 'bob'],
    )
    assert.equal(client.getAssignedAgents().length, 2)
  })
})
