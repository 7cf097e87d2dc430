/**
 * The agent console and the demo page in a real browser against a real server: a visitor
 * writes, the console shows the chat with an unread mark, the agent replies, the visitor
 * sees the reply once; the agent sends files (paperclip, drop, paste) with progress, cancel
 * and refusals; ratings, closing and offline messages show. Serves the built product
 * (test/support/e2e.ts); skipped without a Chromium.
 *
 *   node --import tsx --test test/e2e/console.e2e.test.ts
 *
 * With `SCREENSHOT_DIR=/tmp` it also saves screenshots of what it checked, to look at.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import type { Message } from '../../src/protocol.ts'
import { launchBrowser, skipWithoutBrowser, startProductServer } from '../support/e2e.ts'
import {
  closeSockets,
  connectVisitor,
  nextEvent,
  request,
  type TestServer,
  waitFor,
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
  /** Where the chat of `name` is in the list (0: the top), as it reads now. */
  const placeInList = async (page: Page, name: string) =>
    (await page.locator('chat-list button').allInnerTexts()).findIndex((text) =>
      text.includes(name),
    )

  /** A visitor with one message, and the console open on their chat. */
  async function openChatOf(name: string, options: { email?: string; isOffline?: boolean } = {}) {
    const { socket: visitor } = await connectVisitor(server.url, { name, email: options.email })
    await request<Message>(visitor, 'chat.message', {
      content: { type: 'text', text: `Hello from ${name}` },
      ...(options.isOffline && { isOffline: true }),
    })
    const page = await openConsole()
    const row = chatRow(page, name)
    await row.click()
    await page.locator('conversation-view h2', { hasText: name }).waitFor()
    return { visitor, page, row }
  }

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

  test('the agent sends an image, a PDF and a pasted image; the visitor gets them as uploads', async () => {
    const { visitor, page } = await openChatOf('Pia Files')
    await page.click('conversation-view button:has-text("Join")')
    const uploads: Message[] = []
    visitor.on('chat.message_received', ({ message }: { message: Message }) => {
      if (message.content.type === 'upload') uploads.push(message)
    })

    // The paperclip: a real PNG.
    const png = await sharp({
      create: { width: 600, height: 400, channels: 3, background: '#3366cc' },
    })
      .png()
      .toBuffer()
    await page.setInputFiles('console-composer input[type=file]', {
      name: 'chart.png',
      mimeType: 'image/png',
      buffer: png,
    })
    // A drop on the conversation: a small PDF.
    await dropFiles(page, [{ name: 'report.pdf', type: 'application/pdf', bytes: [...PDF] }])

    await waitFor(() => uploads.length === 2, 10_000)
    const image = uploads.find((m) => m.attachments[0]?.fileName === 'chart.png')
    const pdf = uploads.find((m) => m.attachments[0]?.fileName === 'report.pdf')
    assert.equal(image?.attachments[0]?.type, 'image')
    assert.equal(image?.subType, 'agent')
    assert.equal(pdf?.attachments[0]?.type, 'file')
    assert.equal(pdf?.attachments[0]?.fileType, 'application/pdf')

    // The conversation: a loaded thumbnail and a file card with a download link.
    const thumbnail = page.locator('conversation-view a.image img[alt="chart.png"]')
    await thumbnail.waitFor()
    // decode() rejects for an image that does not load.
    const width = await thumbnail.evaluate(async (img: HTMLImageElement) => {
      await img.decode()
      return img.naturalWidth
    })
    assert.ok(width > 0)
    const thumbUrl = image?.attachments[0]?.thumb400?.url ?? image?.attachments[0]?.url
    assert.equal(await thumbnail.getAttribute('src'), thumbUrl)
    const card = page.locator('conversation-view a.file-card', { hasText: 'report.pdf' })
    await card.waitFor()
    assert.match(await card.innerText(), /PDF · \d+ B/)
    assert.match(await card.innerText(), /Download/)
    assert.equal(await card.getAttribute('href'), pdf?.attachments[0]?.url)
    assert.equal(await page.locator('conversation-view .upload').count(), 0)
    await screenshot(page, 'console-uploads')

    // The thumbnail opens full size in an overlay; Escape closes it.
    await thumbnail.click()
    const viewer = page.locator('conversation-view dialog.viewer img')
    await viewer.waitFor()
    assert.equal(await viewer.getAttribute('src'), image?.attachments[0]?.url)
    await screenshot(page, 'console-viewer')
    await page.keyboard.press('Escape')
    await viewer.waitFor({ state: 'detached' })

    // A pasted screenshot is sent as a file too.
    const small = await sharp({
      create: { width: 40, height: 30, channels: 3, background: '#cc3366' },
    })
      .png()
      .toBuffer()
    await page.locator('console-composer textarea').evaluate(
      (textarea, bytes) => {
        const data = new DataTransfer()
        data.items.add(new File([new Uint8Array(bytes)], 'image.png', { type: 'image/png' }))
        textarea.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        )
      },
      [...small],
    )
    await waitFor(() => uploads.length === 3, 10_000)
    assert.equal(uploads[2]?.attachments[0]?.fileName, 'image.png')
    await page.close()
  })

  test('a refused file shows the reason inline, and an upload can be cancelled', async () => {
    const { visitor, page } = await openChatOf('Rex Refused')
    const uploads: Message[] = []
    visitor.on('chat.message_received', ({ message }: { message: Message }) => {
      if (message.content.type === 'upload') uploads.push(message)
    })

    // Bytes of no allowed type: the server's 415 shows on the file's row until dismissed.
    await page.setInputFiles('console-composer input[type=file]', {
      name: 'tool.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from([0, 1, 2, 3, 250, 251, 252, 253, 0, 0, 7]),
    })
    const refused = page.locator('conversation-view .upload.failed', { hasText: 'tool.bin' })
    await refused.waitFor()
    assert.match(await refused.innerText(), /Not sent: File type not allowed/)
    await screenshot(page, 'console-refused')
    await refused.locator('button', { hasText: 'Dismiss' }).click()
    await refused.waitFor({ state: 'detached' })

    // An upload held on the way: the row shows progress and Cancel removes it, unsent.
    await page.route('**/upload/**', () => {}) // never answered
    await page.setInputFiles('console-composer input[type=file]', {
      name: 'slow.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    })
    const pending = page.locator('conversation-view .upload', { hasText: 'slow.pdf' })
    await pending.locator('progress').waitFor()
    await screenshot(page, 'console-pending')
    await pending.locator('button', { hasText: 'Cancel' }).click()
    await pending.waitFor({ state: 'detached' })
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.equal(uploads.length, 0)
    await page.unrouteAll({ behavior: 'ignoreErrors' })
    await page.close()
  })

  test('the agent closes a chat; the rating that comes later shows in the list and the chat', async () => {
    const { socket: waiting } = await connectVisitor(server.url, { name: 'Wanda Waiting' })
    await request<Message>(waiting, 'chat.message', { content: { type: 'text', text: 'Anyone?' } })
    const { visitor, page, row } = await openChatOf('Rita Rater')
    const above = async (upper: string, lower: string) =>
      (await placeInList(page, upper)) < (await placeInList(page, lower))
    assert.ok(await above('Rita Rater', 'Wanda Waiting'), 'both waiting: newest first')
    const closed = nextEvent(visitor, 'chat.closed', () => true, 5000)
    await page.click('conversation-view button:has-text("Close chat")')
    await closed
    // Closed a moment ago, it goes below the chat still waiting for an answer.
    await waitFor(() => above('Wanda Waiting', 'Rita Rater'))
    await page.locator('conversation-view .event', { hasText: 'Chat closed' }).waitFor()
    await page.locator('conversation-view .meta', { hasText: 'Closed' }).waitFor()
    assert.equal(await page.locator('conversation-view button:has-text("Close chat")').count(), 0)
    assert.ok(await page.locator('console-composer textarea').isDisabled())
    assert.ok(await page.locator('console-composer button.attach').isDisabled())

    // The visitor rates the closed chat afterwards.
    const { message: form } = await request<{ message: Message }>(visitor, 'chat.rate_init', null)
    await request(visitor, 'chat.rate', {
      messageId: form.id,
      value: 4,
      text: 'Quick <b>help</b>, thanks',
    })
    await row.locator('.rating', { hasText: '★ 4' }).waitFor()
    assert.match((await row.getAttribute('aria-label')) ?? '', /rated 4 of 5/)
    const card = page.locator('conversation-view .rating-card')
    await card.waitFor()
    assert.equal(await card.locator('.stars').innerText(), '★★★★☆')
    assert.match(await card.innerText(), /4 of 5/)
    assert.equal(await card.locator('.comment').innerText(), '“Quick <b>help</b>, thanks”')
    await page.locator('conversation-view .rating-chip', { hasText: '★ 4/5' }).waitFor()
    await screenshot(page, 'console-rating')
    await page.close()
  })

  test('a reply over the server’s length limit is marked and kept, not sent', async () => {
    const { page } = await openChatOf('Lena Long')
    const field = page.locator('console-composer textarea')
    const send = page.locator('console-composer button[type=submit]')
    await field.fill('y'.repeat(10_001))
    const counter = page.locator('console-composer #counter')
    await counter.filter({ hasText: 'Too long to send' }).waitFor()
    assert.match((await counter.innerText()).replace(/\s+/g, ' '), /10,001 \/ 10,000/)
    assert.equal(await field.getAttribute('aria-invalid'), 'true')
    assert.ok(await send.isDisabled())
    await field.press('Enter')
    assert.equal((await field.inputValue()).length, 10_001, 'the text stays')
    // One character less, and it goes.
    await field.press('End')
    await field.press('Backspace')
    await field.press('Enter')
    await page.locator('conversation-view .bubble', { hasText: 'yyyyyyyyyy' }).waitFor()
    assert.equal(await field.inputValue(), '')
    assert.equal(await counter.count(), 0)
    await page.close()
  })

  test('a line in Arabic reads right to left in the list and the conversation', async () => {
    const { visitor, page, row } = await openChatOf('Amal Arabic')
    await request<Message>(visitor, 'chat.message', {
      content: { type: 'text', text: 'هل تشحنون إلى كندا؟' },
    })
    const bubble = page.locator('conversation-view .bubble span', { hasText: 'كندا' })
    await bubble.waitFor()
    assert.equal(await bubble.evaluate((node) => getComputedStyle(node).direction), 'rtl')
    const preview = row.locator('.preview')
    await preview.filter({ hasText: 'كندا' }).waitFor()
    assert.equal(await preview.evaluate((node) => getComputedStyle(node).direction), 'rtl')
    await page.close()
  })

  test('a chat nobody has joined yet lists above the conversations going on', async () => {
    const { socket: petra } = await connectVisitor(server.url, { name: 'Petra Pending' })
    await request<Message>(petra, 'chat.message', { content: { type: 'text', text: 'Hello?' } })
    const { page } = await openChatOf('Otto Open')
    await page.click('conversation-view button:has-text("Join")')
    await page.fill('console-composer textarea', 'Hi Otto')
    await page.press('console-composer textarea', 'Enter')
    await page.locator('conversation-view .bubble', { hasText: 'Hi Otto' }).waitFor()
    // Otto's chat is the most recent, but Petra still waits for anybody.
    await waitFor(
      async () =>
        (await placeInList(page, 'Petra Pending')) < (await placeInList(page, 'Otto Open')),
    )
    await page.close()
  })

  test('an offline message is flagged in the list and labelled with a way to reply by email', async () => {
    const { page, row } = await openChatOf('Olga Offline', {
      email: 'olga@example.com',
      isOffline: true,
    })
    await row.locator('.offline', { hasText: 'Offline message' }).waitFor()
    await page
      .locator('conversation-view .offline-label', { hasText: 'Left while you were offline' })
      .waitFor()
    const note = page.locator('conversation-view .offline-note')
    assert.match(await note.innerText(), /Olga Offline left a message while you were offline/)
    assert.equal(
      await note.locator('a', { hasText: 'olga@example.com' }).getAttribute('href'),
      'mailto:olga@example.com',
    )
    await screenshot(page, 'console-offline')
    await page.close()
  })
  test('the status switch takes the agent online and offline, and visitors hear each change', async () => {
    const { socket: visitor } = await connectVisitor(server.url, { name: 'Watching Walt' })
    const page = await openConsole()
    const toggle = page.locator('console-app button.status')
    for (let round = 0; round < 2; round++) {
      const wanted = (await toggle.getAttribute('aria-checked')) === 'true' ? 'offline' : 'online'
      const heard = nextEvent<{ status: string }>(
        visitor,
        'account.updated',
        ({ status }) => status === wanted,
        5000,
      )
      await toggle.click()
      await heard
      assert.equal(await toggle.getAttribute('aria-checked'), String(wanted === 'online'))
      assert.equal((await toggle.textContent())?.trim(), wanted === 'online' ? 'Online' : 'Offline')
    }
    await page.close()
  })

  test('after losing its connection, the console catches up: each message once, in order', async () => {
    const { visitor, page } = await openChatOf('Reconnecting Rita')
    await page
      .locator('conversation-view .bubble', { hasText: 'Hello from Reconnecting Rita' })
      .waitFor()

    await page.context().setOffline(true)
    await page.locator('console-app .banner', { hasText: 'Reconnecting' }).waitFor()
    const away = ['While you were away 1', 'While you were away 2', 'While you were away 3']
    for (const text of away) {
      await request<Message>(visitor, 'chat.message', { content: { type: 'text', text } })
    }
    await page.context().setOffline(false)
    await page.locator('console-app .banner').waitFor({ state: 'detached', timeout: 20_000 })
    await page.locator('conversation-view .bubble', { hasText: away[2]! }).waitFor()
    // A live copy arriving after the catch-up would show by now.
    await page.waitForTimeout(500)

    const texts = await page
      .locator('conversation-view .bubble')
      .evaluateAll((nodes) => nodes.map((node) => node.textContent?.trim() ?? ''))
    const said = texts.filter((text) =>
      /Hello from Reconnecting Rita|While you were away/.test(text),
    )
    assert.deepEqual(
      said.map((text) => /Hello from Reconnecting Rita|While you were away \d/.exec(text)?.[0]),
      ['Hello from Reconnecting Rita', ...away],
    )
    await page.close()
  })

  test('the header shows the page the visitor is on, as text with a safe link, live', async () => {
    const { socket: visitor } = await connectVisitor(server.url, {
      name: 'Paula Page',
      pageUrl: 'https://shop.example/',
      pageTitle: 'Shop',
    })
    await request<Message>(visitor, 'chat.message', { content: { type: 'text', text: 'Hi' } })
    const page = await openConsole()
    await chatRow(page, 'Paula Page').click()
    const now = page.locator('conversation-view .page')
    await now.locator('a', { hasText: 'Shop' }).waitFor()
    assert.match(await now.innerText(), /Now on:\s*Shop/)
    // A single-page app navigates: the header follows without a reload.
    visitor.emit('visitor.update', {
      values: {
        pageUrl: 'https://shop.example/cart?step=2',
        pageTitle: '<img src=x onerror=alert(1)> Cart',
      },
    })
    const link = now.locator('a', { hasText: '<img src=x onerror=alert(1)> Cart' })
    await link.waitFor()
    assert.equal(await link.getAttribute('href'), 'https://shop.example/cart?step=2')
    assert.equal(await link.getAttribute('target'), '_blank')
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer')
    assert.equal(await now.locator('img').count(), 0, 'the title is text, not markup')
    await screenshot(page, 'console-page')
    await page.close()
  })
})

/** A minimal valid PDF: one empty page. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n' +
    '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n' +
    'trailer<</Root 1 0 R>>\n%%EOF\n',
)

/** Drops files on the open conversation as a drag from the desktop would. */
async function dropFiles(
  page: Page,
  files: Array<{ name: string; type: string; bytes: number[] }>,
) {
  await page.locator('conversation-view').evaluate((view, files) => {
    const data = new DataTransfer()
    for (const file of files) {
      data.items.add(new File([new Uint8Array(file.bytes)], file.name, { type: file.type }))
    }
    const init = { dataTransfer: data, bubbles: true, cancelable: true, composed: true }
    view.dispatchEvent(new DragEvent('dragenter', init))
    view.dispatchEvent(new DragEvent('dragover', init))
    view.dispatchEvent(new DragEvent('drop', init))
  }, files)
}

/** Saves a screenshot under $SCREENSHOT_DIR, when set. */
async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SCREENSHOT_DIR
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`) })
}
