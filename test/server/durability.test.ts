/**
 * An ack means "stored": the server runs as a child process (`node --import tsx
 * server/main.ts`), is killed with SIGKILL right after acks, restarted on the same
 * data, and every acknowledged message is there exactly once.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, test } from 'node:test'
import type { ChatHistoryResult, ChatUploadInitResult, Message } from '../../src/protocol.ts'
import { closeSockets, connectVisitor, request } from '../support/server.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'chat-durability-'))
const children: ChildProcess[] = []

afterEach(closeSockets)
after(() => {
  for (const child of children) child.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

/** Starts `server/main.ts` on a free port; resolves with its URL once it listens. */
async function startChild(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      STATIC_DIR: join(dataDir, 'no-site'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 15_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk
      const found = /chat-widget server on (http:\/\/\S+)/.exec(output)
      if (found) {
        clearTimeout(timer)
        resolve(found[1]!)
      }
    })
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk
    })
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)))
  })
  return { url, child }
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
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
        if (acked.length === 20) killHard(first.child).then(resolve)
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
  await killHard(second.child)
})
