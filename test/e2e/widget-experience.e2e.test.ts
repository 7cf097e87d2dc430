/**
 * The widget as people meet it, on the built demo page against the real server: used with the
 * keyboard alone (open, send, attach, rate, close), on a phone-sized screen, and getting the
 * visitor's attention for a reply (title flash; one beep across two tabs).
 *
 *   node --import tsx --test test/e2e/widget-experience.e2e.test.ts
 */
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, afterEach, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import sharp from 'sharp'
import type { Socket } from 'socket.io-client'
import type { AgentChat, ChatHistoryResult, Message } from '../../src/protocol.ts'
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
  waitFor,
} from '../support/server.ts'

const part = (name: string) => `chat-widget [part~="${name}"]`
const ARTIFACTS = join(import.meta.dirname, '../../test-results')

/** The focused element through shadow roots: its part (or tag), and whether a ring shows. */
function focused(page: Page) {
  return page.evaluate(() => {
    let active = document.activeElement
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement
    if (!active) return { part: '', ring: false }
    const style = getComputedStyle(active)
    const ring =
      (style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0) ||
      style.boxShadow !== 'none'
    const label = active.getAttribute('part') ?? active.getAttribute('type') ?? active.localName
    return { part: label, ring }
  })
}

/** Presses Tab until the focused element's part (or input type) is `name`; asserts its ring. */
async function tabTo(page: Page, name: string, key = 'Tab', max = 40): Promise<void> {
  const seen: string[] = []
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key)
    const now = await focused(page)
    seen.push(now.part)
    if (now.part.split(' ').includes(name)) {
      assert.ok(now.ring, `a visible focus ring on ${name}`)
      return
    }
  }
  throw new Error(`Tab never reached ${name}: ${seen.join(', ')}`)
}

/** A small real PNG (the server makes a thumbnail of it). */
/** Taps the launcher and waits for the panel's input and the end of its entrance animation. */
async function tapOpen(
  page: Page,
): Promise<{ x: number; y: number; width: number; height: number }> {
  await page.locator(part('launcher')).tap()
  await page.locator(part('input')).waitFor()
  // Measure after the entrance animation (a slight scale).
  await page.waitForFunction(
    `document.querySelector('chat-widget').shadowRoot.getAnimations().length === 0`,
  )
  const panel = (await page.locator(part('panel')).boundingBox())!
  return { x: panel.x, y: panel.y, width: panel.width, height: panel.height }
}

/**
 * An on-screen keyboard that leaves `height` px of the visual viewport: waits for the panel to
 * end above it, and answers where the input ends. (Scripts as strings: tsx's helpers like
 * __name do not exist in the page.)
 */
async function keyboardLeaves(page: Page, height: number): Promise<number> {
  await page.evaluate(`{
    const viewport = window.visualViewport
    Object.defineProperty(viewport, 'height', { configurable: true, get() { return ${height} } })
    viewport.dispatchEvent(new Event('resize'))
  }`)
  await page.waitForFunction(
    (height) => {
      const panel = document.querySelector('chat-widget')!.shadowRoot!.querySelector('.panel')!
      return Math.round(panel.getBoundingClientRect().height) === height
    },
    height,
    { timeout: 3000 },
  )
  const input = (await page.locator(part('input')).boundingBox())!
  return input.y + input.height
}

const PNG = await sharp({
  create: { width: 40, height: 30, channels: 3, background: { r: 51, g: 102, b: 204 } },
})
  .png()
  .toBuffer()

describe('<chat-widget> for people', { skip: skipWithoutBrowser }, () => {
  let server: TestServer
  let browser: Browser
  let agent: Socket
  const contexts: BrowserContext[] = []

  before(async () => {
    server = await startProductServer()
    browser = await launchBrowser()
    mkdirSync(ARTIFACTS, { recursive: true })
  })

  afterEach(async () => {
    closeSockets()
    await Promise.all(contexts.splice(0).map((context) => context.close()))
  })

  after(async () => {
    await browser?.close()
    await server?.close()
  })

  async function online(): Promise<Socket> {
    const { socket } = await connectAgent(server.url, server.agentToken)
    await request(socket, 'agent.status', { status: 'online' })
    agent = socket
    return socket
  }

  async function visit(context: BrowserContext): Promise<Page> {
    const page = await context.newPage()
    await page.goto(`${server.url}/`)
    await page.locator(part('launcher')).waitFor()
    return page
  }

  async function visitor(options: Parameters<Browser['newContext']>[0] = {}) {
    const context = options.viewport ? await browser.newContext(options) : await newVisitor(browser)
    contexts.push(context)
    return context
  }

  /** The next message the agent receives matching `predicate`; on a timeout, says what the page shows. */
  const received = (predicate: (message: Message) => boolean, page?: Page) =>
    nextEvent<{ message: Message }>(
      agent,
      'chat.message_received',
      ({ message }) => predicate(message),
      20_000,
    ).then(
      (event) => event.message,
      async (error: Error) => {
        const seen = await page
          ?.evaluate(() => {
            const widget = document.querySelector('chat-widget')
            const list = widget?.shadowRoot?.querySelector('chat-widget-message-list') as
              | (Element & { items?: { state: string; message: { content: { text: string } } }[] })
              | null
            return JSON.stringify({
              connection: widget?.client?.getConnectionState(),
              items: list?.items?.map((item) => [item.state, item.message.content.text]),
            })
          })
          .catch(() => 'page gone')
        throw new Error(`${error.message}; the page shows ${seen}`)
      },
    )

  /** Polls until `check` gives a value (20 s: a loaded CI is slow). */
  const until = <T>(check: () => Promise<T | undefined>) => waitFor(check, 20_000)

  /** The visitor's chat as the server stored it (read by the agent), once `done` holds. */
  function stored(done: (messages: Message[]) => boolean): Promise<{ chatId: string }> {
    return until(async () => {
      const { chats } = await request<{ chats: AgentChat[] }>(agent, 'chats.list', {
        status: 'all',
      })
      for (const chat of chats) {
        const { messages } = await request<ChatHistoryResult>(agent, 'chat.history', {
          chatId: chat.id,
          limit: 50,
        })
        if (done(messages)) return { chatId: chat.id }
      }
      return undefined
    })
  }

  test('keyboard only: open, send, attach, rate, close — focus always visible', async () => {
    await online()
    const page = await visit(await visitor())
    // Listen for the file chooser long before the key that opens it: Playwright turns on
    // Chromium's chooser interception without waiting, so a listener added just before the
    // key press can miss the chooser (seen in CI; puppeteer/puppeteer#6040 is the same race).
    const chooser = page.waitForEvent('filechooser', { timeout: 60_000 })
    chooser.catch(() => {}) // if an earlier step fails, that failure is the one to report

    // From the top of the page, Tab reaches the launcher; Enter opens, focus goes to the input.
    await tabTo(page, 'launcher')
    await page.keyboard.press('Enter')
    await page.locator(part('panel')).waitFor()
    await page.waitForFunction(() => {
      let active = document.activeElement
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement
      return active?.getAttribute('part') === 'input'
    })
    assert.equal(await page.locator(part('panel')).getAttribute('role'), 'dialog')
    // As a person would: wait until the header says someone is there (the panel is live chat,
    // not the leave-a-message form that an "offline" first answer would show).
    await page.locator(part('status-badge'), { hasText: 'Online' }).waitFor()

    // Type and send with Enter. (What the server stored is read back by the agent: the push
    // can reach the agent before `press` returns, i.e. before a listener added after it.)
    await page.keyboard.type('Typed without a mouse')
    await page.keyboard.press('Enter')
    const { chatId } = await stored((messages) =>
      messages.some((m) => m.content.text === 'Typed without a mouse'),
    )

    // Attach a file: the paperclip by keyboard opens the file chooser.
    await tabTo(page, 'attach-button', 'Shift+Tab')
    await page.keyboard.press('Enter')
    await (await chooser).setFiles({ name: 'dot.png', mimeType: 'image/png', buffer: PNG })
    await stored((messages) => messages.some((m) => m.content.type === 'upload'))
    await page.locator(part('image-button')).waitFor()

    // The agent ends the chat; the visitor rates it with the keyboard.
    await request(agent, 'chat.close', { chatId })
    await page.locator(part('rating')).waitFor()
    await tabTo(page, 'radio')
    await page.keyboard.press('Space')
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight')
    await tabTo(page, 'rate-button')
    await page.keyboard.press('Enter')
    const rated = await until(async () => {
      const { chats } = await request<{ chats: AgentChat[] }>(agent, 'chats.list', {
        status: 'all',
      })
      return chats.find((chat) => chat.id === chatId)?.rating ?? undefined
    })
    assert.equal(rated.value, 5)
    await page.locator(part('rating-thanks')).waitFor()

    // Escape closes the panel and gives focus back to the launcher.
    await page.keyboard.press('Escape')
    await page.locator(part('panel')).waitFor({ state: 'detached' })
    assert.equal((await focused(page)).part, 'launcher')
  })

  test('a message over the server’s length limit is marked and kept, not sent', async () => {
    await online()
    const page = await visit(await visitor())
    await page.locator(part('launcher')).click()
    const field = page.locator(part('input'))
    // The limit comes with the connection (ConnectedData.maxTextLength, 10,000 here).
    await page.locator(part('header')).filter({ hasText: 'Online' }).waitFor()
    await field.fill('z'.repeat(10_001))
    const counter = page.locator(part('counter'))
    await counter.filter({ hasText: 'Too long to send' }).waitFor()
    assert.equal(await field.getAttribute('aria-invalid'), 'true')
    assert.ok(await page.locator(part('send-button')).isDisabled())
    await field.press('Enter')
    assert.equal((await field.inputValue()).length, 10_001, 'the text stays')
    assert.equal(await page.locator(part('message-contact')).count(), 0)
    await field.press('End')
    await field.press('Backspace')
    const sent = received((message) => message.content.text?.length === 10_000, page)
    await field.press('Enter')
    await sent
  })

  test('on a phone (375×667): full screen, 16 px fields, follows the keyboard; screenshot', async () => {
    await online()
    const context = await visitor({
      viewport: { width: 375, height: 667 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    })
    const page = await visit(context)

    // The closed launcher keeps above a bottom bar of the page with --chat-widget-offset-y.
    await page.evaluate(() =>
      document.querySelector('chat-widget')!.style.setProperty('--chat-widget-offset-y', '72px'),
    )
    const launcher = (await page.locator(part('launcher')).boundingBox())!
    assert.ok(
      667 - (launcher.y + launcher.height) >= 72,
      `launcher bottom at ${launcher.y + launcher.height}`,
    )

    const panel = await tapOpen(page)
    assert.deepEqual(
      [panel.x, panel.y, panel.width, panel.height].map(Math.round),
      [0, 0, 375, 667],
    )
    const fontSize = await page
      .locator(part('input'))
      .evaluate((el) => getComputedStyle(el).fontSize)
    assert.ok(Number.parseFloat(fontSize) >= 16, `input font ${fontSize} (iOS zooms under 16px)`)

    await page.locator(part('input')).fill('Hello from my phone')
    await page.locator(part('input')).press('Enter')
    await page.locator(part('message-contact'), { hasText: 'Hello from my phone' }).waitFor()
    await page.screenshot({ path: join(ARTIFACTS, 'widget-mobile-375x667.png') })

    // The on-screen keyboard shrinks the visual viewport: the panel ends above it.
    assert.ok((await keyboardLeaves(page, 380)) <= 380, 'the input stays above the keyboard')
    await page.screenshot({ path: join(ARTIFACTS, 'widget-mobile-keyboard.png') })
  })

  test('on a phone held sideways (667×375): full screen too, the input above the keyboard', async () => {
    await online()
    const context = await visitor({
      viewport: { width: 667, height: 375 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    })
    const page = await visit(context)
    // A floating panel would get 375 − 116 px, and next to nothing above the keyboard.
    const panel = await tapOpen(page)
    assert.deepEqual(
      [panel.x, panel.y, panel.width, panel.height].map(Math.round),
      [0, 0, 667, 375],
    )
    const inputEnd = await keyboardLeaves(page, 200)
    await page.screenshot({ path: join(ARTIFACTS, 'widget-mobile-landscape-keyboard.png') })
    assert.ok(inputEnd <= 200, `the input ends at ${inputEnd} px`)
  })

  test('a reply while closed flashes the title until read, and beeps in one tab of two', async () => {
    await online()
    const context = await visitor()
    // Count the beeps: a stand-in AudioContext whose oscillators count their start().
    await context.addInitScript(`{
      window.__beeps = 0
      const node = () => ({
        connect() {},
        frequency: { setValueAtTime() {} },
        gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} },
        start() { window.__beeps++ },
        stop() {},
      })
      window.AudioContext = class {
        currentTime = 0
        destination = {}
        resume() { return Promise.resolve() }
        close() { return Promise.resolve() }
        createGain() { return node() }
        createOscillator() { return node() }
      }
    }`)
    const first = await visit(context)
    const chatStarted = received((m) => m.content.text === 'Two tabs')
    await first.click(part('launcher'))
    await first.fill(part('input'), 'Two tabs')
    await first.press(part('input'), 'Enter')
    const { chatId } = await chatStarted
    await first.click(part('launcher')) // closed again
    await first.waitForTimeout(400) // the visitor id is saved for the second tab
    const second = await visit(context)
    for (const page of [first, second]) {
      await page.evaluate(() => document.querySelector('chat-widget')!.setAttribute('sound', ''))
    }
    const title = await first.title()

    await request(agent, 'chat.message', {
      chatId,
      content: { type: 'text', text: 'Still there?' },
    })
    for (const page of [first, second]) {
      await page.waitForFunction(() => document.title === '(1) New message', undefined, {
        timeout: 5000,
      })
    }
    await first.waitForTimeout(600) // both tabs have had their say on who beeps
    const beeps = await Promise.all(
      [first, second].map((page) =>
        page.evaluate(() => (window as unknown as { __beeps: number }).__beeps),
      ),
    )
    assert.equal(beeps[0]! + beeps[1]!, 1, `one beep in all: ${beeps}`)

    // Reading it in one tab restores the title in both.
    await first.click(part('launcher'))
    for (const page of [first, second]) {
      await page.waitForFunction((original) => document.title === original, title, {
        timeout: 5000,
      })
    }

    // Without `sound`, no beep at all.
    await first.click(part('launcher'))
    for (const page of [first, second]) {
      await page.evaluate(() => document.querySelector('chat-widget')!.removeAttribute('sound'))
    }
    await request(agent, 'chat.message', { chatId, content: { type: 'text', text: 'Hello?' } })
    await first.waitForFunction(() => document.title.startsWith('(1)'), undefined, {
      timeout: 5000,
    })
    await first.waitForTimeout(600)
    const after = await Promise.all(
      [first, second].map((page) =>
        page.evaluate(() => (window as unknown as { __beeps: number }).__beeps),
      ),
    )
    assert.equal(after[0]! + after[1]!, 1)
  })
})
