/** The agent namespace (docs/AGENT-PROTOCOL.md): auth, scoping, assignment, presence. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { AgentChat, Message } from '../../src/protocol.ts'
import {
  type AckError,
  connectAgent,
  connectVisitor,
  nextEvent,
  openAgentSocket,
  request,
  useTestServer,
} from '../support/server.ts'

// A second account, to prove agents only see their own.
const server = useTestServer({}, async ({ server: { storage } }) => {
  await storage.saveAccount({
    id: 'acc-other',
    key: 'other',
    name: 'Other Shop',
    secret: 'other-secret',
    allowedOrigins: [],
    createdAt: new Date().toISOString(),
  })
  await storage.saveAgent({
    id: 'agent-other',
    accountId: 'acc-other',
    token: 'other-agent-token',
    nickname: 'Olga',
    fullname: 'Olga Other',
    description: '',
    avatar: '',
    groups: [],
  })
})

const text = (t: string) => ({ content: { type: 'text', text: t } })

async function visitorChat(key = 'demo') {
  const visitor = await connectVisitor(server.url, { key })
  const first = await request<Message>(visitor.socket, 'chat.message', text('hello'))
  return { ...visitor, chatId: first.chatId }
}

describe('handshake', () => {
  test('a missing or wrong token is refused with a clear error', async () => {
    await assert.rejects(openAgentSocket(server.url), /Agent token required/)
    await assert.rejects(openAgentSocket(server.url, 'wrong-token'), /Invalid agent token/)
    await assert.rejects(
      openAgentSocket(server.url, `${server.agentToken}x`),
      /Invalid agent token/,
    )
  })

  test('agent.connect returns the agent, its account and open chats', async () => {
    const { chatId } = await visitorChat()
    const { data } = await connectAgent(server.url, server.agentToken)
    assert.equal(data.serverVersion, 1)
    assert.equal(data.agent.nickname, 'Alex')
    assert.equal(data.agent.status, 'offline')
    assert.deepEqual(data.account, { key: 'demo', name: 'Demo Shop', status: 'offline' })
    assert.ok(data.agents.some((a) => a.id === data.agent.id))
    assert.ok(data.chats.some((c) => c.id === chatId))
  })
})

describe('scoping', () => {
  test('agents list and touch only their own account’s chats', async () => {
    const mine = await visitorChat()
    const theirs = await visitorChat('other')
    const alex = await connectAgent(server.url, server.agentToken)
    const olga = await connectAgent(server.url, 'other-agent-token')

    const { chats } = await request<{ chats: AgentChat[] }>(alex.socket, 'chats.list', {
      status: 'all',
    })
    assert.ok(chats.some((c) => c.id === mine.chatId))
    assert.ok(!chats.some((c) => c.id === theirs.chatId))
    const other = await request<{ chats: AgentChat[] }>(olga.socket, 'chats.list', {})
    assert.deepEqual(
      other.chats.map((c) => c.id),
      [theirs.chatId],
    )

    for (const [event, payload] of [
      ['chat.history', { chatId: theirs.chatId }],
      ['chat.message', { chatId: theirs.chatId, ...text('sneaky') }],
      ['chat.join', { chatId: theirs.chatId }],
      ['chat.close', { chatId: theirs.chatId }],
    ] as const) {
      await assert.rejects(request(alex.socket, event, payload), (err: AckError) => {
        assert.equal(err.type, 'not_found', event)
        return true
      })
    }
  })

  test('a new chat reaches the agents with its first message, but not other accounts', async () => {
    const alex = await connectAgent(server.url, server.agentToken)
    const olga = await connectAgent(server.url, 'other-agent-token')
    let leaked = false
    for (const event of ['chat.message_received', 'chat.updated'])
      olga.socket.on(event, () => {
        leaked = true
      })
    const updated = nextEvent<{ chat: AgentChat }>(alex.socket, 'chat.message_received')
    const { chatId, data } = await visitorChat()
    const { chat } = await updated
    assert.equal(chat.id, chatId)
    assert.equal(chat.status, 'pending')
    assert.equal(chat.visitor.id, data.visitor.id)
    assert.equal(leaked, false)
  })
})

describe('chat assignment', () => {
  test('join, leave and close send event messages and visitor events', async () => {
    const visitor = await visitorChat()
    const { chatId } = visitor
    const agent = await connectAgent(server.url, server.agentToken)

    const joined = nextEvent(visitor.socket, 'chat.agent_joined')
    await request(agent.socket, 'chat.join', { chatId })
    const join = await joined
    assert.equal(join.agent.id, agent.data.agent.id)
    assert.equal(join.message.type, 'event')
    assert.equal(join.message.content.type, 'agent_join')
    let list = await request<{ chats: AgentChat[] }>(agent.socket, 'chats.list', {})
    let chat = list.chats.find((c) => c.id === chatId)!
    assert.equal(chat.status, 'open')
    assert.deepEqual(chat.assignedIds, [agent.data.agent.id])

    const left = nextEvent(visitor.socket, 'chat.agent_left')
    await request(agent.socket, 'chat.leave', { chatId })
    assert.equal((await left).message.content.type, 'agent_leave')
    list = await request<{ chats: AgentChat[] }>(agent.socket, 'chats.list', {})
    chat = list.chats.find((c) => c.id === chatId)!
    assert.equal(chat.status, 'pending')
    assert.deepEqual(chat.assignedIds, [])

    const closed = nextEvent(visitor.socket, 'chat.closed')
    await request(agent.socket, 'chat.close', { chatId })
    const close = await closed
    assert.equal(close.closeType, 'agent_close')
    assert.equal(close.message.content.type, 'chat_close')
    await assert.rejects(
      request(agent.socket, 'chat.message', { chatId, ...text('too late') }),
      (err: AckError) => err.type === 'conflict',
    )
    const history = await request<{ messages: Message[] }>(agent.socket, 'chat.history', {
      chatId,
    })
    assert.deepEqual(
      history.messages.map((m) => m.content.type),
      ['text', 'agent_join', 'agent_leave', 'chat_close'],
    )
    const closedList = await request<{ chats: AgentChat[] }>(agent.socket, 'chats.list', {
      status: 'closed',
    })
    assert.ok(closedList.chats.some((c) => c.id === chatId))
  })

  test('the first agent message auto-joins; clientId retries return the same message', async () => {
    const visitor = await visitorChat()
    const agent = await connectAgent(server.url, server.agentToken)
    const joined = nextEvent(visitor.socket, 'chat.agent_joined')
    const payload = { chatId: visitor.chatId, ...text('Hi!'), clientId: 'a-1' }
    const sent = await request<Message>(agent.socket, 'chat.message', payload)
    await joined
    assert.equal(sent.subType, 'agent')
    assert.equal(sent.agentId, agent.data.agent.id)
    assert.deepEqual(await request(agent.socket, 'chat.message', payload), sent)
  })

  test('chat.read sends chat.agent_read to the visitor and clears the agent unread count', async () => {
    const visitor = await visitorChat()
    const agent = await connectAgent(server.url, server.agentToken)
    const read = nextEvent(visitor.socket, 'chat.agent_read')
    const updated = nextEvent<{ chat: AgentChat }>(
      agent.socket,
      'chat.updated',
      (d) => d.chat.id === visitor.chatId,
    )
    await request(agent.socket, 'chat.read', { chatId: visitor.chatId })
    assert.equal((await read).byId, agent.data.agent.id)
    const { chat } = await updated
    assert.equal(chat.unreadCount, 0)
    assert.ok(chat.agentLastReadAt)
  })
})

describe('presence', () => {
  test('an agent whose last socket disconnects goes offline', async () => {
    const { socket: visitor } = await connectVisitor(server.url)
    const first = await connectAgent(server.url, server.agentToken)
    const second = await connectAgent(server.url, server.agentToken)
    const online = nextEvent(visitor, 'account.updated')
    await request(first.socket, 'agent.status', { status: 'online' })
    assert.deepEqual(await online, { status: 'online' })

    first.socket.close()
    await new Promise((resolve) => setTimeout(resolve, 100))
    const still = await connectVisitor(server.url)
    assert.equal(still.data.account.status, 'online')

    const offline = nextEvent(visitor, 'account.updated')
    const agentOffline = nextEvent(visitor, 'agent.updated')
    second.socket.close()
    assert.deepEqual(await offline, { status: 'offline' })
    assert.deepEqual((await agentOffline).changes, { status: 'offline' })
  })
})
