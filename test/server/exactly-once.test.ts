/**
 * Nothing lost, nothing doubled: a `clientId` stores one message per author (a retry
 * returns it, other content under the same id is a 409, racing sockets store one), and
 * `chat.history { after }` pages a reconnecting client through everything it missed.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { ChatHistoryResult, ChatUploadInitResult, Message } from '../../src/protocol.ts'
import {
  AckError,
  connectAgent,
  connectVisitor,
  request,
  useTestServer,
} from '../support/server.ts'

const server = useTestServer()

const text = (t: string, clientId?: string) => ({
  content: { type: 'text', text: t },
  ...(clientId && { clientId }),
})

async function conflict(promise: Promise<unknown>) {
  const err = await promise.then(
    () => assert.fail('expected a conflict'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof AckError, `expected AckError, got ${err}`)
  assert.equal(err.code, 409)
  assert.equal(err.type, 'conflict')
}

async function upload(socket: Parameters<typeof request>[0], body: string) {
  const init = await request<ChatUploadInitResult>(socket, 'chat.upload_init', null)
  const form = new FormData()
  form.append('file', new Blob([body], { type: 'text/plain' }), 'f.txt')
  assert.equal((await fetch(init.url, { method: 'POST', body: form })).status, 201)
  return init.token
}

async function allMessages(socket: Parameters<typeof request>[0]) {
  const page = await request<ChatHistoryResult>(socket, 'chat.history', { limit: 100 })
  return page.messages
}

describe('clientId', () => {
  test('a repeat with the same text returns the stored message; other text is a 409', async () => {
    const { socket } = await connectVisitor(server.url)
    const first = await request<Message>(socket, 'chat.message', text('hello', 'c-1'))
    const again = await request<Message>(socket, 'chat.message', text('hello', 'c-1'))
    assert.equal(again.id, first.id)
    await conflict(request(socket, 'chat.message', text('hello!', 'c-1')))
    const texts = (await allMessages(socket)).map((m) => m.content.text)
    assert.deepEqual(texts, ['hello'])
  })

  test('uploads: a text clientId cannot be reused for a file, nor a file clientId for another file', async () => {
    const { socket } = await connectVisitor(server.url)
    await request(socket, 'chat.message', text('text first', 't-1'))
    const token = await upload(socket, 'one\n')
    await conflict(request(socket, 'chat.upload_finish', { uploadToken: token, clientId: 't-1' }))
    const sent = await request<Message>(socket, 'chat.upload_finish', {
      uploadToken: token,
      clientId: 'u-1',
    })
    // The retry after a lost ack: same token, same clientId → the same message.
    const retry = await request<Message>(socket, 'chat.upload_finish', {
      uploadToken: token,
      clientId: 'u-1',
    })
    assert.equal(retry.id, sent.id)
    const second = await upload(socket, 'two\n')
    await conflict(request(socket, 'chat.upload_finish', { uploadToken: second, clientId: 'u-1' }))
    await conflict(request(socket, 'chat.message', text('now text', 'u-1')))
    const stored = await allMessages(socket)
    assert.equal(stored.filter((m) => m.content.type === 'upload').length, 1)
    // The refused token is still unused: it can be finished under a new clientId.
    await request(socket, 'chat.upload_finish', { uploadToken: second, clientId: 'u-2' })
  })

  test('agents: same text returns the message, other text is a 409', async () => {
    const visitor = await connectVisitor(server.url)
    const first = await request<Message>(visitor.socket, 'chat.message', text('hi'))
    const agent = await connectAgent(server.url, server.agentToken)
    const send = (t: string) =>
      request<Message>(agent.socket, 'chat.message', { chatId: first.chatId, ...text(t, 'a-1') })
    const sent = await send('welcome')
    assert.equal((await send('welcome')).id, sent.id)
    await conflict(send('welcome!'))
  })

  test('two sockets of one visitor racing the same sends store each message once', async () => {
    const tab1 = await connectVisitor(server.url)
    const tab2 = await connectVisitor(server.url, { id: tab1.data.visitor.id })
    const tab3 = await connectVisitor(server.url, { id: tab1.data.visitor.id })
    const rounds = 30
    const acks = await Promise.all(
      Array.from({ length: rounds }, (_, i) =>
        Promise.all(
          [tab1, tab2, tab3].map((tab) =>
            request<Message>(tab.socket, 'chat.message', text(`race ${i}`, `race-${i}`)),
          ),
        ),
      ),
    )
    for (const trio of acks) assert.equal(new Set(trio.map((m) => m.id)).size, 1)
    const stored = await allMessages(tab1.socket)
    assert.equal(stored.length, rounds)
    assert.equal(new Set(stored.map((m) => m.clientId)).size, rounds)
  })

  test('a clientId is per author: two visitors may use the same one', async () => {
    const a = await connectVisitor(server.url)
    const b = await connectVisitor(server.url)
    const ma = await request<Message>(a.socket, 'chat.message', text('from a', 'same'))
    const mb = await request<Message>(b.socket, 'chat.message', text('from b', 'same'))
    assert.notEqual(ma.id, mb.id)
    assert.equal(mb.content.text, 'from b')
  })
})

describe('catch-up with chat.history { after }', () => {
  test('visitor and agent page through everything newer than a cursor, in order', async () => {
    const visitor = await connectVisitor(server.url)
    const first = await request<Message>(visitor.socket, 'chat.message', text('m0'))
    const agent = await connectAgent(server.url, server.agentToken)
    // Sent by the agent (not rate limited) while the visitor "was away".
    const missed: Message[] = []
    for (let i = 1; i <= 130; i++)
      missed.push(
        await request<Message>(agent.socket, 'chat.message', {
          chatId: first.chatId,
          ...text(`m${i}`),
        }),
      )
    // The agent's first message joined it to the chat: that event sits before it.
    const early = await request<ChatHistoryResult>(agent.socket, 'chat.history', {
      chatId: first.chatId,
      before: missed[0]!.id,
    })
    const join = early.messages.filter((m) => m.type === 'event')
    assert.equal(join.length, 1)
    const expected = [...join, ...missed].map((m) => m.id)

    for (const [label, socket, extra] of [
      ['visitor', visitor.socket, {}],
      ['agent', agent.socket, { chatId: first.chatId }],
    ] as const) {
      const got: string[] = []
      const pages: boolean[] = []
      let cursor = first.id
      for (;;) {
        const page = await request<ChatHistoryResult>(socket, 'chat.history', {
          ...extra,
          after: cursor,
          limit: 50,
        })
        got.push(...page.messages.map((m) => m.id))
        pages.push(page.hasMore)
        if (!page.hasMore) break
        cursor = page.messages.at(-1)!.id
      }
      assert.deepEqual(got, expected, label)
      assert.deepEqual(pages, [true, true, false], label)
      const none = await request<ChatHistoryResult>(socket, 'chat.history', {
        ...extra,
        after: missed.at(-1)!.id,
      })
      assert.deepEqual(none, { messages: [], hasMore: false }, label)
    }
  })
})
