/**
 * A corpus of XSS payloads through every path that puts chat data on screen in `<chat-widget>`:
 * visitor messages, agent messages, file names (real uploads), attachment addresses (rewritten
 * in the socket frames, as a hostile server would send them), the agent's nickname, full name
 * and avatar (set in the server's storage), and the greeting and title attributes.
 *
 * Every payload sets `window.__xss` if it ever runs. After each path: the flag is unset, no
 * `javascript:`, `data:` or `vbscript:` address is in any `href`/`src`/… of the widget's shadow
 * DOM (all shadow roots walked), no element there has an `on…` attribute or is a script, frame
 * or the like, every link opens in a new tab with `rel="noopener noreferrer"`, and every
 * payload's text is shown literally.
 *
 *   node --import tsx --test test/e2e/xss.e2e.test.ts
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import sharp from 'sharp'
import type { Socket } from 'socket.io-client'
import type { Attachment, Message } from '../../src/protocol.ts'
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

/** Sets the flag in whichever window it runs (an iframe's too). */
const RUN = 'top.__xss=1'

/** Payloads sent as message texts (by the visitor, then by the agent). */
const PAYLOADS = [
  `<script>${RUN}</script>`,
  `<img src=x onerror="${RUN}">`,
  `<img src="x" onerror=${RUN} />`,
  `<svg onload=${RUN}>`,
  `<svg><script>${RUN}</script></svg>`,
  `<svg><animate onbegin=${RUN} attributeName=x dur=1s>`,
  `<iframe srcdoc="<script>${RUN}</script>"></iframe>`,
  `<iframe src="javascript:${RUN}"></iframe>`,
  `<body onload=${RUN}>`,
  `<div onmouseover="${RUN}" style="position:fixed;inset:0">hover me</div>`,
  `<details open ontoggle=${RUN}>`,
  `<input autofocus onfocus=${RUN}>`,
  `<video><source onerror=${RUN}></video>`,
  `<object data="javascript:${RUN}"></object>`,
  `<embed src="data:text/html,<script>${RUN}</script>">`,
  `<form action="javascript:${RUN}"><button>go</button></form>`,
  `<a href="javascript:${RUN}">click</a>`,
  `<meta http-equiv="refresh" content="0;url=javascript:${RUN}">`,
  `<style>@import "javascript:${RUN}"</style>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${RUN}>`,
  `"><img src=x onerror=${RUN}>`,
  `'><svg/onload=${RUN}>`,
  `javascript:${RUN}`,
  `JaVaScRiPt:${RUN}`,
  `java\tscript:${RUN}`,
  `&#106;avascript:${RUN}`,
  `jav&#x09;ascript:${RUN}`,
  `javascript&colon;${RUN}`,
  `data:text/html;base64,PHNjcmlwdD50b3AuX194c3M9MTwvc2NyaXB0Pg==`,
  `data:text/html,<script>${RUN}</script>`,
  'vbscript:msgbox(1)',
  `see https://example.com/"onmouseover="${RUN}" now`,
  `www.example.com/<script>${RUN}</script>`,
  `mailto:a@example.com?body=<script>${RUN}</script>`,
  `ada@example.com"><img src=x onerror=${RUN}>`,
  `{{constructor.constructor('${RUN}')()}}`,
  `\${${RUN}}`,
  `\u202e<img src=x onerror=${RUN}>`,
]

/**
 * File names of real uploads. Not `/` or `\` (the server keeps a name's last path segment) and
 * not `"` (browsers send it as `%22` in multipart form data).
 */
const FILE_NAMES = [
  `<img src=x onerror=${RUN}>.pdf`,
  `'><svg onload=${RUN}>.png`,
  `<script src=x onerror=${RUN}>.txt`,
  `javascript:${RUN}.pdf`,
]

/** The agent's profile, as a compromised console could save it. */
const NICKNAME = `<img src=x onerror=${RUN}>Nick`
const FULLNAME = `<svg onload=${RUN}>Full "name"`
const GREETING = `<iframe srcdoc="<script>${RUN}</script>"></iframe>Hello!`
const TITLE = `</title><script>${RUN}</script>"><img src=x onerror=${RUN}>`

/** An agent text whose frames get the hostile attachments below on their way to the widget. */
const INJECT = 'INJECT-ATTACHMENTS'
const file = (overrides: Partial<Attachment>): Attachment => ({
  type: 'file',
  fileName: 'file.pdf',
  fileType: 'application/pdf',
  url: '',
  expireAt: '2030-01-01T00:00:00Z',
  size: 1234,
  width: null,
  height: null,
  ...overrides,
})
const thumb = (url: string) => ({ url, expireAt: '2030-01-01T00:00:00Z', width: 40, height: 40 })
const HOSTILE_ATTACHMENTS: Attachment[] = [
  file({
    type: 'image',
    fileName: `<img src=x onerror=${RUN}>.png`,
    url: `javascript:${RUN}`,
    thumb400: thumb(`javascript:${RUN}`),
  }),
  file({
    type: 'image',
    fileName: 'svg-thumb.png',
    url: 'https://files.example.com/a.png',
    thumb400: thumb(`data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="${RUN}"/>`),
  }),
  file({ fileName: `"><svg onload=${RUN}>.pdf`, url: `data:text/html,<script>${RUN}</script>` }),
  file({ fileName: 'vb.pdf', url: 'vbscript:msgbox(1)' }),
  file({ fileName: 'spaced.pdf', url: ` \tJaVa\nScRiPt:${RUN}` }),
  file({
    type: 'image',
    fileName: 'ctl.png',
    url: `\u0001javascript:${RUN}`,
    thumb400: thumb(`\u0001javascript:${RUN}`),
  }),
]

/**
 * Rewrites Socket.IO frames from the server: an agent message whose text is INJECT gets the
 * hostile attachments (in events and in acks such as history pages).
 */
function injectAttachments(frame: string): string {
  if (!frame.includes(INJECT)) return frame
  const match = /^(4[23])(\/[^,]*,)?(\d*)(.*)$/s.exec(frame)
  if (!match) return frame
  const [, type, namespace = '', ackId, json] = match
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite)
    if (!value || typeof value !== 'object') return value
    const object = Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, rewrite(inner)]),
    ) as Record<string, unknown>
    const content = object.content as { text?: unknown } | undefined
    if (content?.text === INJECT) object.attachments = HOSTILE_ATTACHMENTS
    return object
  }
  return `${type}${namespace}${ackId}${JSON.stringify(rewrite(JSON.parse(json!)))}`
}

interface Findings {
  flag: unknown
  problems: string[]
  contact: string[]
  agent: string[]
  names: string[]
  fileNames: string[]
  greeting: string | null
  title: string | null
}

/**
 * Walks every shadow root of the widget and reports what is unsafe, and the texts shown. A
 * string, not a function: the test runner's transform would add helpers the page does not have.
 */
const INSPECT = `(() => {
  const roots = []
  const visit = (root) => {
    roots.push(root)
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot)
  }
  visit(document.querySelector('chat-widget').shadowRoot)
  const all = (selector) => roots.flatMap((root) => [...root.querySelectorAll(selector)])
  const problems = []
  const urlAttributes = ['href', 'src', 'srcset', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'ping']
  for (const el of all('*')) {
    for (const { name, value } of el.attributes) {
      if (name.startsWith('on')) problems.push('<' + el.localName + ' ' + name + '>')
      if (name === 'srcdoc') problems.push('<' + el.localName + ' srcdoc>')
      const plain = value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase()
      if (urlAttributes.includes(name) && /^(javascript|data|vbscript):/.test(plain))
        problems.push('<' + el.localName + ' ' + name + '="' + value + '">')
    }
  }
  for (const el of all('script, iframe, frame, object, embed, base, meta, link, form[action], style, math'))
    problems.push('element <' + el.localName + '>')
  for (const a of all('a[href]')) {
    const rel = a.rel.split(/\\s+/)
    if (a.target !== '_blank' || !rel.includes('noopener') || !rel.includes('noreferrer'))
      problems.push('link without target/rel: ' + a.getAttribute('href'))
  }
  const shown = (el) => el.checkVisibility() || el.closest('[part~="message-list"]') !== null
  const texts = (selector) => all(selector).filter(shown).map((el) => el.textContent)
  return {
    flag: window.__xss,
    problems,
    contact: texts('[part~="message-contact"] .text'),
    agent: texts('[part~="message-agent"] .text'),
    names: texts('[part~="sender"] .name'),
    fileNames: texts('.file-name'),
    greeting: all('[part~="greeting"]')[0]?.textContent ?? null,
    title: all('[part~="title"]')[0]?.textContent ?? null,
  }
})()`

describe('<chat-widget> against an XSS corpus', { skip: skipWithoutBrowser }, () => {
  let server: TestServer
  let browser: Browser
  let agent: Socket
  let context: BrowserContext
  let page: Page
  let chatId: string

  before(async () => {
    server = await startProductServer()
    browser = await launchBrowser()
    const storage = server.server.storage
    const [demoAgent] = await storage.listAgents()
    assert.ok(demoAgent)
    await storage.saveAgent({
      ...demoAgent,
      nickname: NICKNAME,
      fullname: FULLNAME,
      avatar: `javascript:${RUN}`,
    })
    agent = (await connectAgent(server.url, server.agentToken)).socket
    await request(agent, 'agent.status', { status: 'online' })
    context = await newVisitor(browser)
    page = await openPage(context)
  })

  after(async () => {
    closeSockets()
    await context?.close()
    await browser?.close()
    await server?.close()
  })

  async function openPage(ctx: BrowserContext): Promise<Page> {
    const next = await ctx.newPage()
    await next.routeWebSocket(/\/socket\//, (ws) => {
      const upstream = ws.connectToServer()
      ws.onMessage((message) => upstream.send(message))
      upstream.onMessage((message) =>
        ws.send(typeof message === 'string' ? injectAttachments(message) : message),
      )
    })
    // A payload that runs anywhere in the page (or its frames) is caught by the flag anyway;
    // a dialog would be one too.
    next.on('dialog', (dialog) => {
      void dialog.dismiss()
      assert.fail(`a dialog opened: ${dialog.message()}`)
    })
    await next.goto(`${server.url}/`)
    await next.locator(part('launcher')).waitFor()
    return next
  }

  async function inspect(on: Page = page): Promise<Findings> {
    // Give a late `onerror`/`onload` (a failed image, a frame) the time to run.
    await on.waitForTimeout(300)
    const findings = (await on.evaluate(INSPECT)) as Findings
    assert.equal(findings.flag, undefined, 'a payload ran')
    assert.deepEqual(findings.problems, [])
    return findings
  }

  test('visitor messages are shown as text', async () => {
    await page.click(part('launcher'))
    await page.locator(part('status-badge'), { hasText: 'Online' }).waitFor()
    const received: string[] = []
    agent.on('chat.message_received', ({ message }: { message: Message }) => {
      if (message.content.text) received.push(message.content.text)
      chatId = message.chatId
    })
    for (const payload of PAYLOADS) {
      await page.fill(part('input'), payload)
      await page.press(part('input'), 'Enter')
    }
    await waitUntil(() => received.length >= PAYLOADS.length, 'the agent got every payload')
    assert.deepEqual(received, PAYLOADS)
    const shown = await waitForTexts(page, 'contact', PAYLOADS)
    assert.deepEqual(shown.contact, PAYLOADS)
  })

  test('agent messages, the agent’s name and avatar are shown as text (initials, no image)', async () => {
    assert.ok(chatId, 'the visitor test opened a chat')
    for (const payload of PAYLOADS) {
      await request(agent, 'chat.message', { chatId, content: { type: 'text', text: payload } })
    }
    const shown = await waitForTexts(page, 'agent', PAYLOADS)
    assert.deepEqual(shown.agent, PAYLOADS)
    assert.ok(shown.names.length > 0 && shown.names.every((name) => name === NICKNAME))
    assert.equal(shown.title, NICKNAME, 'the header names the assigned agent')
    // The avatar was a javascript: address: initials instead, in the list and the header.
    assert.equal(await page.locator(`${part('avatar')}:is(img)`).count(), 0)
    assert.ok((await page.locator(part('avatar')).count()) > 0)
  })

  test('file names of real uploads and hostile attachment addresses', async () => {
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    )
    const png = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#888' } })
      .png()
      .toBuffer()
    const uploaded = new Set<string>()
    agent.on('chat.message_received', ({ message }: { message: Message }) => {
      const name = message.content.data?.fileName
      if (message.content.type === 'upload' && name) uploaded.add(name)
    })
    await page.setInputFiles(
      'chat-widget input[type=file]',
      FILE_NAMES.map((name) => ({
        name,
        mimeType: name.endsWith('.png')
          ? 'image/png'
          : name.endsWith('.txt')
            ? 'text/plain'
            : 'application/pdf',
        buffer: name.endsWith('.png')
          ? png
          : name.endsWith('.txt')
            ? Buffer.from('plain text')
            : pdf,
      })),
    )
    await waitUntil(() => uploaded.size >= FILE_NAMES.length, 'every upload reached the agent')
    assert.deepEqual([...uploaded].sort(), [...FILE_NAMES].sort())

    // The agent's message arrives with hostile attachments (rewritten on the wire).
    await request(agent, 'chat.message', { chatId, content: { type: 'text', text: INJECT } })
    await page.locator(part('message-agent'), { hasText: INJECT }).waitFor()
    const shown = await inspect()
    // An uploaded image shows its thumbnail (no file name), the rest a card each.
    const cards = FILE_NAMES.filter((name) => !name.endsWith('.png'))
    for (const name of [...cards, ...HOSTILE_ATTACHMENTS.map((a) => a.fileName)]) {
      assert.ok(shown.fileNames.includes(name), `file name shown literally: ${name}`)
    }
    const image = page.locator(`${part('image-button')}`)
    assert.equal(await image.count(), 1, 'only the real upload has a preview')
    assert.match(
      (await image.getAttribute('aria-label')) ?? '',
      new RegExp(escapeRegExp(FILE_NAMES[1]!)),
    )
    // The real image opens in the lightbox, its name shown as text.
    await image.click()
    await page.locator(part('lightbox-caption'), { hasText: FILE_NAMES[1]! }).waitFor()
    await inspect()
    await page.keyboard.press('Escape')
  })

  test('greeting, title and the agent’s full name are shown as text', async () => {
    const storage = server.server.storage
    const [demoAgent] = await storage.listAgents()
    await storage.saveAgent({ ...demoAgent!, nickname: '' })
    const other = await newVisitor(browser)
    try {
      const fresh = await openPage(other)
      await fresh.evaluate(
        ([greeting, title]) => {
          const widget = document.querySelector('chat-widget')!
          widget.setAttribute('greeting', greeting!)
          widget.setAttribute('title', title!)
        },
        [GREETING, TITLE],
      )
      await fresh.click(part('launcher'))
      await fresh.locator(part('greeting')).waitFor()
      const before = await inspect(fresh)
      assert.equal(before.greeting, GREETING)
      assert.equal(before.title, TITLE)
      assert.equal(await fresh.locator(part('panel')).getAttribute('aria-label'), TITLE)

      const received = nextEvent<{ message: Message }>(
        agent,
        'chat.message_received',
        () => true,
        5000,
      )
      await fresh.fill(part('input'), 'Who is there?')
      await fresh.press(part('input'), 'Enter')
      const { message } = await received
      await request(agent, 'chat.message', {
        chatId: message.chatId,
        content: { type: 'text', text: 'Me.' },
      })
      await fresh.locator(part('message-agent'), { hasText: 'Me.' }).waitFor()
      const after = await inspect(fresh)
      assert.ok(after.names.includes(FULLNAME), 'the full name, literally')
      assert.equal(after.title, FULLNAME)
    } finally {
      await other.close()
    }
  })
})

/** Waits until every one of `expected` is among the shown texts of `side`, then inspects. */
async function waitForTexts(page: Page, side: 'contact' | 'agent', expected: string[]) {
  const deadline = Date.now() + 10_000
  for (;;) {
    const findings = (await page.evaluate(INSPECT)) as Findings
    if (expected.every((text) => findings[side].includes(text)) || Date.now() > deadline) break
    await page.waitForTimeout(100)
  }
  await page.waitForTimeout(300)
  const findings = (await page.evaluate(INSPECT)) as Findings
  assert.equal(findings.flag, undefined, 'a payload ran')
  assert.deepEqual(findings.problems, [])
  return findings
}

async function waitUntil(condition: () => boolean, what: string, ms = 10_000) {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
