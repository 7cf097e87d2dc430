/** Plain HTTP routes (health, static site, widget bundle) and a restart on the same data. */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, test } from 'node:test'
import type { Message } from '../../src/protocol.ts'
import { closeSockets, connectVisitor, request, startTestServer } from '../support/server.ts'

afterEach(closeSockets)

describe('http', () => {
  test('healthz, and a clear 503 while the site is not built', async () => {
    const server = await startTestServer()
    try {
      const health = await (await fetch(`${server.url}/healthz`)).json()
      assert.deepEqual(
        { ok: health.ok, status: health.status, storage: health.storage, redis: health.redis },
        { ok: true, status: 'ok', storage: true, redis: null },
      )
      for (const path of ['/', '/console', '/chat-widget.js']) {
        const res = await fetch(server.url + path)
        assert.equal(res.status, 503, path)
        assert.match(await res.text(), /not built: run npm run build/)
      }
    } finally {
      await server.close()
    }
  })

  test("serves the demo agent's avatar over http, the address visitors get", async () => {
    const server = await startTestServer()
    try {
      const { data } = await connectVisitor(server.url)
      const avatar = data.account.agents[0]!.avatar
      assert.equal(avatar, `${server.url}/avatars/demo.svg`)
      const res = await fetch(avatar)
      assert.equal(res.status, 200)
      assert.equal(res.headers.get('content-type'), 'image/svg+xml')
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
      assert.match(await res.text(), /^<svg /)
    } finally {
      await server.close()
    }
  })

  test('serves the built demo, console and widget', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chat-site-'))
    mkdirSync(join(dir, 'site', 'console'), { recursive: true })
    writeFileSync(join(dir, 'site', 'index.html'), '<h1>demo</h1>')
    writeFileSync(join(dir, 'site', 'console', 'index.html'), '<h1>console</h1>')
    writeFileSync(join(dir, 'widget.js'), 'console.log("widget")')
    const server = await startTestServer({
      staticDir: join(dir, 'site'),
      widgetFile: join(dir, 'widget.js'),
    })
    try {
      assert.equal(await (await fetch(`${server.url}/`)).text(), '<h1>demo</h1>')
      assert.equal(await (await fetch(`${server.url}/console`)).text(), '<h1>console</h1>')
      const widget = await fetch(`${server.url}/chat-widget.js`)
      assert.match(widget.headers.get('content-type') ?? '', /javascript/)
      assert.equal(await widget.text(), 'console.log("widget")')
      assert.equal((await fetch(`${server.url}/nope.txt`)).status, 404)
    } finally {
      await server.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('restart', () => {
  test('visitors, chats and the agent token survive a restart on the same port', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'chat-restart-'))
    try {
      const first = await startTestServer({ dataDir })
      const { socket, data } = await connectVisitor(first.url)
      const sent = await request<Message>(socket, 'chat.message', {
        content: { type: 'text', text: 'before restart' },
      })
      closeSockets()
      await first.close()

      const second = await startTestServer({ dataDir, port: first.port })
      try {
        assert.equal(second.url, first.url)
        assert.equal(second.agentToken, first.agentToken)
        const again = await connectVisitor(second.url, { id: data.visitor.id })
        assert.equal(again.data.visitor.id, data.visitor.id)
        assert.deepEqual(
          again.data.chat?.messages.map((m) => m.id),
          [sent.id],
        )
        assert.equal(again.data.account.status, 'offline')
      } finally {
        await second.close()
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
