/** `uploadFile` against the real server: progress, a byte-identical download, abort, HTTP errors. */
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import type { Attachment, VisitorClient } from '../../src/index.ts'
import { startTestServer } from '../support/server.ts'
import { closeAll, next, visitor } from './helpers.ts'

type TestServer = Awaited<ReturnType<typeof startTestServer>>

/** A real 1×1 PNG, so the server's type sniffing accepts it. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

let server: TestServer

before(async () => {
  server = await startTestServer()
})
afterEach(closeAll)
after(async () => {
  await closeAll()
  await server.close()
})

/** Records the events the client sends from now on. */
function recordSends(client: VisitorClient): string[] {
  const socket = client.getConnection()
  const sent: string[] = []
  const emit = socket.emit.bind(socket)
  socket.emit = ((event: string, ...args: unknown[]) => {
    sent.push(event)
    return emit(event, ...args)
  }) as typeof socket.emit
  return sent
}

describe('uploadFile', () => {
  test('uploads with progress and the file downloads byte-identical', async () => {
    const client = visitor(server.url)
    await client.connect()
    const progress: [number, number][] = []
    const received = next(
      client,
      'chat.message_received',
      (d) => d.message.content.type === 'upload',
    )
    const message = await client.uploadFile(new Blob([PNG], { type: 'image/png' }), {
      fileName: 'dot.png',
      onProgress: (loaded, total) => progress.push([loaded, total]),
    })
    assert.equal(message.content.type, 'upload')
    assert.equal((await received)[0].message.id, message.id)
    assert.deepEqual(progress[0], [0, PNG.length])
    assert.deepEqual(progress.at(-1), [PNG.length, PNG.length])

    const attachment = (message.content.data ?? message.attachments[0]) as Attachment
    assert.equal(attachment.fileName, 'dot.png')
    assert.equal(attachment.fileType, 'image/png')
    assert.equal(attachment.size, PNG.length)
    const response = await fetch(new URL(attachment.url, server.url))
    assert.equal(response.status, 200)
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), PNG)
  })

  test('a File keeps its own name', async () => {
    const client = visitor(server.url)
    await client.connect()
    const message = await client.uploadFile(new File([PNG], 'named.png', { type: 'image/png' }))
    const attachment = (message.content.data ?? message.attachments[0]) as Attachment
    assert.equal(attachment.fileName, 'named.png')
  })

  test('an abort before the start sends nothing', async () => {
    const client = visitor(server.url)
    await client.connect()
    const sent = recordSends(client)
    const controller = new AbortController()
    controller.abort()
    await assert.rejects(client.uploadFile(new Blob([PNG]), { signal: controller.signal }), {
      name: 'AbortError',
    })
    assert.deepEqual(sent, [])
  })

  test('an abort during the POST rejects with AbortError and never finishes', async () => {
    const client = visitor(server.url)
    await client.connect()
    const sent = recordSends(client)
    const controller = new AbortController()
    await assert.rejects(
      client.uploadFile(new Blob([PNG], { type: 'image/png' }), {
        signal: controller.signal,
        onProgress: (loaded) => {
          if (loaded === 0) controller.abort()
        },
      }),
      { name: 'AbortError' },
    )
    assert.deepEqual(sent, ['chat.upload_init'])
  })

  test('an HTTP refusal rejects with SocketError carrying the status and message', async () => {
    const client = visitor(server.url)
    await client.connect()
    const sent = recordSends(client)
    const junk = new Uint8Array(64).map((_, i) => (i * 37) % 256) // no magic bytes, has NULs
    const error = (await client
      .uploadFile(new Blob([junk], { type: 'application/octet-stream' }), { fileName: 'x.bin' })
      .then(
        () => assert.fail('should be refused'),
        (error: unknown) => error,
      )) as { name: string; code: number; message: string }
    assert.equal(error.name, 'SocketError')
    assert.equal(error.code, 415)
    assert.match(error.message, /not allowed/i)
    assert.deepEqual(sent, ['chat.upload_init'])
  })
})
