/**
 * The widget in headless Chromium (playwright-core), CPU throttled 4× through CDP:
 *
 * - script start → launcher painted, and open → panel interactive (an input in the panel),
 *   median of 5 fresh visitors each, vs a page that only loads lit and renders the same two
 *   things (a launcher button; on click a panel with a textarea);
 * - a 5,000-message chat restored from IndexedDB (seeded through the page in the widget's own
 *   format, `src/store/persistence.ts`) with the panel open: time until the last message is
 *   painted and the JS heap after GC, vs a 50-message chat;
 * - whether a first-time visitor who never interacts opens a WebSocket (`page.on('websocket')`).
 *
 * "Script start" is the `responseEnd` of the script's resource timing; "painted" is the
 * animation frame after the one in which the element was first found.
 */
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { build } from 'esbuild'
import type { Browser, Page } from 'playwright-core'
import type { Message } from '../src/protocol.ts'
import { SAVED_VERSION, type SavedChat } from '../src/store/persistence.ts'
import { launchBrowser, skipWithoutBrowser } from '../test/support/e2e.ts'
import { connectVisitor, request, startTestServer } from '../test/support/server.ts'
import { ensureWidget } from './bundle.ts'
import { addNote, addRow, check, median, ms } from './report.ts'

const root = join(import.meta.dirname, '..')
const RUNS = 5
const RESTORE_RUNS = 3
const THROTTLE = 4
const WS_WAIT_MS = 2000

/** The lit-only baseline: a launcher button and, once clicked, a panel with a textarea. */
const LIT_ENTRY = `
import { LitElement, html, css } from 'lit'
class BenchLauncher extends LitElement {
  static properties = { open: { type: Boolean } }
  static styles = css\`button { position: fixed; right: 20px; bottom: 20px; width: 56px; height: 56px; border-radius: 50% }
    section { position: fixed; right: 20px; bottom: 90px; width: 360px; height: 520px; border: 1px solid #ccc }\`
  render() {
    return html\`<button part="launcher" @click=\${() => { this.open = !this.open }}>Chat</button>
      \${this.open ? html\`<section part="panel"><textarea part="input"></textarea></section>\` : ''}\`
  }
}
customElements.define('bench-launcher', BenchLauncher)
`

/** In the page before anything else: finds parts through shadow roots, waits for a paint. */
const PROBE = `
window.__deep = (selector, from = document) => {
  const found = from.querySelector(selector)
  if (found) return found
  for (const el of from.querySelectorAll('*')) {
    if (el.shadowRoot) {
      const inner = window.__deep(selector, el.shadowRoot)
      if (inner) return inner
    }
  }
  return null
}
window.__painted = (find) => new Promise((resolve) => {
  const tick = () => { if (find()) requestAnimationFrame(() => resolve(performance.now())); else requestAnimationFrame(tick) }
  requestAnimationFrame(tick)
})
window.__launcher = window.__painted(() => window.__deep('[part~="launcher"]'))
`

function page(body: string, script: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>
<script>${PROBE}</script><script type="module" src="${script}"></script></head>
<body><h1>A page</h1><p>Some content.</p>${body}</body></html>`
}

async function servePages(chatServer: string): Promise<{ url: string; server: Server }> {
  const widget = readFileSync(join(root, 'dist/chat-widget.js'))
  const lit = (
    await build({
      stdin: { contents: LIT_ENTRY, resolveDir: root, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
    })
  ).outputFiles[0]!.contents
  const widgetTag = (open: boolean) =>
    `<chat-widget server="${chatServer}" key="demo"${open ? ' open' : ''}></chat-widget>`
  const routes: Record<string, [string, string | Uint8Array]> = {
    '/widget.html': ['text/html', page(widgetTag(false), '/chat-widget.js')],
    '/restore.html': ['text/html', page(widgetTag(true), '/chat-widget.js')],
    '/lit.html': ['text/html', page('<bench-launcher></bench-launcher>', '/lit.js')],
    '/blank.html': ['text/html', '<!doctype html><title>blank</title>'],
    '/chat-widget.js': ['text/javascript', widget],
    '/lit.js': ['text/javascript', lit],
  }
  const server = createServer((req, res) => {
    const route = routes[req.url ?? '']
    if (!route) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': route[0], 'cache-control': 'no-store' }).end(route[1])
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

/** A fresh visitor's page with the CPU throttled; counts the WebSockets it opens. */
async function throttledPage(browser: Browser): Promise<{ page: Page; sockets: () => number }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE })
  let sockets = 0
  page.on('websocket', () => sockets++)
  return { page, sockets: () => sockets }
}

/** Launcher paint and open → input, for one fresh visitor on `url`. */
async function launcherRun(browser: Browser, url: string, script: string) {
  const { page, sockets } = await throttledPage(browser)
  try {
    await page.goto(url)
    const times = await page.evaluate(async (script) => {
      const w = window as unknown as {
        __launcher: Promise<number>
        __deep(selector: string): HTMLElement | null
        __painted(find: () => unknown): Promise<number>
      }
      const painted = await w.__launcher
      const entry = performance
        .getEntriesByType('resource')
        .find((e) => e.name.endsWith(script)) as PerformanceResourceTiming
      return { launcher: painted - entry.responseEnd }
    }, script)
    // A visitor who only looks: did the page open a WebSocket anyway?
    await page.waitForTimeout(WS_WAIT_MS)
    const websockets = sockets()
    const open = await page.evaluate(async () => {
      const w = window as unknown as {
        __deep(selector: string): HTMLElement | null
        __painted(find: () => unknown): Promise<number>
      }
      const started = performance.now()
      w.__deep('[part~="launcher"]')!.click()
      return (await w.__painted(() => w.__deep('[part~="input"]'))) - started
    })
    return { ...times, open, websockets }
  } finally {
    await page.context().close()
  }
}

function messages(count: number, chatId: string, visitorId: string, agentId: string): Message[] {
  const start = Date.now() - count * 60_000
  return Array.from({ length: count }, (_, i) => ({
    id: `bench-${count}-${i}`,
    type: 'message',
    subType: i % 2 ? 'agent' : 'contact',
    channel: { type: 'default', id: null },
    chatId,
    groupId: null,
    visitorId,
    agentId: i % 2 ? agentId : null,
    trigger: null,
    createdAt: new Date(start + i * 60_000).toISOString(),
    content: {
      type: 'text',
      text: `Message ${i}: a line of an old chat, long enough to wrap.`,
      data: null,
    },
    tags: null,
    responseTime: null,
    attachments: [],
    seq: i + 1,
  }))
}

/** Seeds the saved chat through the page's origin, then loads the widget with the panel open. */
async function restoreRun(
  browser: Browser,
  pages: string,
  namespace: string,
  chat: SavedChat,
): Promise<{ render: number; heap: number }> {
  const { page } = await throttledPage(browser)
  try {
    await page.goto(`${pages}/blank.html`)
    await page.evaluate(
      ({ namespace, chat }) =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.open('chat-widget')
          request.onupgradeneeded = () => request.result.createObjectStore('chats')
          request.onerror = () => reject(request.error)
          request.onsuccess = () => {
            const db = request.result
            const tx = db.transaction('chats', 'readwrite')
            tx.objectStore('chats').put(chat, namespace)
            tx.oncomplete = () => {
              db.close()
              resolve()
            }
            tx.onerror = () => reject(tx.error)
          }
        }),
      { namespace, chat },
    )
    const lastId = chat.messages.at(-1)!.id
    await page.goto(`${pages}/restore.html`)
    const render = await page.evaluate(async (lastId) => {
      const w = window as unknown as { __painted(find: () => unknown): Promise<number> }
      const painted = await w.__painted(() =>
        document
          .querySelector('chat-widget')
          ?.shadowRoot?.querySelector('chat-widget-message-list')
          ?.shadowRoot?.querySelector(`[data-id="${lastId}"]`),
      )
      const entry = performance
        .getEntriesByType('resource')
        .find((e) => e.name.endsWith('/chat-widget.js')) as PerformanceResourceTiming
      return painted - entry.responseEnd
    }, lastId)
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('HeapProfiler.collectGarbage')
    const { usedSize } = await cdp.send('Runtime.getHeapUsage')
    return { render, heap: usedSize }
  } finally {
    await page.context().close()
  }
}

export async function runPaint(): Promise<void> {
  if (skipWithoutBrowser) {
    addRow({
      part: 'paint',
      what: skipWithoutBrowser,
      value: '—',
      baseline: '—',
      ratio: null,
      target: '',
      status: 'skip',
    })
    return
  }
  ensureWidget()
  const chat = await startTestServer()
  const { url: pages, server: pageServer } = await servePages(chat.url)
  const browser = await launchBrowser()
  try {
    const ours = []
    const lit = []
    for (let i = 0; i < RUNS; i++) {
      lit.push(await launcherRun(browser, `${pages}/lit.html`, '/lit.js'))
      ours.push(await launcherRun(browser, `${pages}/widget.html`, '/chat-widget.js'))
    }
    const launcher = median(ours.map((r) => r.launcher))
    const litLauncher = median(lit.map((r) => r.launcher))
    addRow({
      part: 'paint',
      what: 'script start → launcher painted',
      value: ms(launcher),
      baseline: `lit only ${ms(litLauncher)}`,
      ratio: launcher / litLauncher,
      target: '≤ 50 ms',
      status: check(launcher, 50),
    })
    const open = median(ours.map((r) => r.open))
    const litOpen = median(lit.map((r) => r.open))
    addRow({
      part: 'paint',
      what: 'open → panel interactive',
      value: ms(open),
      baseline: `lit only ${ms(litOpen)}`,
      ratio: open / litOpen,
      target: '≤ 100 ms',
      status: check(open, 100),
    })
    const websockets = Math.max(...ours.map((r) => r.websockets))
    addRow({
      part: 'connections',
      what: 'WebSockets of a visitor who never interacts',
      value: String(websockets),
      baseline: `lit only ${Math.max(...lit.map((r) => r.websockets))}`,
      ratio: null,
      target: '0',
      status: check(websockets, 0),
    })

    // A real visitor and chat, so the server knows the ids the saved chat names.
    const { socket, data } = await connectVisitor(chat.url)
    const first = await request<Message>(socket, 'chat.message', {
      content: { type: 'text', text: 'hello' },
    })
    socket.close()
    const saved = (count: number): SavedChat => ({
      version: SAVED_VERSION,
      visitorId: data.visitor.id,
      chatId: first.chatId,
      messages: messages(count, first.chatId, data.visitor.id, 'agent'),
      visitorReadAt: new Date().toISOString(),
      agentReadAt: null,
      hasMore: false,
    })
    const namespace = `${chat.url}#demo`
    const big = []
    const small = []
    for (let i = 0; i < RESTORE_RUNS; i++) {
      small.push(await restoreRun(browser, pages, namespace, saved(50)))
      big.push(await restoreRun(browser, pages, namespace, saved(5000)))
    }
    const render = median(big.map((r) => r.render))
    const smallRender = median(small.map((r) => r.render))
    addRow({
      part: 'restore',
      what: '5,000 saved messages → last one painted',
      value: ms(render),
      baseline: `50 msgs ${ms(smallRender)}`,
      ratio: render / smallRender,
      target: '≤ 100 ms',
      status: check(render, 100),
    })
    const heap = median(big.map((r) => r.heap))
    const smallHeap = median(small.map((r) => r.heap))
    addRow({
      part: 'restore',
      what: 'JS heap after GC, 5,000 messages',
      value: `${(heap / 2 ** 20).toFixed(1)} MB`,
      baseline: `50 msgs ${(smallHeap / 2 ** 20).toFixed(1)} MB`,
      ratio: heap / smallHeap,
      target: '≤ 2× 50 msgs',
      status: check(heap / smallHeap, 2),
    })
    addNote(
      `paint: headless Chromium, CPU ${THROTTLE}× slower (CDP Emulation.setCPUThrottlingRate), median of ${RUNS} fresh visitors (restore: ${RESTORE_RUNS}); times from the script's responseEnd, so they include parsing and running it; the list is not virtualized yet`,
    )
  } finally {
    await browser.close()
    await new Promise((resolve) => pageServer.close(resolve))
    await chat.close()
  }
}
