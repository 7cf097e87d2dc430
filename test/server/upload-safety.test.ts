/**
 * Upload tokens are single-use, expire and belong to whoever asked; file names are
 * only names (never paths); SVG and HTML are never served as something a browser runs.
 */
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { after, afterEach, before, describe, test } from 'node:test'
import type { Socket } from 'socket.io-client'
import type { ChatUploadInitResult, Message } from '../../src/protocol.ts'
import {
  AckError,
  closeSockets,
  connectVisitor,
  request,
  sleep,
  startTestServer,
  type TestServer,
} from '../support/server.ts'

let server: TestServer

before(async () => {
  server = await startTestServer({ uploadTokenTtlMs: 400 })
})
afterEach(closeSockets)
after(() => server.close())

const post = (url: string, body: string | Uint8Array, name: string, type: string) => {
  const form = new FormData()
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : Uint8Array.from(body)
  form.append('file', new Blob([bytes], { type }), name)
  return fetch(url, { method: 'POST', body: form })
}

async function refused(promise: Promise<unknown>, code: number) {
  const err = await promise.then(
    () => assert.fail('expected an error ack'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof AckError, `expected AckError, got ${err}`)
  assert.equal(err.code, code, err.message)
}

async function visitor() {
  const tab = await connectVisitor(server.url)
  await request(tab.socket, 'chat.message', { content: { type: 'text', text: 'hi' } })
  return tab.socket
}

const init = (socket: Socket) => request<ChatUploadInitResult>(socket, 'chat.upload_init', null)

describe('upload tokens', () => {
  test('expire: a late POST is 410 and the token can never be finished', async () => {
    const socket = await visitor()
    const token = await init(socket)
    await sleep(500)
    const res = await post(token.url, 'late\n', 'late.txt', 'text/plain')
    assert.equal(res.status, 410)
    assert.equal((await res.json()).message, 'Upload token expired')
    await refused(request(socket, 'chat.upload_finish', { uploadToken: token.token }), 409)
  })

  test('are single-use: a second POST is 409, a second finish is 409', async () => {
    const socket = await visitor()
    const token = await init(socket)
    assert.equal((await post(token.url, 'one\n', 'a.txt', 'text/plain')).status, 201)
    const again = await post(token.url, 'two\n', 'b.txt', 'text/plain')
    assert.equal(again.status, 409)
    const message = await request<Message>(socket, 'chat.upload_finish', {
      uploadToken: token.token,
    })
    assert.equal(message.attachments[0]!.fileName, 'a.txt')
    await refused(request(socket, 'chat.upload_finish', { uploadToken: token.token }), 409)
    await refused(
      request(socket, 'chat.upload_finish', { uploadToken: token.token, clientId: 'new' }),
      409,
    )
  })

  test('are bound to the visitor: another visitor gets not_found, an unknown token too', async () => {
    const owner = await visitor()
    const stranger = await visitor()
    const token = await init(owner)
    assert.equal((await post(token.url, 'mine\n', 'a.txt', 'text/plain')).status, 201)
    await refused(request(stranger, 'chat.upload_finish', { uploadToken: token.token }), 404)
    await refused(request(stranger, 'chat.upload_finish', { uploadToken: 'nope' }), 404)
    await request(owner, 'chat.upload_finish', { uploadToken: token.token })
  })
})

describe('file names', () => {
  const hostile = [
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\x', 'x'],
    ['nul%00in%00it.txt', 'nulinit.txt'],
    ['..%2F..%2Fetc%2Fshadow', 'shadow'],
    ['/absolute/path.txt', 'path.txt'],
    ['..', null],
    [`${'n'.repeat(5000)}.txt`, null],
  ] as const

  /** A hand-made multipart body, for names FormData would not send (RFC 5987 `filename*`). */
  const rawPost = (url: string, disposition: string) => {
    const body = [
      '--B',
      `Content-Disposition: form-data; name="file"; ${disposition}`,
      'Content-Type: text/plain',
      '',
      'contents\n',
      '--B--',
      '',
    ].join('\r\n')
    return fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'multipart/form-data; boundary=B' },
    })
  }

  test('a raw NUL in the part header is refused as malformed (400), nothing stored', async () => {
    const socket = await visitor()
    const token = await init(socket)
    const res = await rawPost(token.url, 'filename="a\u0000b.txt"')
    assert.equal(res.status, 400)
    assert.match((await res.json()).message, /^Malformed upload/)
    await refused(request(socket, 'chat.upload_finish', { uploadToken: token.token }), 409)
  })

  for (const [name, expected] of hostile) {
    test(`${JSON.stringify(name.slice(0, 30))} is stored as a plain name and touches no path`, async () => {
      const socket = await visitor()
      const token = await init(socket)
      const res = name.includes('%')
        ? await rawPost(token.url, `filename="x"; filename*=UTF-8''${name}`)
        : await post(token.url, 'contents\n', name, 'text/plain')
      assert.equal(res.status, 201, await res.clone().text())
      const message = await request<Message>(socket, 'chat.upload_finish', {
        uploadToken: token.token,
      })
      const stored = message.attachments[0]!.fileName
      assert.ok(!/[/\\]/.test(stored) && !stored.includes('\u0000'), stored)
      assert.ok(stored.length > 0 && stored.length <= 200, `length ${stored.length}`)
      assert.notEqual(stored, '..')
      if (expected) assert.equal(stored, expected)
      // On disk only server ids live in uploads/, nothing beside it.
      const uploads = join(server.dataDir, 'uploads')
      for (const file of readdirSync(uploads))
        assert.match(file, /^[A-Za-z0-9_-]{22}(\.thumb)?$|^\.tmp-/, file)
      assert.deepEqual(
        readdirSync(dirname(uploads)).filter((f) => f !== 'uploads' && f !== 'outbox'),
        [],
      )
      const download = await fetch(message.attachments[0]!.url)
      assert.equal(download.status, 200)
      assert.equal(await download.text(), 'contents\n')
      assert.match(download.headers.get('content-disposition')!, /^attachment; filename="[^"/\\]*"/)
    })
  }
})

describe('active content', () => {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>\n'

  test('an SVG upload is refused with 415, even if the site allows image/svg+xml', async () => {
    const socket = await visitor()
    const token = await init(socket)
    const res = await post(token.url, svg, 'x.svg', 'image/svg+xml')
    assert.equal(res.status, 415)
    const open = await startTestServer({ uploadTypes: ['image/svg+xml', 'text/plain'] })
    try {
      const tab = await connectVisitor(open.url)
      const other = await request<ChatUploadInitResult>(tab.socket, 'chat.upload_init', null)
      assert.equal((await post(other.url, svg, 'x.svg', 'image/svg+xml')).status, 415)
    } finally {
      await open.close()
    }
  })

  test('SVG or HTML declared as text/plain is served as a text attachment, nosniff, sandboxed', async () => {
    const socket = await visitor()
    for (const [body, name] of [
      [svg, 'x.svg'],
      ['<html><script>alert(1)</script></html>\n', 'x.html'],
    ] as const) {
      const token = await init(socket)
      assert.equal((await post(token.url, body, name, 'text/plain')).status, 201)
      const message = await request<Message>(socket, 'chat.upload_finish', {
        uploadToken: token.token,
      })
      const res = await fetch(message.attachments[0]!.url)
      assert.equal(res.headers.get('content-type'), 'text/plain')
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
      assert.match(res.headers.get('content-disposition')!, /^attachment;/)
      assert.match(res.headers.get('content-security-policy')!, /sandbox/)
      assert.match(res.headers.get('content-security-policy')!, /default-src 'none'/)
    }
    const html = await init(socket)
    assert.equal((await post(html.url, '<p>x</p>', 'x.html', 'text/html')).status, 415)
  })
})
