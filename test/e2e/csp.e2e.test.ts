/**
 * `<chat-widget>` under a strict Content-Security-Policy: a page on another origin than the chat
 * server, served with the policy the README documents (on top of `default-src 'none'`, so
 * nothing else sneaks in), loads the widget, connects, sends a text and an image, and shows
 * the agent's reply, with no CSP violation reported and no console error; then again with
 * Trusted Types enforced.
 *
 *   node --import tsx --test test/e2e/csp.e2e.test.ts
 */
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
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

const part = (name: string) => `chat-widget [part~="${name}"]`

/** The policy of the README's "Content-Security-Policy" section, for a chat server at `origin`. */
export function widgetPolicy(origin: string): string {
  const socket = origin.replace(/^http/, 'ws')
  return [
    "default-src 'none'",
    `script-src ${origin}`,
    `connect-src ${origin} ${socket}`,
    `img-src ${origin}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

interface Violation {
  directive: string
  blocked: string
  sample: string
  source: string
}

describe('<chat-widget> under a strict Content-Security-Policy', {
  skip: skipWithoutBrowser,
}, () => {
  let server: TestServer
  let browser: Browser
  let site: Server
  let siteUrl: string

  before(async () => {
    server = await startProductServer()
    browser = await launchBrowser()
    const policy = widgetPolicy(server.url)
    const page = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Strict CSP</title>
<h1>A shop with a strict policy</h1>
<script src="${server.url}/chat-widget.js" type="module" data-server="${server.url}" data-key="demo"></script>`
    site = createServer((request, response) => {
      response.setHeader('content-type', 'text/html; charset=utf-8')
      // `/trusted-types`: the same policy, with Trusted Types enforced (Lit's policy allowed).
      const trusted = request.url === '/trusted-types'
      response.setHeader(
        'content-security-policy',
        trusted ? `${policy}; require-trusted-types-for 'script'; trusted-types lit-html` : policy,
      )
      response.end(page)
    })
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
    // localhost: another origin than the chat server (127.0.0.1), allowed by the demo account.
    siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`
  })

  after(async () => {
    closeSockets()
    site?.close()
    await browser?.close()
    await server?.close()
  })

  /** Opens the page, recording CSP violations (in the page) and console errors (here). */
  async function open(path = ''): Promise<{ page: Page; errors: string[] }> {
    const context = await newVisitor(browser)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`)
    })
    // Init scripts come through the DevTools protocol, which the page's policy does not govern.
    await page.addInitScript(() => {
      const seen: Violation[] = []
      Object.assign(window, { __cspViolations: seen })
      document.addEventListener('securitypolicyviolation', (event) => {
        seen.push({
          directive: event.effectiveDirective,
          blocked: event.blockedURI,
          sample: event.sample,
          source: `${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`,
        })
      })
    })
    const response = await page.goto(`${siteUrl}${path}`)
    assert.match(response?.headers()['content-security-policy'] ?? '', /default-src 'none'/)
    return { page, errors }
  }

  const violations = (page: Page) =>
    page.evaluate(() => (window as unknown as { __cspViolations: Violation[] }).__cspViolations)

  test('loads, connects, sends a text and an image, shows the reply; nothing is refused', async () => {
    await chatUnder('')
  })

  test('works with Trusted Types enforced too (Lit’s own "lit-html" policy)', async () => {
    await chatUnder('trusted-types')
  })

  async function chatUnder(path: string) {
    const { socket: agent } = await connectAgent(server.url, server.agentToken)
    await request(agent, 'agent.status', { status: 'online' })
    const { page, errors } = await open(path)

    await page.locator(part('launcher')).waitFor()
    // The styles came through (adopted stylesheets): the launcher is a round button.
    const radius = await page
      .locator(part('launcher'))
      .evaluate((node) => getComputedStyle(node).borderRadius)
    assert.equal(radius, '50%')

    await page.click(part('launcher'))
    await page.locator(part('status-badge'), { hasText: 'Online' }).waitFor()

    const received = nextEvent<{ message: Message }>(
      agent,
      'chat.message_received',
      ({ message }) => message.content.text === 'Hello under CSP',
      5000,
    )
    await page.fill(part('input'), 'Hello under CSP')
    await page.press(part('input'), 'Enter')
    const { message } = await received
    await page.locator(part('message-contact'), { hasText: 'Hello under CSP' }).waitFor()

    await request(agent, 'chat.message', {
      chatId: message.chatId,
      content: { type: 'text', text: 'Policy-proof reply, see https://example.com' },
    })
    await page.locator(part('message-agent'), { hasText: 'Policy-proof reply' }).waitFor()

    // An image: the upload goes to connect-src, its thumbnail comes from img-src.
    const png = await sharp({
      create: { width: 120, height: 80, channels: 3, background: '#cc3366' },
    })
      .png()
      .toBuffer()
    await page.setInputFiles('chat-widget input[type=file]', [
      { name: 'csp.png', mimeType: 'image/png', buffer: png },
    ])
    const thumbnail = page.locator(part('image'))
    await thumbnail.waitFor()
    const deadline = Date.now() + 5000
    while (!(await thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth > 0))) {
      assert.ok(Date.now() < deadline, 'the thumbnail never loaded')
      await page.waitForTimeout(50)
    }

    await page.waitForTimeout(300) // a late violation report would be in by now
    assert.deepEqual(await violations(page), [])
    assert.deepEqual(errors, [])
    await page.context().close()
  }

  test('the built bundle has no eval or new Function on any path a browser takes', async () => {
    const source = await (await fetch(`${server.url}/chat-widget.js`)).text()
    assert.doesNotMatch(source, /\beval\(/)
    assert.doesNotMatch(source, /new Function\b/)
    // engine.io-client's globalThis fallback, `Function("return this")()`, only runs where
    // neither `self` nor `window` exists (never in a browser): it must stay behind them.
    for (const match of source.matchAll(/Function\(`return this`\)|Function\("return this"\)/g)) {
      const before = source.slice(Math.max(0, (match.index ?? 0) - 80), match.index)
      assert.match(before, /typeof self|typeof window/)
    }
  })
})
