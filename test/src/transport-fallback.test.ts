/**
 * Where WebSocket is blocked (a corporate proxy that refuses the Upgrade), the client falls
 * back to HTTP long-polling by itself and chats as usual.
 */
import assert from 'node:assert/strict'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import type { Message } from '../../src/protocol.ts'
import { connectAgent, nextEvent, startTestServer } from '../support/server.ts'
import { closeAll, visitor } from './helpers.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let proxy: Server
let proxyUrl: string
let upgradesRefused = 0
let requestsForwarded = 0

before(async () => {
  server = await startTestServer()
  const target = new URL(server.url)
  // Forwards plain HTTP to the chat server and cuts every WebSocket handshake.
  proxy = createServer((req, res) => {
    requestsForwarded++
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
        // No idle keep-alive sockets left to hold the test process open.
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  proxy.on('upgrade', (_req, socket) => {
    upgradesRefused++
    socket.destroy()
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
})

after(async () => {
  await closeAll()
  proxy.closeAllConnections()
  await new Promise((resolve) => proxy.close(resolve))
  await server.close()
})

test('with WebSocket blocked the client connects over long-polling and its messages arrive', async () => {
  const agent = await connectAgent(server.url, server.agentToken)
  const client = visitor(proxyUrl)
  const data = await Promise.race([
    client.connect(),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('not connected within 10 s')), 10_000).unref(),
    ),
  ])
  assert.ok(data.visitor.id)
  assert.ok(upgradesRefused > 0, 'the client tried WebSocket first')
  assert.ok(requestsForwarded > 0, 'then long-polling')
  const received = nextEvent<{ message: Message }>(agent.socket, 'chat.message_received')
  const sent = await client.chatMessage({ content: { type: 'text', text: 'over polling' } })
  assert.equal((await received).message.id, sent.id)
  // The agent's reply comes back over polling too.
  const reply = new Promise<Message>((resolve) =>
    client.on('chat.message_received', ({ message }) => {
      if (message.subType === 'agent') resolve(message)
    }),
  )
  agent.socket.emit('chat.message', {
    chatId: sent.chatId,
    content: { type: 'text', text: 'hello back' },
  })
  assert.equal((await reply).content.text, 'hello back')
  agent.socket.close()
})
