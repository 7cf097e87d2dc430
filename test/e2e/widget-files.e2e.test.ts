/**
 * Files, offline messages and the end of a chat in `<chat-widget>`, in a real Chromium against
 * the real server (the agent side is a raw agent socket; the console has its own suite).
 *
 *   node --import tsx --test test/e2e/widget-files.e2e.test.ts
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import sharp from 'sharp'
import type { Socket } from 'socket.io-client'
import type { AgentChat, Message } from '../../src/protocol.ts'
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
const MAX_UPLOAD = 200_000

/** A small valid PDF. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
)

describe('<chat-widget>: files, offline messages, end of chat', {
  skip: skipWithoutBrowser,
}, () => {
  let dataDir: string
  let server: TestServer
  let browser: Browser
  let png: Buffer
  const contexts: BrowserContext[] = []

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'chat-widget-files-'))
    server = await startProductServer({ dataDir, uploadMaxBytes: MAX_UPLOAD })
    browser = await launchBrowser()
    png = await sharp({
      create: { width: 900, height: 600, channels: 3, background: '#3366cc' },
    })
      .png()
      .toBuffer()
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

  async function agentOnline(status: 'online' | 'offline' = 'online'): Promise<Socket> {
    const { socket } = await connectAgent(server.url, server.agentToken)
    await request(socket, 'agent.status', { status })
    return socket
  }

  async function openWidget(): Promise<Page> {
    const context = await newVisitor(browser)
    contexts.push(context)
    const page = await context.newPage()
    await page.goto(`${server.url}/`)
    await page.click(part('launcher'))
    await page.locator(part('status-badge')).waitFor()
    return page
  }

  const uploadsOnDisk = () => readdirSync(join(dataDir, 'uploads')).sort()

  test('a PNG and a PDF reach the agent byte-identical; the visitor sees the thumbnail', async () => {
    const agent = await agentOnline()
    const page = await openWidget()
    const received: Message[] = []
    agent.on('chat.message_received', ({ message }: { message: Message }) => {
      if (message.content.type === 'upload') received.push(message)
    })

    await page.setInputFiles('chat-widget input[type=file]', [
      { name: 'photo.png', mimeType: 'image/png', buffer: png },
      { name: 'invoice.pdf', mimeType: 'application/pdf', buffer: PDF },
    ])
    await page.locator(part('image')).waitFor()
    await page.locator(part('file-card'), { hasText: 'invoice.pdf' }).waitFor()
    const deadline = Date.now() + 5000
    while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    assert.equal(received.length, 2)

    const byName = Object.fromEntries(received.map((m) => [m.content.data.fileName, m]))
    const photo = byName['photo.png']!.content.data
    const invoice = byName['invoice.pdf']!.content.data
    assert.deepEqual(Buffer.from(await (await fetch(photo.url)).arrayBuffer()), png)
    assert.deepEqual(Buffer.from(await (await fetch(invoice.url)).arrayBuffer()), PDF)

    // The thumbnail, not the full image, and one bubble per file.
    const src = await page.locator(part('image')).getAttribute('src')
    assert.equal(src, photo.thumb400.url)
    assert.ok(photo.thumb400.width <= 400)
    assert.equal(await page.locator(part('image')).count(), 1)
    assert.equal(await page.locator(part('file-card')).count(), 1)

    // The lightbox opens full size and Esc closes it, focus back on the thumbnail.
    await page.click(part('image-button'))
    await page.locator(part('lightbox-image')).waitFor()
    assert.equal(await page.locator(part('lightbox-image')).getAttribute('src'), photo.url)
    await page.keyboard.press('Escape')
    await page.locator(part('lightbox')).waitFor({ state: 'hidden' })
  })

  test('an upload that fails on the way shows "not sent" with a retry, and the retry sends it once', async () => {
    const agent = await agentOnline()
    const page = await openWidget()
    const received: Message[] = []
    agent.on('chat.message_received', ({ message }: { message: Message }) => {
      if (message.content.type === 'upload') received.push(message)
    })
    // The first upload request dies on the network (as on a dropped train Wi-Fi).
    let failures = 0
    await page.route('**/upload/*', (route) => {
      if (failures++ === 0) return route.abort('connectionreset')
      return route.continue()
    })

    await page.setInputFiles('chat-widget input[type=file]', [
      { name: 'photo.png', mimeType: 'image/png', buffer: png },
    ])
    await page.locator(part('retry-button')).waitFor()
    // Said in the visitor's words, not the client's "Upload failed: network error".
    assert.match(await page.locator(part('failure')).innerText(), /No connection — retry/)
    assert.equal(received.length, 0, 'nothing reached the agent')
    await page.click(part('retry-button'))
    await page.locator(part('image')).waitFor()
    await page.locator(part('retry-button')).waitFor({ state: 'detached' })
    await page.waitForTimeout(300) // a second copy would be in by now
    assert.deepEqual(
      received.map((m) => m.content.data.fileName),
      ['photo.png'],
    )
    assert.deepEqual(
      Buffer.from(await (await fetch(received[0]!.content.data.url)).arrayBuffer()),
      png,
    )
    assert.equal(await page.locator(part('image')).count(), 1, 'one bubble')
    assert.equal(failures, 2, 'the retry went out once')
  })

  test('an oversize file and a refused type get inline errors and the server stores nothing', async () => {
    await agentOnline()
    const page = await openWidget()
    await page.fill(part('input'), 'Hello')
    await page.press(part('input'), 'Enter')
    await page.locator(part('message-contact')).waitFor()
    const before = uploadsOnDisk()

    await page.setInputFiles('chat-widget input[type=file]', [
      { name: 'huge.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(MAX_UPLOAD + 1, 1) },
    ])
    await page.locator(part('notice'), { hasText: 'huge.pdf' }).waitFor()
    await page.setInputFiles('chat-widget input[type=file]', [
      { name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ...') },
    ])
    await page.locator(part('notice'), { hasText: 'setup.exe' }).waitFor()
    await page.waitForTimeout(300)
    assert.deepEqual(uploadsOnDisk(), before)
    assert.equal(await page.locator(part('upload')).count(), 0, 'no upload bubble')
  })

  test('the offline form reaches the agents, and live chat returns when an agent comes online', async () => {
    const agent = await agentOnline('offline')
    const page = await openWidget()
    await page.locator(part('offline-form')).waitFor()

    const form = (field: string) => `chat-widget [part~="offline-form"] [name="${field}"]`
    await page.fill(form('name'), 'Ada')
    await page.fill(form('email'), 'not-an-email')
    await page.fill(form('message'), 'Please call me back')
    await page.click('chat-widget [part~="offline-form"] button[type=submit]')
    await page.locator('chat-widget [part~="offline-form"] [aria-invalid="true"]').waitFor()

    const arrived = nextEvent<{ message: Message }>(
      agent,
      'chat.message_received',
      () => true,
      5000,
    )
    await page.fill(form('email'), 'ada@example.com')
    await page.click('chat-widget [part~="offline-form"] button[type=submit]')
    const { message } = await arrived
    assert.equal(message.isOffline, true)
    assert.equal(message.content.text, 'Please call me back')
    await page.locator(part('offline-form'), { hasText: 'ada@example.com' }).waitFor()

    const { chats } = await request<{ chats: AgentChat[] }>(agent, 'chats.list', {})
    const chat = chats.find((c) => c.id === message.chatId)!
    assert.equal(chat.hasOfflineMessage, true)
    assert.equal(chat.visitor.email, 'ada@example.com')
    assert.equal(chat.visitor.name, 'Ada')

    await request(agent, 'agent.status', { status: 'online' })
    await page.locator(part('input')).waitFor()
    await page.locator(part('offline-form')).waitFor({ state: 'detached' })
  })

  test('close from the header menu, rate, and get the transcript as an .eml file', async () => {
    const agent = await agentOnline()
    const page = await openWidget()
    await page.fill(part('input'), 'What are your opening hours?')
    await page.press(part('input'), 'Enter')
    await page.locator(part('message-contact')).waitFor()

    await page.click(part('menu-button'))
    await page.click(`${part('menu-item')}:has-text("End chat")`)
    await page.locator(part('chat-ended')).waitFor()
    await page.locator(part('message-system')).first().waitFor()

    await page.locator(part('rating-option')).nth(3).click() // 4 of 5
    await page.fill(part('comment'), 'Quick and kind')
    await page.click(part('rate-button'))
    await page.locator(part('rating-thanks')).waitFor()
    const chatId = await page.evaluate(
      () => document.querySelector('chat-widget')!.client!.getVisitorIdentity()!.chatId,
    )
    const rated = await waitFor(async () => {
      const { chats } = await request<{ chats: AgentChat[] }>(agent, 'chats.list', {
        status: 'all',
      })
      return chats.find((c) => c.id === chatId)?.rating ?? undefined
    })
    assert.deepEqual(rated, { value: 4, text: 'Quick and kind' })

    await page.fill(part('transcript-input'), 'ada@example.com')
    await page.click(part('transcript-button'))
    const outbox = join(dataDir, 'outbox')
    const eml = await waitFor(() => {
      const file = existsSync(outbox) && readdirSync(outbox).find((name) => name.endsWith('.eml'))
      return file ? readFileSync(join(outbox, file), 'utf8') : undefined
    })
    assert.match(eml, /^To: ada@example\.com/m)
    // Quoted-printable wraps long lines with soft breaks ("=" at the end of a line).
    assert.match(eml.replace(/=\r?\n/g, ''), /What are your opening hours\?/)

    await page.click(part('new-chat-button'))
    await page.locator(part('input')).waitFor()
    assert.equal(await page.locator(part('message-contact')).count(), 0)
  })

  test('when the agent closes the chat, the widget offers the rating and a new chat', async () => {
    const agent = await agentOnline()
    const page = await openWidget()
    const arrived = nextEvent<{ message: Message }>(
      agent,
      'chat.message_received',
      () => true,
      5000,
    )
    await page.fill(part('input'), 'Thanks, that is all')
    await page.press(part('input'), 'Enter')
    const { message } = await arrived
    await request(agent, 'chat.close', { chatId: message.chatId })
    await page.locator(part('chat-ended')).waitFor()
    await page.locator(part('rating-option')).first().waitFor()
    assert.equal(
      await page.locator('chat-widget-composer').count(),
      0,
      'no composer on a closed chat',
    )
  })
})
