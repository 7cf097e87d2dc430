/**
 * What a page view costs the visitor and the server: on the demo page, a first-time visitor who
 * never touches the widget loads only its entry (no panel chunk) and opens no WebSocket, the
 * launcher's online dot coming from `GET /v1/status`; hovering the launcher loads the panel and
 * connects; a visitor who comes back to a chat in progress connects at once, so agent replies
 * arrive without their doing anything. The classic-script loader installs the same widget.
 *
 *   node --import tsx --test test/e2e/widget-connections.e2e.test.ts
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Message } from '../../src/protocol.ts'
import {
  launchBrowser,
  newVisitor,
  skipWithoutBrowser,
  startProductServer,
} from '../support/e2e.ts'
import {
  closeSockets,
  connectAgent,
  nextEvent,
  request,
  type TestServer,
} from '../support/server.ts'

const launcher = 'chat-widget [part~="launcher"]'

interface Traffic {
  sockets: string[]
  scripts: string[]
  statuses: string[]
}

/** Records the page's WebSockets, widget scripts and status requests. */
function watch(page: Page): Traffic {
  const traffic: Traffic = { sockets: [], scripts: [], statuses: [] }
  page.on('websocket', (socket) => traffic.sockets.push(socket.url()))
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.pathname.startsWith('/chat-widget')) traffic.scripts.push(url.pathname)
    if (url.pathname === '/v1/status') traffic.statuses.push(url.search)
  })
  return traffic
}

/** Waits until the page has opened `count` WebSockets (it may have before this is called). */
async function socketsOpened(page: Page, traffic: Traffic, count = 1): Promise<void> {
  const deadline = Date.now() + 10_000
  while (traffic.sockets.length < count) {
    if (Date.now() > deadline) throw new Error(`${traffic.sockets.length} of ${count} WebSockets`)
    await page.waitForTimeout(50)
  }
}

describe('<chat-widget> connections per page view', { skip: skipWithoutBrowser }, () => {
  let server: TestServer
  let browser: Browser
  const contexts: BrowserContext[] = []

  before(async () => {
    server = await startProductServer()
    browser = await launchBrowser()
  })

  afterEach(async () => {
    closeSockets()
    await Promise.all(contexts.splice(0).map((context) => context.close()))
  })

  after(async () => {
    await browser?.close()
    await server?.close()
  })

  async function visitor(): Promise<BrowserContext> {
    const context = await newVisitor(browser)
    contexts.push(context)
    return context
  }

  test('a first-time visitor who does not interact opens no socket; the panel loads once the page is idle', async () => {
    const { socket: agent } = await connectAgent(server.url, server.agentToken)
    await request(agent, 'agent.status', { status: 'online' })
    const page = await (await visitor()).newPage()
    const traffic = watch(page)
    await page.goto(`${server.url}/`)
    await page.locator(launcher).waitFor()
    // The online dot, from the HTTP status endpoint.
    await page.locator('chat-widget-launcher[status="online"]').waitFor()
    assert.deepEqual(traffic.statuses, ['?key=demo'])
    await page.waitForTimeout(1500)
    assert.deepEqual(traffic.sockets, [], 'no WebSocket before interaction')
    // preload="idle" (the default): the panel's code, not its connection, once the page is idle.
    assert.equal(traffic.scripts[0], '/chat-widget.js', 'the entry first')
    assert.ok(
      traffic.scripts.slice(1).every((path) => /^\/chat-widget\/chat-panel-[\w-]+\.js$/.test(path)),
      `the panel chunk at most: ${traffic.scripts.join(', ')}`,
    )

    // Hovering the launcher is intent: the panel chunk loads and the socket opens.
    await page.hover(launcher)
    await socketsOpened(page, traffic)
    assert.equal(traffic.sockets.length, 1)
    assert.ok(
      traffic.scripts.some((path) => /^\/chat-widget\/chat-panel-[\w-]+\.js$/.test(path)),
      `the panel chunk loaded: ${traffic.scripts.join(', ')}`,
    )
    await page.click(launcher)
    await page.locator('chat-widget [part~="input"]').waitFor()
    // The parts few chats show load when first shown: not for an open chat with an agent online.
    assert.ok(
      !traffic.scripts.some((path) =>
        /\/(offline-form|chat-ended|lightbox)-[\w-]+\.js$/.test(path),
      ),
      `no on-demand part: ${traffic.scripts.join(', ')}`,
    )

    // Hashed chunks are cached for long; the entry, whose name stays, is revalidated.
    const chunk = traffic.scripts.find((path) => path.startsWith('/chat-widget/'))!
    const chunkHeaders = (await fetch(server.url + chunk)).headers
    assert.equal(chunkHeaders.get('cache-control'), 'public, max-age=31536000, immutable')
    assert.equal(chunkHeaders.get('access-control-allow-origin'), '*')
    const entry = await fetch(`${server.url}/chat-widget.js`)
    assert.equal(entry.headers.get('cache-control'), 'no-cache')
    const etag = entry.headers.get('etag')!
    await entry.arrayBuffer()
    const again = await fetch(`${server.url}/chat-widget.js`, {
      headers: { 'If-None-Match': etag },
    })
    assert.equal(again.status, 304)
    assert.equal((await fetch(`${server.url}/chat-widget/..%2Fchat-widget.js`)).status, 404)
  })

  test('a returning visitor with a chat in progress connects at once and gets the reply', async () => {
    const { socket: agent } = await connectAgent(server.url, server.agentToken)
    await request(agent, 'agent.status', { status: 'online' })
    const context = await visitor()
    const first = await context.newPage()
    await first.goto(`${server.url}/`)
    await first.click(launcher)
    const received = nextEvent<{ chatId: string }>(agent, 'chat.message_received', () => true, 5000)
    await first.locator('chat-widget [part~="input"]').fill('Where is my order?')
    await first.keyboard.press('Enter')
    const { chatId } = await received
    await first.locator('chat-widget [part~="message-contact"]').waitFor()
    await first.close()

    // The next page view, without touching the widget.
    const page = await context.newPage()
    const traffic = watch(page)
    await page.addInitScript(() => {
      document.addEventListener('chat-widget-connection', (event) => {
        ;(window as unknown as { connection: string }).connection = (event as CustomEvent).detail
      })
    })
    await page.goto(`${server.url}/`)
    await socketsOpened(page, traffic)
    await page.waitForFunction(
      () => (window as unknown as { connection?: string }).connection === 'online',
    )
    assert.equal(traffic.sockets.length, 1)
    await request<Message>(agent, 'chat.message', {
      chatId,
      content: { type: 'text', text: 'It ships today.' },
    })
    // The reply counts on the closed launcher's badge.
    await page
      .locator('chat-widget [part~="unread-badge"]:not([hidden])')
      .waitFor({ timeout: 10_000 })
  })

  test('the classic script loads the module with its data-* attributes', async () => {
    const page = await (await visitor()).newPage()
    const traffic = watch(page)
    await page.route(`${server.url}/classic.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><body><h1>Classic</h1>
          <script src="/chat-widget.classic.js" data-key="demo" data-title="Classic shop"></script>
        </body></html>`,
      }),
    )
    await page.goto(`${server.url}/classic.html`)
    await page.locator(launcher).waitFor()
    assert.equal(await page.locator('chat-widget').getAttribute('title'), 'Classic shop')
    assert.equal(await page.locator('chat-widget').getAttribute('server'), server.url)
    assert.deepEqual(traffic.scripts.slice(0, 2), ['/chat-widget.classic.js', '/chat-widget.js'])
    assert.deepEqual(traffic.sockets, [])
  })

  test('with preload="intent" a visitor who does not interact loads the entry alone', async () => {
    const page = await (await visitor()).newPage()
    const traffic = watch(page)
    await page.route(`${server.url}/intent.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><body><h1>Intent</h1>
          <script type="module" src="/chat-widget.js" data-key="demo" data-preload="intent"></script>
        </body></html>`,
      }),
    )
    await page.goto(`${server.url}/intent.html`)
    await page.locator(launcher).waitFor()
    await page.waitForTimeout(1500)
    assert.deepEqual(traffic.scripts, ['/chat-widget.js'], 'the entry alone')
    assert.deepEqual(traffic.sockets, [])
    await page.hover(launcher)
    await socketsOpened(page, traffic)
    assert.ok(traffic.scripts.some((path) => path.startsWith('/chat-widget/chat-panel-')))
  })
})
