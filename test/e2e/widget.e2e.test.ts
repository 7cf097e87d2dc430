/**
 * `<chat-widget>` on the demo page, in a real Chromium against the real server, as a visitor
 * uses it: the agent side is a raw agent socket (the console has its own suite).
 *
 *   node --import tsx --test test/e2e/widget.e2e.test.ts
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Socket } from 'socket.io-client'
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

/** The parts of the widget, found through its shadow roots (Playwright's CSS pierces them). */
const parts = {
  launcher: 'chat-widget [part~="launcher"]',
  badge: 'chat-widget [part~="unread-badge"]',
  status: 'chat-widget [part~="status-badge"]',
  input: 'chat-widget [part~="input"]',
  contact: 'chat-widget [part~="message-contact"]',
  agent: 'chat-widget [part~="message-agent"]',
  typing: 'chat-widget [part~="typing-indicator"]',
}

describe('<chat-widget> on the demo page', { skip: skipWithoutBrowser }, () => {
  let dataDir: string
  let server: TestServer
  let browser: Browser
  let agent: Socket
  const contexts: BrowserContext[] = []

  before(async () => {
    // A data folder of its own, so the server can be restarted on the same data.
    dataDir = mkdtempSync(join(tmpdir(), 'chat-widget-e2e-'))
    server = await startProductServer({ dataDir })
    browser = await launchBrowser()
  })

  afterEach(async () => {
    closeSockets()
    await Promise.all(contexts.splice(0).map((context) => context.close()))
  })

  after(async () => {
    await browser?.close()
    await server?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  async function visit(context?: BrowserContext): Promise<Page> {
    let ctx = context
    if (!ctx) {
      ctx = await newVisitor(browser)
      contexts.push(ctx)
    }
    const page = await ctx.newPage()
    await page.goto(`${server.url}/`)
    await page.locator(parts.launcher).waitFor()
    return page
  }

  async function online(): Promise<Socket> {
    const { socket } = await connectAgent(server.url, server.agentToken)
    await request(socket, 'agent.status', { status: 'online' })
    agent = socket
    return socket
  }

  /** Opens the panel, sends `text`, and returns the Message the agent receives. */
  async function say(page: Page, text: string): Promise<Message> {
    const received = nextEvent<{ message: Message }>(
      agent,
      'chat.message_received',
      ({ message }) => message.content.text === text,
      5000,
    )
    if ((await page.locator(parts.input).count()) === 0) await page.click(parts.launcher)
    await page.fill(parts.input, text)
    await page.press(parts.input, 'Enter')
    return (await received).message
  }

  const reply = (chatId: string, text: string) =>
    request<Message>(agent, 'chat.message', { chatId, content: { type: 'text', text } })

  test('a visitor sends, the agent replies, the reply shows once; typing shows both ways', async () => {
    await online()
    const page = await visit()
    await page.click(parts.launcher)
    await page.locator(parts.status, { hasText: 'Online' }).waitFor()

    const sent = await say(page, 'Do you ship to Norway?')
    await page.locator(parts.contact, { hasText: 'Do you ship to Norway?' }).waitFor()

    // Visitor typing reaches the agent.
    const visitorTyping = nextEvent(agent, 'chat.visitor_typing', (e) => e.typing.is, 5000)
    await page.type(parts.input, 'and Sweden')
    await visitorTyping

    // Agent typing shows in the widget.
    agent.emit('chat.typing', { chatId: sent.chatId, typing: { is: true, text: null } })
    await page.locator(parts.typing).waitFor({ state: 'visible' })

    await reply(sent.chatId, 'We do, in 3–5 days.')
    await page.locator(parts.agent, { hasText: 'We do, in 3–5 days.' }).waitFor()
    await page.locator(parts.typing).waitFor({ state: 'hidden' })
    await page.waitForTimeout(300) // any late duplicate would show by now
    assert.equal(await page.locator(parts.agent, { hasText: 'We do' }).count(), 1)
    assert.equal(await page.locator(parts.contact, { hasText: 'Norway' }).count(), 1)
  })

  test('the unread badge counts agent messages while closed and clears on open', async () => {
    await online()
    const page = await visit()
    const sent = await say(page, 'Badge test')
    await page.click(parts.launcher) // close
    await page.locator(parts.input).waitFor({ state: 'detached' })

    await reply(sent.chatId, 'First reply')
    await reply(sent.chatId, 'Second reply')
    await page.locator(parts.badge, { hasText: '2' }).waitFor()

    const read = nextEvent(agent, 'chat.contact_read', (e) => e.chatId === sent.chatId, 5000)
    await page.click(parts.launcher)
    await page.locator(parts.badge).waitFor({ state: 'hidden' })
    await read
  })

  test('after a reload the history shows before the socket connects', async () => {
    await online()
    const context = await newVisitor(browser)
    contexts.push(context)
    const page = await visit(context)
    const sent = await say(page, 'Remember me')
    await reply(sent.chatId, 'I will')
    await page.locator(parts.agent, { hasText: 'I will' }).waitFor()
    await page.waitForTimeout(400) // the service saves to IndexedDB shortly after a change

    // Cut the socket (WebSocket and polling) and reload: history must come from IndexedDB.
    await page.routeWebSocket(/\/socket\//, () => {})
    await page.route(/\/socket\//, (route) => route.abort())
    await page.reload()
    await page.click(parts.launcher)
    await page.locator(parts.agent, { hasText: 'I will' }).waitFor()
    assert.match((await page.locator(parts.status).textContent()) ?? '', /Connecting|Reconnecting/)

    // Let the socket through again: same visitor, same messages, once each.
    await page.unrouteAll()
    const fresh = await context.newPage()
    await fresh.goto(`${server.url}/`)
    await fresh.click(parts.launcher)
    await fresh.locator(parts.status, { hasText: 'Online' }).waitFor()
    await fresh.locator(parts.agent, { hasText: 'I will' }).waitFor()
    assert.equal(await fresh.locator(parts.contact, { hasText: 'Remember me' }).count(), 1)
    assert.equal(await fresh.locator(parts.agent, { hasText: 'I will' }).count(), 1)
  })

  test('two tabs of one visitor show the same messages and unread count', async () => {
    await online()
    const context = await newVisitor(browser)
    contexts.push(context)
    const first = await visit(context)
    const sent = await say(first, 'From tab one')
    await first.waitForTimeout(400) // saved visitor id for the second tab
    const second = await visit(context)
    await second.click(parts.launcher)
    await second.locator(parts.contact, { hasText: 'From tab one' }).waitFor()
    await second.click(parts.launcher) // close the second tab's panel
    await first.click(parts.launcher) // and the first's

    await reply(sent.chatId, 'To both tabs')
    await first.locator(parts.badge, { hasText: '1' }).waitFor()
    await second.locator(parts.badge, { hasText: '1' }).waitFor()

    // Reading in one tab clears the badge in the other (chat.contact_read).
    await first.click(parts.launcher)
    await second.locator(parts.badge).waitFor({ state: 'hidden' })
    await second.click(parts.launcher)
    assert.equal(await second.locator(parts.agent, { hasText: 'To both tabs' }).count(), 1)
  })

  test('a server restart shows "Reconnecting…", then nothing is lost or doubled', async () => {
    await online()
    const page = await visit()
    const sent = await say(page, 'Before the restart')
    await page.locator(parts.contact, { hasText: 'Before the restart' }).waitFor()

    const port = server.port
    await server.close()
    await page.locator(parts.status, { hasText: 'Reconnecting' }).waitFor()
    server = await startProductServer({ dataDir, port })
    await online()
    await page.locator(parts.status, { hasText: 'Online' }).waitFor({ timeout: 20_000 })

    await reply(sent.chatId, 'After the restart')
    await page.locator(parts.agent, { hasText: 'After the restart' }).waitFor()
    await say(page, 'Still here')
    await page.locator(parts.contact, { hasText: 'Still here' }).waitFor()
    await page.waitForTimeout(300)
    assert.equal(await page.locator(parts.contact, { hasText: 'Before the restart' }).count(), 1)
    assert.equal(await page.locator(parts.contact, { hasText: 'Still here' }).count(), 1)
    assert.equal(await page.locator(parts.agent, { hasText: 'After the restart' }).count(), 1)
  })

  test('the built bundle loads on a plain page with no other script and defines the element', async () => {
    const context = await newVisitor(browser)
    contexts.push(context)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    // A page on another origin than the chat server, with nothing but the script tag. It is
    // served by a real loopback server: Chromium refuses loopback fetches from pages of unknown
    // address space (such as a routed, fulfilled URL).
    const html = `<!doctype html><title>Plain</title><script src="${server.url}/chat-widget.js" type="module" data-server="${server.url}" data-key="demo" data-position="bottom-left"></script>`
    const site = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html')
      response.end(html)
    })
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
    const { port } = site.address() as AddressInfo
    try {
      await page.goto(`http://localhost:${port}/`)
      await page.locator(parts.launcher).waitFor()
      assert.equal(await page.evaluate(() => !!customElements.get('chat-widget')), true)
      assert.equal(await page.locator('chat-widget').getAttribute('position'), 'bottom-left')
      assert.deepEqual(errors, [])
    } finally {
      site.close()
    }
  })

  test('the entry and the panel are served with the compile hint as their first line', async () => {
    // Chromium then compiles their functions off the main thread as they stream in (vite.config.ts).
    const entry = await (await fetch(`${server.url}/chat-widget.js`)).text()
    const panel = /chat-widget\/chat-panel-[\w-]+\.js/.exec(entry)?.[0]
    assert.ok(panel, 'the entry imports the panel chunk')
    const chunk = await (await fetch(`${server.url}/${panel}`)).text()
    const hint = '//# allFunctionsCalledOnLoad\n'
    assert.ok(entry.startsWith(hint), `entry: ${entry.slice(0, 40)}`)
    assert.ok(chunk.startsWith(hint), `panel: ${chunk.slice(0, 40)}`)
  })
})
