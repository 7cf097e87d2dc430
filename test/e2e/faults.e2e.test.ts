/**
 * `<chat-widget>` through network and server faults, on the demo page against the real server:
 * "nothing lost, nothing doubled". The visitor goes offline mid-conversation and sends; the
 * agent answers while the visitor is away; three tabs of one visitor stay identical through it
 * all; the server, a process of its own, is frozen with a send in its socket buffer and killed
 * (SIGKILL), then comes back on the same port and data; a server that stored a message but
 * whose ack was lost gets the resend without doubling it.
 *
 * The agent's view is the server's: `chat.history` on an agent socket.
 *
 *   node --import tsx --test test/e2e/faults.e2e.test.ts
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Socket } from 'socket.io-client'
import type { Message } from '../../src/protocol.ts'
import { startServerProcess } from '../support/child-server.ts'
import {
  launchBrowser,
  newVisitor,
  SITE_DIR,
  skipWithoutBrowser,
  startProductServer,
  WIDGET_FILE,
} from '../support/e2e.ts'
import {
  closeSockets,
  connectAgent,
  nextEvent,
  request,
  type TestServer,
} from '../support/server.ts'

const part = (name: string) => `chat-widget [part~="${name}"]`

/** What a tab knows: its items (id, text, state, side) in order, unread count, connection. */
interface TabView {
  connection: string
  unread: number
  items: { id: string; text: string | null; state: string; side: string }[]
}

/** The widget's chat state in a tab, as plain data. */
function view(page: Page): Promise<TabView> {
  return page.evaluate(() => {
    // `panel.chat` is the element's ChatController (once its panel module loaded); its state is
    // what the element renders.
    const widget = document.querySelector('chat-widget') as unknown as {
      panel?: {
        chat: {
          state?: {
            connection: string
            unread: number
            items: readonly {
              state: string
              message: { id: string; subType: string; content: { text: string | null } }
            }[]
          }
        }
      }
    }
    const state = widget.panel?.chat.state
    return {
      connection: state?.connection ?? 'none',
      unread: state?.unread ?? -1,
      items: (state?.items ?? []).map((item) => ({
        id: item.message.id,
        text: item.message.content.text,
        state: item.state,
        side: item.message.subType,
      })),
    }
  })
}

/** The message ids a tab renders, in order (its panel must be open). */
function renderedIds(page: Page): Promise<string[]> {
  return page
    .locator(`${part('message')}[data-id]`)
    .evaluateAll((nodes) => nodes.map((node) => (node as HTMLElement).dataset.id ?? ''))
}

describe('<chat-widget> through faults: nothing lost, nothing doubled', {
  skip: skipWithoutBrowser,
}, () => {
  let dataDir: string
  let server: TestServer
  let browser: Browser
  const contexts: BrowserContext[] = []

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'chat-widget-faults-'))
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

  async function agentOnline(): Promise<Socket> {
    const { socket } = await connectAgent(server.url, server.agentToken)
    await request(socket, 'agent.status', { status: 'online' })
    return socket
  }

  async function visitor(): Promise<BrowserContext> {
    const context = await newVisitor(browser)
    contexts.push(context)
    return context
  }

  async function tab(context: BrowserContext, url = server.url): Promise<Page> {
    const page = await context.newPage()
    await page.goto(`${url}/`)
    await page.locator(part('launcher')).waitFor()
    return page
  }

  async function openPanel(page: Page) {
    if ((await page.locator(part('input')).count()) === 0) await page.click(part('launcher'))
    await page.locator(part('input')).waitFor()
  }

  async function closePanel(page: Page) {
    if ((await page.locator(part('input')).count()) > 0) await page.click(part('launcher'))
    await page.locator(part('input')).waitFor({ state: 'detached' })
  }

  async function type(page: Page, text: string) {
    await page.fill(part('input'), text)
    await page.press(part('input'), 'Enter')
  }

  /** The chat as the server stored it (oldest first), texts of messages only. */
  async function history(agent: Socket, chatId: string): Promise<Message[]> {
    const { messages } = await request<{ messages: Message[] }>(agent, 'chat.history', {
      chatId,
      limit: 100,
    })
    return messages.filter((message) => message.type === 'message')
  }

  test('offline mid-conversation: sends and replies arrive once, in order, in all three tabs', async () => {
    const agent = await agentOnline()
    const context = await visitor()
    const first = await tab(context)
    await openPanel(first)
    await first.locator(part('status-badge'), { hasText: 'Online' }).waitFor()

    const hello = nextEvent<{ message: Message }>(agent, 'chat.message_received', () => true, 5000)
    await type(first, 'Hello before the tunnel')
    const { chatId } = (await hello).message
    await first.waitForTimeout(400) // the visitor's identity is saved for the other tabs
    const second = await tab(context)
    const third = await tab(context)
    const tabs = [first, second, third]
    for (const page of [second, third]) {
      await waitFor(page, (v) => v.items.some((i) => i.text === 'Hello before the tunnel'))
    }

    const received: Message[] = []
    agent.on('chat.message_received', ({ message }: { message: Message }) => {
      if (message.chatId === chatId) received.push(message)
    })

    await context.setOffline(true)
    for (const page of tabs) await waitFor(page, (v) => v.connection !== 'online', 'goes offline')
    const offline = ['Offline one', 'Offline two', 'Offline three']
    for (const text of offline) await type(first, text)
    for (const text of offline) {
      await first.locator(part('message-contact'), { hasText: text }).waitFor()
    }
    await closePanel(first) // replies now count as unread, in every tab alike

    const replies = ['Reply while you were away', 'And another one']
    for (const text of replies) {
      await request(agent, 'chat.message', { chatId, content: { type: 'text', text } })
    }
    await first.waitForTimeout(300)
    assert.deepEqual(
      received.filter((m) => offline.includes(m.content.text ?? '')),
      [],
      'nothing went out while offline',
    )

    await context.setOffline(false)
    const settled = (v: TabView) =>
      v.connection === 'online' &&
      v.items.every((i) => i.state !== 'sending') &&
      replies.every((text) => v.items.some((i) => i.text === text))
    for (const page of tabs) await waitFor(page, settled, 'reconnects and catches up', 20_000)
    await first.waitForTimeout(500) // a late duplicate would be in by now

    // The agent got each offline message once, in the order sent.
    const texts = received.map((m) => m.content.text).filter((t) => offline.includes(t ?? ''))
    assert.deepEqual(texts, offline)
    // The server stored the replies first: the visitor's messages only reached it afterwards.
    const stored = (await history(agent, chatId)).map((m) => m.content.text)
    assert.deepEqual(stored, ['Hello before the tunnel', ...replies, ...offline])

    // Every tab: the same ids in the same order (the server's), each message once, same unread.
    const views = await Promise.all(tabs.map(view))
    const storedIds = (await history(agent, chatId)).map((m) => m.id)
    for (const [index, v] of views.entries()) {
      const ids = v.items.filter((i) => i.text !== null).map((i) => i.id)
      assert.deepEqual(ids, storedIds, `tab ${index + 1} has the server's messages in order`)
      assert.equal(new Set(v.items.map((i) => i.id)).size, v.items.length, 'no duplicates')
      assert.ok(
        v.items.every((i) => i.side !== 'contact' || i.state === 'sent' || i.state === 'seen'),
        `tab ${index + 1}: every visitor message is delivered`,
      )
    }
    assert.deepEqual(
      views.map((v) => v.items),
      [views[0]!.items, views[0]!.items, views[0]!.items],
    )
    assert.deepEqual(
      views.map((v) => v.unread),
      [2, 2, 2],
      'the two replies are unread in every tab',
    )
    for (const page of tabs) await page.locator(part('unread-badge'), { hasText: '2' }).waitFor()

    // Reading in one tab reads in all; the rendered lists match too.
    await openPanel(first)
    for (const page of tabs) await waitFor(page, (v) => v.unread === 0, 'read everywhere')
    for (const page of [second, third]) await openPanel(page)
    const rendered = await Promise.all(tabs.map(renderedIds))
    assert.deepEqual(rendered[1], rendered[0])
    assert.deepEqual(rendered[2], rendered[0])
    for (const id of storedIds) assert.ok(rendered[0]!.includes(id), `rendered: ${id}`)
  })

  test('kill -9 of the server with a send in flight: delivered exactly once, three tabs alike', async () => {
    // The product server as a process of its own, so it can die for real.
    const crashDir = mkdtempSync(join(tmpdir(), 'chat-widget-crash-'))
    const env = {
      DATA_DIR: crashDir,
      STATIC_DIR: SITE_DIR,
      WIDGET_FILE,
      DEMO_AGENT_TOKEN: 'crash-test-agent',
    }
    let node = await startServerProcess(env)
    try {
      const online = async () => {
        const { socket } = await connectAgent(node.url, 'crash-test-agent')
        await request(socket, 'agent.status', { status: 'online' })
        return socket
      }
      await online()
      const context = await visitor()
      const first = await tab(context, node.url)
      await openPanel(first)
      await first.locator(part('status-badge'), { hasText: 'Online' }).waitFor()
      await type(first, 'First, before the crash')
      await waitFor(first, (v) => v.items.some((i) => i.state === 'sent'), 'first message sent')
      const chatId = await first.evaluate(
        () => document.querySelector('chat-widget')!.client!.getVisitorIdentity()!.chatId,
      )
      assert.ok(chatId)
      const tabs = [first, await tab(context, node.url), await tab(context, node.url)]
      for (const page of tabs.slice(1)) {
        await openPanel(page)
        await waitFor(page, (v) => v.connection === 'online' && v.items.length === 1, 'the chat')
      }

      // Frozen, the server holds the send in its socket buffer unanswered; then it dies.
      node.freeze()
      await type(first, 'In flight when the server died')
      await waitFor(
        first,
        (v) => v.items.some((i) => i.text === 'In flight when the server died'),
        'shown as pending',
      )
      assert.equal(
        (await view(first)).items.find((i) => i.text === 'In flight when the server died')?.state,
        'sending',
        'not acknowledged',
      )
      await node.kill()
      for (const page of tabs) {
        await page.locator(part('status-badge'), { hasText: 'Reconnecting' }).waitFor()
      }
      node = await startServerProcess({ ...env, PORT: String(node.port) })
      const agent = await online()
      const settled = (v: TabView) =>
        v.connection === 'online' &&
        v.items.length === 2 &&
        v.items.every((i) => i.state === 'sent' || i.state === 'seen')
      for (const page of tabs) await waitFor(page, settled, 'reconnects and delivers', 20_000)
      await first.waitForTimeout(500) // a late resend would be stored by now

      const stored = await history(agent, chatId)
      assert.deepEqual(
        stored.map((m) => m.content.text),
        ['First, before the crash', 'In flight when the server died'],
      )
      const views = await Promise.all(tabs.map(view))
      for (const [index, v] of views.entries()) {
        assert.deepEqual(
          v.items.map((i) => [i.id, i.text]),
          stored.map((m) => [m.id, m.content.text]),
          `tab ${index + 1}: the server's messages, once each, in order`,
        )
      }
      for (const page of tabs) {
        assert.equal(
          await page.locator(part('message-contact'), { hasText: 'In flight' }).count(),
          1,
          'shown once',
        )
      }
    } finally {
      await node.kill()
      rmSync(crashDir, { recursive: true, force: true })
    }
  })

  test('the server stored a message but died before its ack: the resend is not doubled', async () => {
    await agentOnline()
    const context = await visitor()
    const page = await context.newPage()
    // Forward every frame, except acks from the server while `dropAcks` is set: the send
    // reaches the server and is stored, but the widget never hears so.
    let dropAcks = false
    await page.routeWebSocket(/\/socket\//, (ws) => {
      const upstream = ws.connectToServer()
      ws.onMessage((message) => upstream.send(message))
      upstream.onMessage((message) => {
        if (dropAcks && typeof message === 'string' && /^43\d/.test(message)) return
        ws.send(message)
      })
    })
    await page.goto(`${server.url}/`)
    await openPanel(page)
    await page.locator(part('status-badge'), { hasText: 'Online' }).waitFor()
    await type(page, 'Acknowledged')
    await waitFor(page, (v) => v.items.some((i) => i.state === 'sent'), 'first message sent')
    const chatId = await page.evaluate(
      () => document.querySelector('chat-widget')!.client!.getVisitorIdentity()!.chatId,
    )
    assert.ok(chatId)

    const watcher = await agentOnline()
    const stored = nextEvent<{ message: Message }>(
      watcher,
      'chat.message_received',
      ({ message }) => message.content.text === 'Stored, never acknowledged',
      5000,
    )
    dropAcks = true
    await type(page, 'Stored, never acknowledged')
    await stored
    const port = server.port
    await server.close()
    dropAcks = false
    await page.locator(part('status-badge'), { hasText: 'Reconnecting' }).waitFor()
    server = await startProductServer({ dataDir, port })
    const agent = await agentOnline()
    await waitFor(
      page,
      (v) => v.connection === 'online' && v.items.every((i) => i.state !== 'sending'),
      'reconnects and settles',
      20_000,
    )
    await page.waitForTimeout(500)

    const texts = (await history(agent, chatId)).map((m) => m.content.text)
    assert.deepEqual(texts, ['Acknowledged', 'Stored, never acknowledged'])
    const v = await view(page)
    assert.deepEqual(
      v.items.map((i) => [i.text, i.state]),
      [
        ['Acknowledged', 'sent'],
        ['Stored, never acknowledged', 'sent'],
      ],
    )
  })

  test('messages sent offline survive closing the tab: the next tab delivers them once', async () => {
    const agent = await agentOnline()
    const context = await visitor()
    const first = await tab(context)
    await openPanel(first)
    await first.locator(part('status-badge'), { hasText: 'Online' }).waitFor()
    const hello = nextEvent<{ message: Message }>(agent, 'chat.message_received', () => true, 5000)
    await type(first, 'Hello, then the train enters a tunnel')
    const { chatId } = (await hello).message

    await context.setOffline(true)
    await waitFor(first, (v) => v.connection !== 'online', 'goes offline')
    const unsent = ['Unsent one', 'Unsent two']
    for (const text of unsent) await type(first, text)
    await waitFor(first, (v) => unsent.every((text) => v.items.some((i) => i.text === text)))
    await first.waitForTimeout(400) // the outbox is saved shortly after a change
    await first.close()

    await context.setOffline(false)
    const next = await tab(context)
    await waitFor(
      next,
      (v) =>
        v.connection === 'online' &&
        unsent.every((text) => v.items.some((i) => i.text === text && i.state === 'sent')),
      'the new tab delivers the saved outbox',
      20_000,
    )
    await next.waitForTimeout(500)
    const texts = (await history(agent, chatId)).map((m) => m.content.text)
    assert.deepEqual(texts, ['Hello, then the train enters a tunnel', ...unsent])
    const v = await view(next)
    assert.deepEqual(
      v.items.filter((i) => i.side === 'contact').map((i) => [i.text, i.state]),
      [
        ['Hello, then the train enters a tunnel', 'sent'],
        ['Unsent one', 'sent'],
        ['Unsent two', 'sent'],
      ],
    )
  })
})

/** Polls a tab's view until `condition` holds. */
async function waitFor(
  page: Page,
  condition: (v: TabView) => boolean,
  what = 'condition',
  ms = 10_000,
): Promise<TabView> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await view(page)
    if (condition(v)) return v
    if (Date.now() > deadline) {
      throw new Error(`timed out: ${what}; tab: ${JSON.stringify(v)}`)
    }
    await page.waitForTimeout(100)
  }
}
