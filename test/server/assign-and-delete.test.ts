/**
 * `chat.assign`, `chat.unassign` and `chat.delete` (docs/AGENT-PROTOCOL.md) against the real
 * server, heard by the Web SDK (`createVisitorClient`) on the visitor side: the rows
 * `chat.agent_assigned`, `chat.agent_unassigned` and `chat.deleted` of docs/PROTOCOL.md.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { after, afterEach, before, describe, test } from 'node:test'
import { fileIdOfUrl } from '../../server/messages.ts'
import type { AgentChat, Message } from '../../src/protocol.ts'
import { closeAll, next, visitor } from '../src/helpers.ts'
import {
  type AckError,
  addTestAccount,
  closeSockets,
  connectAgent,
  nextEvent,
  request,
  startTestServer,
  type TestServer,
} from '../support/server.ts'

/** A real 1×1 PNG, so the server's type sniffing accepts it (and makes a thumbnail). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

let server: TestServer
/** The demo agent (Alex) and a colleague of the same account (Sam). */
let alexId: string
const samId = 'agent-sam'
/** An agent of another account, and its token. */
let olga: { id: string; token: string }

before(async () => {
  server = await startTestServer()
  const storage = server.server.storage
  const demo = (await storage.getAccountByKey('demo'))!
  await storage.saveAgent({
    id: samId,
    accountId: demo.id,
    token: 'sam-token',
    nickname: 'Sam',
    fullname: 'Sam Colleague',
    description: '',
    avatar: '',
    groups: [],
  })
  const other = await addTestAccount(server, { key: 'other' })
  const [otherAgent] = await storage.listAgents(other.accountId)
  olga = { id: otherAgent!.id, token: other.agentToken }
  alexId = (await connectAgent(server.url, server.agentToken)).data.agent.id
})
afterEach(async () => {
  await closeAll()
  closeSockets()
})
after(() => server.close())

const text = (text: string) => ({ content: { type: 'text' as const, text } })

/** A visitor (the SDK) with a chat, and Alex's agent socket. */
async function chatWithAgent() {
  const client = visitor(server.url)
  await client.connect()
  const { chatId } = await client.chatMessage(text('hello'))
  const alex = await connectAgent(server.url, server.agentToken)
  return { client, chatId, alex: alex.socket }
}

async function historyTypes(socket: Parameters<typeof request>[0], chatId: string) {
  const { messages } = await request<{ messages: Message[] }>(socket, 'chat.history', { chatId })
  return messages.map((m) => m.content.type)
}

const rejectsWith = (type: string) => (err: AckError) => {
  assert.equal(err.type, type)
  return true
}

describe('chat.assign', () => {
  test('the colleague is assigned; the SDK gets chat.agent_assigned and tracks them', async () => {
    const { client, chatId, alex } = await chatWithAgent()
    assert.ok(client.getAgent(samId), 'the colleague is one of the account’s agents')
    const assigned = next(client, 'chat.agent_assigned')
    const received = nextEvent<{ chatId: string; message: Message }>(
      alex,
      'chat.message_received',
      (d) => d.message.content.type === 'agent_assign',
    )
    const updated = nextEvent<{ chat: AgentChat }>(
      alex,
      'chat.message_received',
      (d) => d.chat.id === chatId && d.chat.assignedIds.length > 0,
    )
    await request(alex, 'chat.assign', { chatId, agentId: samId })

    const [event] = await assigned
    assert.equal(event.chatId, chatId)
    assert.equal(event.assigned.id, samId)
    assert.equal(event.assigned.nickname, 'Sam')
    assert.equal(event.assignedBy.id, alexId)
    assert.equal(event.message.type, 'event')
    assert.equal(event.message.subType, 'system')
    assert.equal(event.message.chatId, chatId)
    assert.equal(event.message.agentId, samId)
    assert.deepEqual(event.message.content, {
      type: 'agent_assign',
      text: null,
      data: { assigned: samId, assignedBy: alexId },
    })
    assert.deepEqual(
      client.getAssignedAgents().map((a) => a.id),
      [samId],
    )

    assert.equal((await received).message.id, event.message.id)
    const { chat } = await updated
    assert.equal(chat.status, 'open')
    assert.deepEqual(chat.assignedIds, [samId])

    // Already assigned: nothing happens.
    await request(alex, 'chat.assign', { chatId, agentId: samId })
    assert.deepEqual(await historyTypes(alex, chatId), ['text', 'agent_assign'])
  })

  test('an agent may assign itself beside a colleague; a closed chat is a conflict', async () => {
    const { client, chatId, alex } = await chatWithAgent()
    const first = next(client, 'chat.agent_assigned')
    await request(alex, 'chat.assign', { chatId, agentId: samId })
    await first
    const second = next(client, 'chat.agent_assigned')
    await request(alex, 'chat.assign', { chatId, agentId: alexId })
    const [event] = await second
    assert.equal(event.assigned.id, alexId)
    assert.equal(event.assignedBy.id, alexId)
    assert.deepEqual(
      client.getAssignedAgents().map((a) => a.id),
      [samId, alexId],
    )

    // Closed: unassigning still works (the chat stays closed), assigning is a conflict.
    await request(alex, 'chat.close', { chatId })
    const updated = nextEvent<{ chat: AgentChat }>(
      alex,
      'chat.message_received',
      (d) => d.chat.id === chatId && !d.chat.assignedIds.includes(samId),
    )
    await request(alex, 'chat.unassign', { chatId, agentId: samId })
    assert.equal((await updated).chat.status, 'closed')
    await assert.rejects(
      request(alex, 'chat.assign', { chatId, agentId: samId }),
      rejectsWith('conflict'),
    )
  })
})

describe('chat.unassign', () => {
  test('the colleague is unassigned; the SDK gets chat.agent_unassigned and forgets them', async () => {
    const { client, chatId, alex } = await chatWithAgent()
    await request(alex, 'chat.assign', { chatId, agentId: samId })
    const unassigned = next(client, 'chat.agent_unassigned')
    const updated = nextEvent<{ chat: AgentChat }>(
      alex,
      'chat.message_received',
      (d) => d.chat.id === chatId && d.chat.assignedIds.length === 0,
    )
    await request(alex, 'chat.unassign', { chatId, agentId: samId })

    const [event] = await unassigned
    assert.equal(event.chatId, chatId)
    assert.equal(event.unassigned.id, samId)
    assert.equal(event.unassignedBy.id, alexId)
    assert.equal(event.message.agentId, samId)
    assert.deepEqual(event.message.content, {
      type: 'agent_unassign',
      text: null,
      data: { unassigned: samId, unassignedBy: alexId },
    })
    assert.deepEqual(client.getAssignedAgents(), [])
    assert.equal((await updated).chat.status, 'pending', 'nobody is left')

    // Not assigned any more: nothing happens.
    await request(alex, 'chat.unassign', { chatId, agentId: samId })
    assert.deepEqual(await historyTypes(alex, chatId), ['text', 'agent_assign', 'agent_unassign'])
  })
})

describe('chat.delete', () => {
  test('the visitor’s tabs get chat.deleted, the chat and its file are gone, the next message opens a new chat', async () => {
    const { client, chatId, alex } = await chatWithAgent()
    const visitorId = client.getVisitorId()!
    const upload = await client.uploadFile(new Blob([PNG], { type: 'image/png' }), {
      fileName: 'dot.png',
    })
    const attachment = upload.attachments[0]!
    const blob = join(server.dataDir, 'uploads', fileIdOfUrl(attachment.url)!)
    assert.equal((await fetch(attachment.url)).status, 200)
    assert.ok(existsSync(blob) && existsSync(`${blob}.thumb`))
    await request(alex, 'chat.assign', { chatId, agentId: samId })
    const otherTab = visitor(server.url, { id: visitorId })
    await otherTab.connect()

    const deleted = [next(client, 'chat.deleted'), next(otherTab, 'chat.deleted')]
    const agentHeard = nextEvent(alex, 'chat.deleted')
    await request(alex, 'chat.delete', { chatId })
    for (const tab of await Promise.all(deleted)) assert.deepEqual(tab, [{ chatId }])
    assert.deepEqual(await agentHeard, { chatId })
    assert.equal(client.getVisitorIdentity()?.chatId, null)
    assert.deepEqual(client.getAssignedAgents(), [])

    // Gone for agents: history, the list, a second delete; the file is not served any more.
    await assert.rejects(request(alex, 'chat.history', { chatId }), rejectsWith('not_found'))
    await assert.rejects(request(alex, 'chat.delete', { chatId }), rejectsWith('not_found'))
    const { chats } = await request<{ chats: AgentChat[] }>(alex, 'chats.list', { status: 'all' })
    assert.ok(!chats.some((c) => c.id === chatId))
    assert.equal((await fetch(attachment.url)).status, 404)
    assert.ok(!existsSync(blob) && !existsSync(`${blob}.thumb`), 'the blobs are removed')

    // Gone for the visitor: a new tab has no chat; the next message opens a new one.
    const returning = visitor(server.url, { id: visitorId })
    assert.equal((await returning.connect()).chat, null)
    const switched = next(otherTab, 'visitor.updated', (changes) => !!changes.chatId)
    const again = await client.chatMessage(text('still there?'))
    assert.notEqual(again.chatId, chatId)
    assert.deepEqual(await switched, [{ chatId: again.chatId }])
    const { messages } = await client.chatHistory()
    assert.deepEqual(
      messages.map((m) => m.content.text),
      ['still there?'],
    )
  })
})

describe('another account', () => {
  test('its chats and its agents are not_found; a bad payload is a validation_error', async () => {
    const { chatId, alex } = await chatWithAgent()
    await request(alex, 'chat.assign', { chatId, agentId: samId })
    const { socket: theirs } = await connectAgent(server.url, olga.token)
    for (const [event, payload] of [
      ['chat.assign', { chatId, agentId: olga.id }],
      ['chat.unassign', { chatId, agentId: samId }],
      ['chat.delete', { chatId }],
    ] as const) {
      await assert.rejects(request(theirs, event, payload), rejectsWith('not_found'), event)
    }
    for (const agentId of [olga.id, 'no-such-agent']) {
      await assert.rejects(
        request(alex, 'chat.assign', { chatId, agentId }),
        rejectsWith('not_found'),
      )
      await assert.rejects(
        request(alex, 'chat.unassign', { chatId, agentId }),
        rejectsWith('not_found'),
      )
    }
    for (const payload of [{ chatId }, { chatId, agentId: '' }, { agentId: samId }]) {
      await assert.rejects(request(alex, 'chat.assign', payload), rejectsWith('validation_error'))
    }
    await assert.rejects(request(alex, 'chat.delete', {}), rejectsWith('validation_error'))
    // Nothing changed.
    assert.deepEqual(await historyTypes(alex, chatId), ['text', 'agent_assign'])
  })
})
