/**
 * Two nodes, one conversation: the visitor on node A, the agent on node B. Everything
 * either side does reaches the other exactly once, through Redis; files uploaded through
 * one node are served by the other.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Socket } from 'socket.io-client'
import type { ChatHistoryResult, ChatUploadInitResult, Message } from '../../src/protocol.ts'
import {
  closeSockets,
  connectAgent,
  connectVisitor,
  nextEvent,
  noEvent,
  request,
} from '../support/server.ts'
import { AGENT_TOKEN, type Cluster, createCluster, type Node, requireServices } from './support.ts'

const services = await requireServices()
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
)

/** Every `event` a socket hears, to count repeats. */
function record(socket: Socket, event: string): unknown[] {
  const seen: unknown[] = []
  socket.on(event, (data: unknown) => seen.push(data))
  return seen
}

const text = (t: string, clientId?: string) => ({
  content: { type: 'text', text: t },
  ...(clientId && { clientId }),
})

describe('two nodes', { skip: services.skip }, () => {
  let cluster: Cluster
  let a: Node
  let b: Node

  before(async () => {
    if (services.skip !== false) return
    cluster = await createCluster(services.databaseUrl)
    a = await cluster.start('node-a')
    b = await cluster.start('node-b')
  })
  after(async () => {
    closeSockets()
    await cluster?.close()
  })

  test('visitor on A, agent on B: messages, typing, reads, status and files, each once', async () => {
    const agent = (await connectAgent(b.url, AGENT_TOKEN)).socket
    const { socket: visitor, data } = await connectVisitor(a.url)
    // A second tab of the same visitor on node B stays in step with the first.
    const { socket: tab } = await connectVisitor(b.url, { id: data.visitor.id })
    assert.equal(data.account.status, 'offline')

    // Status: the agent goes online on B; both tabs hear it, and a new visitor on A sees it.
    const statusA = nextEvent(visitor, 'account.updated')
    const statusTab = nextEvent(tab, 'account.updated')
    agent.emit('agent.status', { status: 'online' })
    assert.deepEqual(await statusA, { status: 'online' })
    assert.deepEqual(await statusTab, { status: 'online' })
    const late = await connectVisitor(a.url)
    assert.equal(late.data.account.status, 'online')
    late.socket.close()

    // Visitor → agent (and the other tab), once each.
    const agentHeard = record(agent, 'chat.message_received')
    const tabHeard = record(tab, 'chat.message_received')
    const visitorHeard = record(visitor, 'chat.message_received')
    const sent = await request<Message>(visitor, 'chat.message', text('hello from A', 'v-1'))
    const chatId = sent.chatId

    // Agent → visitor.
    const reply = await request<Message>(agent, 'chat.message', {
      chatId,
      ...text('hello from B', 'a-1'),
    })

    // Typing, both ways.
    const visitorTyping = nextEvent(agent, 'chat.visitor_typing')
    visitor.emit('chat.typing', { typing: { is: true, text: 'hel' } })
    assert.equal((await visitorTyping).typing.is, true)
    const agentTyping = nextEvent(visitor, 'chat.agent_typing')
    agent.emit('chat.typing', { chatId, typing: { is: true } })
    assert.equal((await agentTyping).typing.is, true)

    // Read marks, both ways (the other tab agrees on unread).
    const contactRead = nextEvent(agent, 'chat.contact_read')
    const tabRead = nextEvent(tab, 'chat.contact_read')
    visitor.emit('chat.read', null)
    assert.equal((await contactRead).chatId, chatId)
    assert.equal((await tabRead).chatId, chatId)
    const agentRead = nextEvent(visitor, 'chat.agent_read')
    agent.emit('chat.read', { chatId })
    assert.equal((await agentRead).chatId, chatId)

    // A file uploaded through node A, its message heard on B, its bytes served by B.
    const init = await request<ChatUploadInitResult>(visitor, 'chat.upload_init', null)
    const form = new FormData()
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'dot.png')
    assert.equal((await fetch(init.url, { method: 'POST', body: form })).status, 201)
    const upload = await request<Message>(visitor, 'chat.upload_finish', {
      uploadToken: init.token,
      clientId: 'v-file',
    })
    const fileUrl = new URL(upload.attachments![0]!.url)
    const fromB = await fetch(`${b.url}${fileUrl.pathname}`)
    assert.equal(fromB.status, 200)
    assert.deepEqual(Buffer.from(await fromB.arrayBuffer()), PNG)
    const thumb = new URL(upload.attachments![0]!.thumb400!.url)
    assert.equal((await fetch(`${b.url}${thumb.pathname}`)).status, 200)

    // An agent upload through node B, served by A.
    const agentInit = await request<ChatUploadInitResult>(agent, 'chat.upload_init', { chatId })
    const agentForm = new FormData()
    agentForm.append('file', new Blob(['plain text'], { type: 'text/plain' }), 'note.txt')
    const posted = await fetch(agentInit.url, { method: 'POST', body: agentForm })
    assert.equal(posted.status, 201)
    const agentFile = await request<Message>(agent, 'chat.upload_finish', {
      chatId,
      uploadToken: agentInit.token,
    })
    const fromA = await fetch(`${a.url}${new URL(agentFile.attachments![0]!.url).pathname}`)
    assert.equal(await fromA.text(), 'plain text')

    // Let stragglers arrive, then count: each message once on every socket.
    await noEvent(visitor, 'chat.message_received', 300)
    const ids = (heard: unknown[]) =>
      heard.map((event) => (event as { message: Message }).message.id).sort()
    const texts = [sent.id, reply.id, upload.id, agentFile.id].sort()
    assert.deepEqual(ids(visitorHeard), texts)
    assert.deepEqual(ids(tabHeard), texts)
    // The agent also hears the join event of its first reply.
    assert.deepEqual(
      ids(agentHeard).filter((id) => texts.includes(id)),
      texts,
    )
    assert.equal(new Set(ids(agentHeard)).size, agentHeard.length)
  })

  test('an upload token works on any node: init, POST and finish each on either node', async () => {
    const agent = (await connectAgent(b.url, AGENT_TOKEN)).socket
    // The same agent's second console, on node A.
    const agentOnA = (await connectAgent(a.url, AGENT_TOKEN)).socket
    const { socket: visitor, data } = await connectVisitor(a.url)
    const { socket: tab } = await connectVisitor(b.url, { id: data.visitor.id })
    const heard = [agent, visitor, tab].map((socket) => record(socket, 'chat.message_received'))
    const opened = await request<Message>(visitor, 'chat.message', text('files next', 'v-open'))
    const chatId = opened.chatId
    await request(agent, 'chat.message', { chatId, ...text('send them', 'a-open') })

    /** POSTs `body` to the upload URL with its origin replaced by `node`'s. */
    const post = async (url: string, node: Node, body: Blob, name: string) => {
      const form = new FormData()
      form.append('file', body, name)
      const target = new URL(new URL(url).pathname, node.url)
      const res = await fetch(target, { method: 'POST', body: form })
      assert.equal(res.status, 201, `POST to ${node.name}: ${await res.text()}`)
    }
    /** The file's bytes as served by `node`. */
    const bytesFrom = async (node: Node, message: Message) => {
      const res = await fetch(new URL(new URL(message.attachments![0]!.url).pathname, node.url))
      assert.equal(res.status, 200, `GET from ${node.name}`)
      return Buffer.from(await res.arrayBuffer())
    }
    const png = new Blob([PNG], { type: 'image/png' })

    // Visitor: token from A, bytes to B, finished on A.
    const first = await request<ChatUploadInitResult>(visitor, 'chat.upload_init', null)
    assert.equal(new URL(first.url).origin, a.url)
    await post(first.url, b, png, 'a-b-a.png')
    const onA = await request<Message>(visitor, 'chat.upload_finish', {
      uploadToken: first.token,
      clientId: 'v-file-a',
    })
    assert.equal(onA.chatId, chatId)

    // Visitor: token from A, bytes to B, finished on B by the visitor's other tab.
    const second = await request<ChatUploadInitResult>(visitor, 'chat.upload_init', null)
    await post(second.url, b, png, 'a-b-b.png')
    const onB = await request<Message>(tab, 'chat.upload_finish', {
      uploadToken: second.token,
      clientId: 'v-file-b',
    })
    assert.equal(onB.chatId, chatId)
    // A used token stays used on the other node.
    await assert.rejects(
      request(visitor, 'chat.upload_finish', { uploadToken: second.token, clientId: 'v-again' }),
      { code: 409 },
    )

    // Agent: token from B, bytes to A, finished on A by the agent's other console.
    const note = Buffer.from('a note, uploaded across nodes\n')
    const third = await request<ChatUploadInitResult>(agent, 'chat.upload_init', { chatId })
    assert.equal(new URL(third.url).origin, b.url)
    await post(third.url, a, new Blob([note], { type: 'text/plain' }), 'note.txt')
    const byAgent = await request<Message>(agentOnA, 'chat.upload_finish', {
      chatId,
      uploadToken: third.token,
    })

    // Every file, byte-identical from either node.
    for (const node of [a, b]) {
      assert.deepEqual(await bytesFrom(node, onA), PNG)
      assert.deepEqual(await bytesFrom(node, onB), PNG)
      assert.deepEqual(await bytesFrom(node, byAgent), note)
    }

    // Let stragglers arrive, then count: each upload one message, heard once on every socket.
    await noEvent(visitor, 'chat.message_received', 300)
    const uploads = [onA.id, onB.id, byAgent.id]
    for (const seen of heard) {
      const ids = seen.map((event) => (event as { message: Message }).message.id)
      assert.deepEqual(
        ids.filter((id) => uploads.includes(id)),
        uploads,
      )
      assert.equal(new Set(ids).size, ids.length)
    }
    const history = await request<ChatHistoryResult>(agent, 'chat.history', { chatId })
    assert.deepEqual(
      history.messages.filter((m) => m.attachments?.length).map((m) => m.id),
      uploads,
    )
  })

  test('/healthz names the node and reports storage and Redis', async () => {
    const res = await fetch(`${a.url}/healthz`)
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), {
      ok: true,
      status: 'ok',
      storage: true,
      redis: true,
      node: 'node-a',
    })
  })
})
