/**
 * The agent console and the demo page in a real browser against a real server: a visitor
 * writes, the console shows the chat with an unread mark, the agent replies, the visitor
 * sees the reply once. Serves the built product (test/support/e2e.ts); skipped without a Chromium.
 *
 *   node --import tsx --test test/e2e/console.e2e.test.ts
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import type { Message } from '../../src/protocol.ts'
import { launchBrowser, skipWithoutBrowser, startProductServer } from '../support/e2e.ts'
import {
  closeSockets,
  connectVisitor,
  nextEvent,
  request,
  type TestServer,
} from '../support/server.ts'

describe('agent console (browser)', { skip: skipWithoutBrowser }, () => {
  let server: TestServer
  let browser: Browser

  before(async () => {
    server = await startProductServer()
    browser = await launchBrowser()
  })

  after(async () => {
    closeSockets()
    await browser?.close()
    await server?.close()
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
})

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
