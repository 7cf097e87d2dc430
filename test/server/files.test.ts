/** Images and their thumbnails, agent uploads, and `clientId` on `chat.upload_finish`. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import sharp from 'sharp'
import type { ChatUploadInitResult, Message } from '../../src/protocol.ts'
import {
  AckError,
  connectAgent,
  connectVisitor,
  nextEvent,
  request,
  useTestServer,
} from '../support/server.ts'

const server = useTestServer()

async function rejects(promise: Promise<unknown>, expected: Partial<AckError['wire']>) {
  const err = await promise.then(
    () => assert.fail('expected an error ack'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof AckError, `expected AckError, got ${err}`)
  for (const [key, value] of Object.entries(expected))
    assert.equal(err.wire[key as keyof AckError['wire']], value, key)
}

const post = (url: string, bytes: Uint8Array, name: string, type: string) => {
  const form = new FormData()
  form.append('file', new Blob([Uint8Array.from(bytes)], { type }), name)
  return fetch(url, { method: 'POST', body: form })
}

/** A real picture of one colour, encoded by sharp like any camera or screenshot. */
function picture(width: number, height: number) {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 30 } } })
}

async function visitorWithChat() {
  const tab = await connectVisitor(server.url)
  const first = await request<Message>(tab.socket, 'chat.message', {
    content: { type: 'text', text: 'hello' },
  })
  return { ...tab, chatId: first.chatId }
}

/** init → POST → finish as a visitor; returns the message. */
async function visitorUpload(
  socket: Awaited<ReturnType<typeof connectVisitor>>['socket'],
  bytes: Uint8Array,
  name: string,
  type: string,
) {
  const init = await request<ChatUploadInitResult>(socket, 'chat.upload_init', null)
  const res = await post(init.url, bytes, name, type)
  assert.equal(res.status, 201, await res.clone().text())
  return request<Message>(socket, 'chat.upload_finish', { uploadToken: init.token })
}

describe('image thumbnails', () => {
  for (const [type, make] of [
    ['image/png', () => picture(1200, 800).png().toBuffer()],
    ['image/jpeg', () => picture(1200, 800).jpeg().toBuffer()],
  ] as const) {
    test(`a 1200×800 ${type} gets a 400×267 thumbnail, served inline with nosniff`, async () => {
      const { socket } = await visitorWithChat()
      const message = await visitorUpload(socket, await make(), 'photo', type)
      const attachment = message.attachments[0]!
      assert.equal(attachment.type, 'image')
      assert.deepEqual([attachment.width, attachment.height], [1200, 800])
      const thumb = attachment.thumb400
      assert.ok(thumb, 'thumb400')
      assert.deepEqual([thumb.width, thumb.height], [400, 267])
      assert.ok(Date.parse(thumb.expireAt) > Date.now())
      assert.deepEqual(message.content.data, attachment)

      const res = await fetch(thumb.url)
      assert.equal(res.status, 200)
      assert.match(res.headers.get('content-type') ?? '', /^image\//)
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
      assert.equal(res.headers.get('access-control-allow-origin'), '*')
      assert.match(res.headers.get('content-disposition') ?? '', /^inline/)
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata()
      assert.deepEqual([meta.width, meta.height], [400, 267])
    })
  }

  test('a small image is never enlarged: its thumbnail has the same size', async () => {
    const { socket } = await visitorWithChat()
    const message = await visitorUpload(
      socket,
      await picture(200, 100).png().toBuffer(),
      'small.png',
      'image/png',
    )
    const { thumb400 } = message.attachments[0]!
    assert.deepEqual([thumb400?.width, thumb400?.height], [200, 100])
  })

  test('the thumbnail is upright by EXIF orientation and carries no EXIF', async () => {
    const { socket } = await visitorWithChat()
    // Stored 800×400 landscape, orientation 6: shown rotated, 400×800 portrait.
    const bytes = await picture(800, 400).jpeg().withMetadata({ orientation: 6 }).toBuffer()
    const message = await visitorUpload(socket, bytes, 'phone.jpg', 'image/jpeg')
    const attachment = message.attachments[0]!
    assert.deepEqual([attachment.width, attachment.height], [400, 800])
    assert.deepEqual([attachment.thumb400?.width, attachment.thumb400?.height], [200, 400])
    const thumb = await fetch(attachment.thumb400!.url)
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()
    assert.deepEqual([meta.width, meta.height], [200, 400])
    assert.equal(meta.exif, undefined)
    assert.equal(meta.orientation, undefined)
  })

  test('a corrupt .png is accepted as a plain file without a thumbnail', async () => {
    const { socket } = await visitorWithChat()
    const good = await picture(300, 300).png().toBuffer()
    // Valid signature and header, garbage after: sniffed as PNG, not decodable.
    const corrupt = Buffer.concat([good.subarray(0, 64), Buffer.alloc(200, 0xab)])
    const message = await visitorUpload(socket, corrupt, 'broken.png', 'image/png')
    const attachment = message.attachments[0]!
    assert.equal(attachment.type, 'file')
    assert.equal(attachment.fileType, 'image/png')
    assert.equal(attachment.thumb400, undefined)
    assert.deepEqual([attachment.width, attachment.height], [null, null])
    assert.equal((await fetch(attachment.url)).status, 200)
    // The server is still fine.
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200)
  })

  test('non-images have no thumbnail; an unknown thumbnail is 404', async () => {
    const { socket } = await visitorWithChat()
    const message = await visitorUpload(socket, Buffer.from('a,b\n'), 'x.csv', 'text/csv')
    assert.equal(message.attachments[0]!.thumb400, undefined)
    const fileId = new URL(message.attachments[0]!.url).pathname.split('/')[2]
    assert.equal((await fetch(`${server.url}/thumbs/${fileId}/thumb400.webp`)).status, 404)
    assert.equal((await fetch(`${server.url}/thumbs/nope/thumb400.webp`)).status, 404)
  })
})

describe('agent uploads', () => {
  test('init → POST → finish: the visitor gets the agent’s file; the agent joins', async () => {
    const visitor = await visitorWithChat()
    const agent = await connectAgent(server.url, server.agentToken)
    const init = await request<ChatUploadInitResult>(agent.socket, 'chat.upload_init', {
      chatId: visitor.chatId,
    })
    assert.ok(init.url.startsWith(server.url))
    const png = await picture(600, 600).png().toBuffer()
    assert.equal((await post(init.url, png, 'answer.png', 'image/png')).status, 201)

    const joined = nextEvent(visitor.socket, 'chat.agent_joined')
    const received = nextEvent(
      visitor.socket,
      'chat.message_received',
      (d) => d.message.content.type === 'upload',
    )
    const message = await request<Message>(agent.socket, 'chat.upload_finish', {
      chatId: visitor.chatId,
      uploadToken: init.token,
    })
    assert.equal(message.subType, 'agent')
    assert.equal(message.agentId, agent.data.agent.id)
    assert.equal(message.content.type, 'upload')
    assert.equal(message.attachments[0]?.fileName, 'answer.png')
    assert.deepEqual([message.attachments[0]?.thumb400?.width], [400])
    assert.equal((await joined).agent.id, agent.data.agent.id)
    assert.equal((await received).message.id, message.id)
  })

  test('a token is bound to its agent and chat', async () => {
    const a = await visitorWithChat()
    const b = await visitorWithChat()
    const agent = await connectAgent(server.url, server.agentToken)
    const init = await request<ChatUploadInitResult>(agent.socket, 'chat.upload_init', {
      chatId: a.chatId,
    })
    assert.equal((await post(init.url, Buffer.from('hi\n'), 'a.txt', 'text/plain')).status, 201)

    // Another chat of the same account, the chat's own visitor, another agent: not found.
    await rejects(
      request(agent.socket, 'chat.upload_finish', { chatId: b.chatId, uploadToken: init.token }),
      { type: 'not_found' },
    )
    await rejects(request(a.socket, 'chat.upload_finish', { uploadToken: init.token }), {
      type: 'not_found',
    })
    const account = await server.server.storage.getAccountByKey('demo')
    await server.server.storage.saveAgent({
      id: 'agent-two',
      accountId: account!.id,
      token: 'second-agent-token',
      nickname: 'Bea',
      fullname: 'Bea Two',
      description: '',
      avatar: '',
      groups: [],
    })
    const other = await connectAgent(server.url, 'second-agent-token')
    await rejects(
      request(other.socket, 'chat.upload_finish', { chatId: a.chatId, uploadToken: init.token }),
      { type: 'not_found' },
    )
    // A visitor's token is not an agent's either.
    const visitorInit = await request<ChatUploadInitResult>(b.socket, 'chat.upload_init', null)
    await post(visitorInit.url, Buffer.from('x\n'), 'b.txt', 'text/plain')
    await rejects(
      request(agent.socket, 'chat.upload_finish', {
        chatId: b.chatId,
        uploadToken: visitorInit.token,
      }),
      { type: 'not_found' },
    )
    // The rightful owner still can.
    const message = await request<Message>(agent.socket, 'chat.upload_finish', {
      chatId: a.chatId,
      uploadToken: init.token,
    })
    assert.equal(message.chatId, a.chatId)
  })

  test('no uploads into a closed chat or a chat of another account', async () => {
    const visitor = await visitorWithChat()
    const agent = await connectAgent(server.url, server.agentToken)
    await rejects(request(agent.socket, 'chat.upload_init', { chatId: 'nope' }), {
      type: 'not_found',
    })
    await request(agent.socket, 'chat.close', { chatId: visitor.chatId })
    await rejects(request(agent.socket, 'chat.upload_init', { chatId: visitor.chatId }), {
      type: 'conflict',
    })
  })
})

describe('upload_finish with clientId', () => {
  test('a retry returns the stored message: same id, stored once, clientId echoed', async () => {
    const { socket, chatId } = await visitorWithChat()
    const init = await request<ChatUploadInitResult>(socket, 'chat.upload_init', null)
    await post(init.url, Buffer.from('report\n'), 'r.txt', 'text/plain')
    const finish = { uploadToken: init.token, clientId: 'up-1' }
    const first = await request<Message>(socket, 'chat.upload_finish', finish)
    const again = await request<Message>(socket, 'chat.upload_finish', finish)
    assert.equal(first.clientId, 'up-1')
    assert.equal(again.id, first.id)
    const page = await server.server.storage.listMessages(chatId, { limit: 50 })
    assert.equal(page?.messages.filter((m) => m.content.type === 'upload').length, 1)
    // Without the clientId the used token is still a conflict.
    await rejects(request(socket, 'chat.upload_finish', { uploadToken: init.token }), {
      type: 'conflict',
    })
  })
})
