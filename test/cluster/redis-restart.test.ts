/**
 * Redis goes away in the middle of a conversation and comes back empty (no persistence).
 * Both nodes keep serving from storage meanwhile, `/healthz` says Redis is unreachable,
 * and whatever was said while Redis was down reaches the other side exactly once.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { io, type Socket } from 'socket.io-client'
import type { ChatHistoryResult, Message } from '../../src/protocol.ts'
import { type ChatService, createChatService } from '../../src/store/chat-service.ts'
import { memoryPersistence } from '../../src/store/persistence.ts'
import { closeSockets, connectAgent, request } from '../support/server.ts'
import {
  AGENT_TOKEN,
  type Cluster,
  createCluster,
  requireServices,
  startRedis,
  until,
} from './support.ts'

const services = await requireServices()

const texts = (service: ChatService) =>
  service.state.items
    .filter((item) => item.message.content.type === 'text' && !item.pending)
    .map((item) => item.message.content.text)

describe('redis restart', { skip: services.skip }, () => {
  let cluster: Cluster
  let redis: Awaited<ReturnType<typeof startRedis>>
  let visitor: ChatService | undefined

  before(async () => {
    if (services.skip !== false) return
    redis = await startRedis()
    cluster = await createCluster(services.databaseUrl, redis.url)
  })
  after(async () => {
    await visitor?.stop()
    closeSockets()
    for (const socket of agents) socket.close()
    await cluster?.close()
    await redis?.kill()
  })

  test('messages sent while Redis is down are delivered once after it returns', async () => {
    const a = await cluster.start('node-a')
    const b = await cluster.start('node-b')
    // The console reconnects by itself: this one too.
    const agent = await reconnectingAgent(b.url)
    // The same agent's second console, on the visitor's node.
    const sameNode = (await connectAgent(a.url, AGENT_TOKEN)).socket
    const sameNodeHeard: string[] = []
    sameNode.on('chat.message_received', ({ message }: { message: Message }) =>
      sameNodeHeard.push(message.content.text ?? ''),
    )
    agent.emit('agent.status', { status: 'online' })
    const agentHeard: Message[] = []
    agent.on('chat.message_received', ({ message }: { message: Message }) =>
      agentHeard.push(message),
    )
    visitor = createChatService({
      server: a.url,
      key: 'demo',
      persistence: memoryPersistence(),
      socketOptions: { transports: ['websocket'], reconnectionDelay: 300 },
    })
    await visitor.start()
    await until('online', () => visitor!.state.connection === 'online')
    await until('agent online', () => visitor!.state.accountStatus === 'online')
    await visitor.send('before')
    const chatId = visitor.state.chatId!
    const agentView = agentViewOf(agent, chatId)
    await request(agent, 'chat.message', { chatId, content: { type: 'text', text: 'reply' } })
    await until('reply heard', () => texts(visitor!).includes('reply'))

    await redis.kill()
    const down = await fetch(`${a.url}/healthz`)
    assert.equal(down.status, 503)
    assert.deepEqual((await down.json()).redis, false)

    // Both sides keep talking: stored at once; a node's own sockets still hear it now.
    await request(agent, 'chat.message', {
      chatId,
      content: { type: 'text', text: 'agent while down' },
    })
    await visitor.send('visitor while down')
    await until('heard on the same node', () => sameNodeHeard.includes('visitor while down'))
    const startedAt = Date.now()
    await redis.restart()

    // The visitor is told to reconnect and catches up from storage.
    await until('visitor caught up', () => texts(visitor!).includes('agent while down'), 10_000)
    console.log(
      `  redis restart: caught up ${Date.now() - startedAt} ms after Redis was started again`,
    )
    await until('healthy', async () => (await fetch(`${b.url}/healthz`)).status === 200)
    await until('agent back', () => agent.connected, 10_000)
    // Let any late repeat arrive, then count.
    await new Promise((resolve) => setTimeout(resolve, 500))
    assert.deepEqual(texts(visitor), ['before', 'reply', 'agent while down', 'visitor while down'])
    // Live, it is heard at most once; the agent's view (live + catch-up) has it exactly once.
    assert.ok(agentHeard.filter((m) => m.content.text === 'visitor while down').length <= 1)
    await until('agent caught up', () => agentView.texts().includes('visitor while down'), 10_000)
    assert.deepEqual(
      agentView.texts().filter((t) => t === 'visitor while down'),
      ['visitor while down'],
    )
    const history = await request<ChatHistoryResult>(agent, 'chat.history', { chatId })
    assert.deepEqual(
      history.messages.filter((m) => m.content.type === 'text').map((m) => m.content.text),
      ['before', 'reply', 'agent while down', 'visitor while down'],
    )
    // Fan-out works again afterwards.
    await until('visitor online', () => visitor!.state.connection === 'online', 10_000)
    await request(agent, 'chat.message', { chatId, content: { type: 'text', text: 'after' } })
    await until('after heard', () => texts(visitor!).includes('after'))
  })
})

const agents: Socket[] = []

/**
 * What an agent console shows of one chat: the messages heard live, plus, after each
 * reconnect, `chat.history({ after })` from the newest one it has; one entry per id.
 */
function agentViewOf(socket: Socket, chatId: string) {
  const messages = new Map<string, Message>()
  let newest: string | undefined
  const add = (message: Message) => {
    if (message.chatId !== chatId || messages.has(message.id)) return
    messages.set(message.id, message)
    newest = message.id
  }
  const view = { texts: () => [...messages.values()].map((m) => m.content.text ?? '') }
  socket.on('chat.message_received', ({ message }: { message: Message }) => add(message))
  socket.on('connect', async () => {
    try {
      // Page forward from the cursor (`hasMore` of a page without `after` means older ones).
      for (let more = true; more; ) {
        const after = newest
        const page = await request<ChatHistoryResult>(socket, 'chat.history', {
          chatId,
          ...(after && { after }),
        })
        for (const message of page.messages) add(message)
        newest = page.messages.at(-1)?.id ?? newest
        more = after !== undefined && page.hasMore
      }
    } catch {
      // Dropped again before the answer: the next reconnect catches up.
    }
  })
  return view
}

/** An agent socket that reconnects quickly, like the console's. */
async function reconnectingAgent(url: string): Promise<Socket> {
  const socket = io(`${url}/agent`, {
    path: '/socket',
    transports: ['websocket'],
    auth: { token: AGENT_TOKEN },
    reconnectionDelay: 200,
    reconnectionDelayMax: 500,
  })
  agents.push(socket)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
  })
  return socket
}
