/**
 * A connection's packets of one turn of the event loop leave in one write to the network
 * (server/gateways/coalesced-writes.ts), in the order they were emitted.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Socket as ClientSocket } from 'socket.io-client'
import {
  closeSockets,
  connectVisitor,
  nextEvent,
  request,
  startTestServer,
  type TestServer,
} from '../support/server.ts'

let server: TestServer
before(async () => {
  server = await startTestServer()
})
after(async () => {
  closeSockets()
  await server.close()
})

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
