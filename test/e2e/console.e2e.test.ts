/**
 * The agent console and the demo page in a real browser against a real server: a visitor
 * writes, the console shows the chat with an unread mark, the agent replies, the visitor
 * sees the reply once. The site is built with vite into a temporary folder (dist/ is left
 * alone). Needs a Chromium: $CHROMIUM_PATH or /usr/bin/chromium; skipped without one.
 *
 *   node --import tsx --test test/e2e/console.e2e.test.ts
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { type Browser, chromium, type Page } from 'playwright-core'
import { build } from 'vite'
import type { Message } from '../../src/protocol.ts'
import {
  closeSockets,
  connectVisitor,
  nextEvent,
  request,
  startTestServer,
  type TestServer,
} from '../support/server.ts'

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path) => path && existsSync(path),
)
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

describe('agent console (browser)', { skip: CHROMIUM ? false : 'no Chromium found' }, () => {
  let siteDir: string
  let server: TestServer
  let browser: Browser

  before(async () => {
    siteDir = mkdtempSync(join(tmpdir(), 'chat-widget-site-'))
    await build({
      configFile: join(import.meta.dirname, '../../vite.config.ts'),
      logLevel: 'silent',
      build: { outDir: siteDir },
    })
    server = await startTestServer({ staticDir: siteDir })
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  })

  after(async () => {
    closeSockets()
    await browser?.close()
    await server?.close()
    rmSync(siteDir, { recursive: true, force: true })
  })

  /** A console page, signed in through the form. */
  async function openConsole(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
    await page.goto(`${server.url}/console`)
    await page.fill('sign-in-form input', server.agentToken)
    await page.click('sign-in-form button[type=submit]')
    await page.locator('console-app header').waitFor()
    return page
  }

  const chatRow = (page: Page, name: string) =>
    page.locator('chat-list button', { hasText: name }).first()

  test('a wrong token is refused with a message', async () => {
    const page = await browser.newPage()
    await page.goto(`${server.url}/console`)
    await page.fill('sign-in-form input', 'not-the-token')
    await page.click('sign-in-form button[type=submit]')
    await page.locator('sign-in-form .error').waitFor()
    await page.close()
  })

  test('shows a visitor message as unread, replies, and the visitor gets it once', async () => {
    const { socket: visitor } = await connectVisitor(server.url, { name: 'Jane Tester' })
    const first = await request<Message>(visitor, 'chat.message', {
      content: { type: 'text', text: 'Is <b>this</b> on?' },
    })
    assert.ok(first.chatId)
    const page = await openConsole()

    const row = chatRow(page, 'Jane Tester')
    await row.waitFor()
    assert.match((await row.getAttribute('aria-label')) ?? '', /1 unread/)

    // A second message arrives live while the list is on screen.
    await request(visitor, 'chat.message', { content: { type: 'text', text: 'Hello?' } })
    await page.waitForFunction(
      () =>
        [
          ...(document
            .querySelector('console-app')
            ?.shadowRoot?.querySelector('chat-list')
            ?.shadowRoot?.querySelectorAll('button') ?? []),
        ].some((b) => b.getAttribute('aria-label')?.includes('2 unread')),
      null,
      { timeout: 5000 },
    )

    // Opening the chat shows the history as text (no HTML) and marks it read.
    const read = nextEvent(visitor, 'chat.agent_read', () => true, 5000)
    await row.click()
    await page.locator('conversation-view .bubble', { hasText: 'Is <b>this</b> on?' }).waitFor()
    await page.waitForFunction(
      () =>
        [
          ...(document
            .querySelector('console-app')
            ?.shadowRoot?.querySelector('chat-list')
            ?.shadowRoot?.querySelectorAll('button') ?? []),
        ].every((b) => !b.getAttribute('aria-label')?.includes('unread')),
      null,
      { timeout: 5000 },
    )
    await read

    // The agent joins and replies with Enter; the visitor hears the reply exactly once.
    await page.click('conversation-view button:has-text("Join")')
    const replies: Message[] = []
    visitor.on('chat.message_received', ({ message }: { message: Message }) => {
      if (message.subType === 'agent' && message.type === 'message') replies.push(message)
    })
    await page.fill('console-composer textarea', 'Yes, we are here.')
    await page.press('console-composer textarea', 'Enter')
    await page.locator('conversation-view .bubble', { hasText: 'Yes, we are here.' }).waitFor()
    await waitFor(() => replies.length > 0)
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.deepEqual(
      replies.map((m) => m.content.text),
      ['Yes, we are here.'],
    )
    assert.equal(
      await page.locator('conversation-view .bubble', { hasText: 'Yes, we are here.' }).count(),
      1,
    )

    // Typing from the visitor shows up in the open conversation.
    visitor.emit('chat.typing', { typing: { is: true, text: null } })
    await page.locator('conversation-view .typing', { hasText: 'is typing' }).waitFor()
    await page.close()
  })

  test('demo page: the visitor sends, the agent replies, the reply shows once', async () => {
    const shop = await browser.newPage()
    await shop.goto(`${server.url}/`)
    await shop.locator('.chat .status').waitFor()
    await shop.fill('.chat input', 'Do you ship to Norway?')
    await shop.press('.chat input', 'Enter')
    await shop.locator('.chat .mine', { hasText: 'Do you ship to Norway?' }).waitFor()

    const page = await openConsole()
    const row = page.locator('chat-list button', { hasText: 'Do you ship to Norway?' })
    await row.waitFor()
    assert.match((await row.getAttribute('aria-label')) ?? '', /1 unread/)
    await row.click()
    await page.fill('console-composer textarea', 'We do!')
    await page.press('console-composer textarea', 'Enter')

    await shop.locator('.chat .theirs', { hasText: 'We do!' }).waitFor()
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.equal(await shop.locator('.chat .theirs', { hasText: 'We do!' }).count(), 1)
    assert.equal(await shop.locator('.chat .mine').count(), 1)
    await shop.close()
    await page.close()
  })
})

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
