/**
 * An ack means "stored": the server runs as a child process (`node --import tsx
 * server/main.ts`), is killed with SIGKILL right after acks, restarted on the same
 * data, and every acknowledged message is there exactly once.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, test } from 'node:test'
import type { ChatHistoryResult, ChatUploadInitResult, Message } from '../../src/protocol.ts'
import { type ServerProcess, startServerProcess } from '../support/child-server.ts'
import { closeSockets, connectVisitor, request } from '../support/server.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'chat-durability-'))
const children: ServerProcess[] = []

afterEach(closeSockets)
after(async () => {
  await Promise.all(children.map((child) => child.kill()))
  rmSync(dataDir, { recursive: true, force: true })
})

/** The server on `dataDir`, as a process of its own. */
function startChild(): Promise<ServerProcess> {
  return startServerProcess({ DATA_DIR: dataDir }).then((server) => {
    children.push(server)
    return server
  })
}

const text = (t: string, clientId: string) => ({ content: { type: 'text', text: t }, clientId })

test('kill -9 right after acks loses nothing; resending after the restart doubles nothing', async () => {
  const first = await startChild()
  const { socket, data } = await connectVisitor(first.url)
  const visitorId = data.visitor.id
  const one = await request<Message>(socket, 'chat.message', text('before the crash', 'c-0'))

  // A broken multipart body must not take the process down (it once did).
  const init = await request<ChatUploadInitResult>(socket, 'chat.upload_init', null)
  const broken = await fetch(init.url, {
    method: 'POST',
    headers: { 'content-type': 'multipart/form-data; boundary=B' },
    body: '--B\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\ntrunc',
  })
  assert.equal(broken.status, 400)
  assert.equal((await fetch(`${first.url}/healthz`)).status, 200)

  // 40 sends at once; the process dies the moment the 20th ack arrives.
  const acked: Message[] = []
  const total = 40
  const dead = new Promise<void>((resolve) => {
    for (let i = 1; i <= total; i++) {
      socket.emit('chat.message', text(`m${i}`, `c-${i}`), (err: unknown, m: Message) => {
        if (err || acked.length >= 20) return
        acked.push(m)
        if (acked.length === 20) first.kill().then(resolve)
      })
    }
  })
  await dead
  socket.close()

  const second = await startChild()
  const again = await connectVisitor(second.url, { id: visitorId })
  assert.equal(again.data.visitor.id, visitorId)
  const stored = async () => {
    const messages: Message[] = []
    let after = one.id
    messages.push(one)
    for (;;) {
      const page = await request<ChatHistoryResult>(again.socket, 'chat.history', {
        after,
        limit: 100,
      })
      messages.push(...page.messages)
      if (!page.hasMore || page.messages.length === 0) return messages
      after = page.messages.at(-1)!.id
    }
  }
  const afterCrash = await stored()
  const ids = afterCrash.map((m) => m.id)
  assert.equal(new Set(ids).size, ids.length, 'nothing doubled')
  for (const m of [one, ...acked]) assert.ok(ids.includes(m.id), `acked ${m.content.text} kept`)

  // The client resends its whole outbox with the same clientIds: every one is stored once.
  for (let i = 1; i <= total; i++)
    await request(again.socket, 'chat.message', text(`m${i}`, `c-${i}`))
  const final = await stored()
  assert.equal(final.length, total + 1)
  assert.deepEqual(
    final.map((m) => m.content.text).sort(),
    ['before the crash', ...Array.from({ length: total }, (_, i) => `m${i + 1}`)].sort(),
  )
  // The acked prefix kept its order.
  const order = final.map((m) => m.id)
  const positions = acked.map((m) => order.indexOf(m.id))
  assert.deepEqual(
    positions,
    [...positions].sort((a, b) => a - b),
  )
  await second.kill()
})
