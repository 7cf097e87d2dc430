/**
 * A connection's packets of one turn of the event loop leave in one write to the network
 * (server/gateways/coalesced-writes.ts), in the order they were emitted.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type Socket as ClientSocket, io } from 'socket.io-client'
import { DEFAULT_SOCKET_PATH } from '../../src/protocol.ts'
import { until } from '../src/helpers.ts'
import { connectVisitor, nextEvent, request, useTestServer } from '../support/server.ts'

const server = useTestServer()

interface TcpSocket {
  _write(...args: unknown[]): void
  _writev(...args: unknown[]): void
}

/** Counts the writes the server makes to the network on the connection of `client`. */
function countWrites(client: ClientSocket): { readonly count: number } {
  // Engine.IO's connections by id (a protected field of its typings).
  const { clients } = server.server.io.engine as unknown as { clients: Record<string, unknown> }
  const connection = clients[client.io.engine.id] as {
    transport: { name: string; socket: { _socket: TcpSocket } }
  }
  assert.equal(connection.transport.name, 'websocket')
  const tcp = connection.transport.socket._socket
  const counter = { count: 0 }
  for (const method of ['_write', '_writev'] as const) {
    const original = tcp[method]
    tcp[method] = function (this: TcpSocket, ...args: unknown[]) {
      counter.count++
      return original.apply(this, args)
    }
  }
  return counter
}

/** The server side of a client's visitor socket. */
function serverSocketOf(client: ClientSocket) {
  const socket = server.server.io.of('/').sockets.get(client.id!)
  assert.ok(socket)
  return socket
}

test('packets emitted in one turn reach the client in one write, in order', async () => {
  const { socket } = await connectVisitor(server.url)
  const writes = countWrites(socket)
  const received: string[] = []
  const all = new Promise<void>((resolve) => {
    socket.on('test.packet', (label: string) => {
      received.push(label)
      if (received.length === 3) resolve()
    })
  })
  const peer = serverSocketOf(socket)
  peer.emit('test.packet', 'first')
  peer.emit('test.packet', 'second')
  peer.emit('test.packet', 'third')
  await all
  assert.deepEqual(received, ['first', 'second', 'third'])
  assert.equal(writes.count, 1)
})

test("a visitor's message: its echo and its ack leave in one write", async () => {
  const { socket } = await connectVisitor(server.url)
  // The first message opens the chat (other events too): the second is a plain one.
  await request(socket, 'chat.message', { content: { type: 'text', text: 'opens the chat' } })
  const writes = countWrites(socket)
  const echo = nextEvent(socket, 'chat.message_received')
  const stored = await request<{ id: string }>(socket, 'chat.message', {
    content: { type: 'text', text: 'hello' },
  })
  assert.equal((await echo).message.id, stored.id)
  assert.equal(writes.count, 1)
})

test('packets of later turns are written as they come, not held back', async () => {
  const { socket } = await connectVisitor(server.url)
  const peer = serverSocketOf(socket)
  for (const label of ['one', 'two', 'three']) {
    const arrived = nextEvent(socket, 'test.packet')
    peer.emit('test.packet', label)
    assert.equal(await arrived, label)
  }
})

test('over long-polling, and across the upgrade to WebSocket, every packet arrives in order', async () => {
  const received: number[] = []
  let transportAtConnection = ''
  // The server side writes while the connection still polls, as it upgrades, and after.
  server.server.io.of('/').once('connection', (peer) => {
    const conn = peer.conn as unknown as {
      transport: { name: string }
      once(e: 'upgrade', fn: () => void): void
    }
    transportAtConnection = conn.transport.name
    for (let n = 0; n < 3; n++) peer.emit('test.packet', n)
    conn.once('upgrade', () => {
      for (let n = 3; n < 6; n++) peer.emit('test.packet', n)
      setTimeout(() => {
        for (let n = 6; n < 9; n++) peer.emit('test.packet', n)
      }, 5)
    })
  })
  // Socket.IO's default: long-polling first, then the upgrade (the official client skips it).
  const socket = io(server.url, {
    path: DEFAULT_SOCKET_PATH,
    transports: ['polling', 'websocket'],
    forceNew: true,
    reconnection: false,
  })
  socket.on('test.packet', (n: number) => received.push(n))
  try {
    await until(() => received.length === 9, 3000, 'all nine packets')
    assert.equal(transportAtConnection, 'polling')
    assert.equal(socket.io.engine.transport.name, 'websocket')
    assert.deepEqual(received, [0, 1, 2, 3, 4, 5, 6, 7, 8])
  } finally {
    socket.close()
  }
})
