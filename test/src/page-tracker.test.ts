/**
 * The page tracker with a fake `window` (Node cannot navigate): History API wrapping, the
 * debounce, and the VisitorClient sending the page to a real server that agents then see.
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import { type PageEnvironment, PageTracker } from '../../src/index.ts'
import { startTestServer } from '../support/server.ts'
import { closeAll, sleep, TestAgent, until, visitor } from './helpers.ts'

/** A `window` with just what the tracker reads; `pushState` really changes `location.href`. */
class FakeWindow extends EventTarget implements PageEnvironment {
  location = { href: 'https://shop.example/', hostname: 'shop.example' }
  document = { title: 'Shop', referrer: 'https://search.example/' }
  /** Calls of the original methods, to see they still run exactly once per call. */
  calls: string[] = []
  history = {
    pushState: (_data: unknown, _unused: string, url?: string | URL | null) => {
      this.calls.push('push')
      if (url) this.location.href = new URL(url, this.location.href).toString()
    },
    replaceState: (_data: unknown, _unused: string, url?: string | URL | null) => {
      this.calls.push('replace')
      if (url) this.location.href = new URL(url, this.location.href).toString()
    },
  }

  /** What a router does: pushState, then the new title a moment later. */
  navigate(url: string, title: string): void {
    this.history.pushState(null, '', url)
    this.document.title = title
  }
}

describe('PageTracker', () => {
  test('a burst of navigation reports once, after the quiet period', async () => {
    const win = new FakeWindow()
    let changes = 0
    const tracker = new PageTracker(win, () => changes++, 40)
    tracker.start()
    win.history.pushState(null, '', '/a')
    win.history.replaceState(null, '', '/b')
    win.dispatchEvent(new Event('hashchange'))
    await sleep(20)
    assert.equal(changes, 0, 'debounced')
    await sleep(60)
    assert.equal(changes, 1)
    win.dispatchEvent(new Event('popstate'))
    await sleep(60)
    assert.equal(changes, 2)
    tracker.stop()
    win.history.pushState(null, '', '/c')
    await sleep(60)
    assert.equal(changes, 2, 'stopped: no more reports')
  })

  test('history is wrapped once, however many trackers start, and the originals still run', async () => {
    const win = new FakeWindow()
    let a = 0
    let b = 0
    const first = new PageTracker(win, () => a++, 10)
    const second = new PageTracker(win, () => b++, 10)
    first.start()
    const wrapped = win.history.pushState
    second.start()
    first.stop()
    first.start()
    assert.equal(win.history.pushState, wrapped, 'not wrapped twice')
    win.history.pushState(null, '', '/x')
    assert.deepEqual(win.calls, ['push'])
    assert.equal(win.location.href, 'https://shop.example/x')
    await sleep(40)
    assert.deepEqual([a, b], [1, 1])
    first.stop()
    second.stop()
  })
})

describe('VisitorClient follows the page', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  before(async () => {
    server = await startTestServer()
  })
  afterEach(closeAll)
  after(async () => {
    await closeAll()
    await server.close()
  })

  test('the handshake carries the page; a navigation reaches agents once, when it changed', async () => {
    const win = new FakeWindow()
    const client = visitor(server.url, {}, { page: win })
    await client.connect()
    const message = await client.chatMessage({ content: { type: 'text', text: 'hi' } })
    const agent = new TestAgent(server.url, server.agentToken)
    const { chats } = await agent.connect()
    const listed = chats.find((c) => c.id === message.chatId)
    assert.equal(listed?.visitor.page?.url, 'https://shop.example/')
    assert.equal(listed?.visitor.referer, 'https://search.example/')

    const updates: string[] = []
    agent.socket.on('chat.updated', ({ chat }) => {
      if (chat.id === message.chatId) updates.push(`${chat.visitor.page?.title}`)
    })
    win.navigate('/cart', 'Cart')
    win.navigate('/checkout', 'Checkout')
    await until(() => updates.length > 0, 3000, 'chat.updated')
    assert.deepEqual(updates, ['Checkout'])
    const { chats: after } = await agent.request('chats.list', {})
    const page = after.find((c) => c.id === message.chatId)?.visitor.page
    assert.equal(page?.url, 'https://shop.example/checkout')
    assert.equal(page?.title, 'Checkout')

    // Same page again (a replaceState of the same URL): nothing is sent.
    win.history.replaceState(null, '', '/checkout')
    await sleep(500)
    assert.deepEqual(updates, ['Checkout'])
  })

  test('navigation while disconnected is sent by the next handshake, not by visitor.update', async () => {
    const win = new FakeWindow()
    const client = visitor(server.url, {}, { page: win })
    const data = await client.connect()
    const sent: [string, { pageUrl?: string; pageTitle?: string; id?: string }][] = []
    const socket = client.getConnection()
    socket.onAnyOutgoing((event, payload) => sent.push([event, payload]))
    await client.chatMessage({ content: { type: 'text', text: 'hi' } })
    await client.disconnect()
    win.navigate('/blog', 'Blog')
    await sleep(400)
    await client.connect()
    await sleep(400)
    const updates = sent.filter(([event]) => event === 'visitor.update')
    assert.deepEqual(updates, [])
    const connects = sent.filter(([event]) => event === 'visitor.connect')
    assert.equal(connects.at(-1)?.[1].pageUrl, 'https://shop.example/blog')
    assert.equal(connects.at(-1)?.[1].pageTitle, 'Blog')
    assert.equal(connects.at(-1)?.[1].id, data.visitor.id)
  })
})
