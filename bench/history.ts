/**
 * A long chat restored from IndexedDB, in headless Chromium (playwright-core) with the CPU
 * throttled 4× through CDP: 50 vs 5,000 saved messages (seeded through the page in the widget's
 * own records, `chatRecords` of `src/store/persistence.ts`: a long chat's newest messages in its
 * own record, the rest in parts), the widget loaded with its panel open.
 *
 * - saved chat read → newest message painted: from the `success` of the IndexedDB read of the
 *   saved chat (an init script listens to `IDBObjectStore.get` of its key) to the task right
 *   after the frame in which the newest message's bubble was first found (that frame painted
 *   it); also from the widget script's `responseEnd` (which adds parsing and starting the widget);
 * - the JS heap after GC, once the chat has connected and settled;
 * - the elements in the message list's shadow root, at the bottom and after scrolling up;
 * - scrolling: 80 wheel steps of 400 px up from the bottom, one per frame, recording every
 *   frame's length (rAF to rAF): frames over 16.7 ms and over 50 ms, and the longest; then
 *   `scrollTop = 0` once per frame until the oldest message is in the list, frames and time
 *   (capped; in the first run of each size only: it checks that the oldest can be reached, and
 *   takes 15–30 s a run);
 * - a returning visitor's open: the page loads with the panel closed and a chat of 50 saved and
 *   in progress (so it connects at once and prepares the open in idle moments); a second after
 *   it connected, a click on the launcher, until the newest message and the text field painted.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { Message } from '../src/protocol.ts'
import { chatRecords, SAVED_VERSION, type SavedChat } from '../src/store/persistence.ts'
import { launchBrowser, skipWithoutBrowser } from '../test/support/e2e.ts'
import { connectAgent, connectVisitor, request, startTestServer } from '../test/support/server.ts'
import { ensureWidget } from './bundle.ts'
import { addNote, addRow, check, median, ms } from './report.ts'

const root = join(import.meta.dirname, '..')
/** The build to load (`BENCH_DIST=/elsewhere` compares another one). */
const dist = process.env.BENCH_DIST ?? join(root, 'dist')
const RUNS = 3
const THROTTLE = 4
const SMALL = 50
const BIG = 5000
const WHEEL_STEPS = 80
const WHEEL_PX = 400
/** Frames of `scrollTop = 0` allowed to reach the oldest message. */
const TOP_STEPS = 1000
/** A returning visitor's page: connected, then this long without input before the click. */
const RETURNING_QUIET_MS = 1000
const RETURNING_RUNS = 5
/** Time for the widget to connect and settle before the heap is measured. */
const SETTLE_MS = 1500

/** In the page before anything else: finds parts through shadow roots, times the saved read. */
const PROBE = `
// The message list, looked up directly each frame (a search of every shadow root would cost
// the page more, the more it holds).
window.__list = () =>
  document.querySelector('chat-widget')?.shadowRoot?.querySelector('chat-widget-message-list')
// Checked in each frame's animation callbacks; once found, that frame paints it, and a task
// queued then runs right after the paint (user-blocking: before the page's own queued tasks).
const afterFrame = (task) => window.scheduler?.postTask ? scheduler.postTask(task, { priority: 'user-blocking' }) : setTimeout(task)
window.__painted = (find) => new Promise((resolve) => {
  const tick = () => { if (find()) afterFrame(() => resolve(performance.now())); else requestAnimationFrame(tick) }
  requestAnimationFrame(tick)
})
const get = IDBObjectStore.prototype.get
IDBObjectStore.prototype.get = function (key) {
  const request = get.call(this, key)
  if (key === window.__savedKey) request.addEventListener('success', () => { window.__savedRead ??= performance.now() })
  return request
}
`

function page(body: string, namespace: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>
<script>window.__savedKey = ${JSON.stringify(namespace)};${PROBE}</script>
<script type="module" src="/chat-widget.js"></script></head>
<body><h1>A page</h1><p>Some content.</p>${body}</body></html>`
}

const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css' }

/** The restore page, and every file of dist/ (the widget and whatever chunks it loads). */
async function servePages(chatServer: string, namespace: string) {
  const restore = page(
    `<chat-widget server="${chatServer}" key="demo" open></chat-widget>`,
    namespace,
  )
  const returning = page(`<chat-widget server="${chatServer}" key="demo"></chat-widget>`, namespace)
  const bodies: Record<string, string> = {
    '/restore.html': restore,
    '/returning.html': returning,
    '/blank.html': '<!doctype html><title>blank</title>',
  }
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    const body = bodies[path]
    if (body) return void res.writeHead(200, { 'content-type': 'text/html' }).end(body)
    const file = normalize(join(dist, path))
    if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) {
      return void res.writeHead(404).end()
    }
    const type = types[extname(file)] ?? 'application/octet-stream'
    res
      .writeHead(200, { 'content-type': type, 'cache-control': 'no-store' })
      .end(readFileSync(file))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

/**
 * `count` messages, oldest first, all before `before` (the server's one message, so a reconnect
 * keeps them as older history). Three messages a side, then the other side's turn.
 */
function messages(count: number, chatId: string, visitorId: string, before: string): Message[] {
  const start = Date.parse(before) - (count + 1) * 60_000
  return Array.from({ length: count }, (_, i) => {
    const agent = Math.floor(i / 3) % 2 === 1
    return {
      id: `bench-${count}-${i}`,
      type: 'message',
      subType: agent ? 'agent' : 'contact',
      channel: { type: 'default', id: null },
      chatId,
      groupId: null,
      visitorId,
      agentId: agent ? 'agent' : null,
      trigger: null,
      createdAt: new Date(start + i * 60_000).toISOString(),
      content: {
        type: 'text',
        text: `Message ${i}: a line of an old chat, long enough to wrap${i % 4 ? '.' : ' onto a second line in the panel, like many do.'}`,
        data: null,
      },
      tags: null,
      responseTime: null,
      attachments: [],
    }
  })
}

interface RunResult {
  /** Saved chat read → newest painted. */
  render: number
  /** Script responseEnd → newest painted. */
  fromScript: number
  heap: number
  nodesBottom: number
  nodesAfter: number
  frames: number
  over16: number
  over50: number
  longest: number
  /**
   * Frames of `scrollTop = 0` until the oldest message was in the list, and how long they took;
   * null: not reached.
   */
  top: { frames: number; ms: number } | null
}

async function throttledPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE })
  return page
}

const LIST = `window.__list()`

/** Saves `chat` in the page's IndexedDB as the widget does, and marks it as in progress. */
async function seedSavedChat(page: Page, pages: string, namespace: string, chat: SavedChat) {
  await page.goto(`${pages}/blank.html`)
  await page.evaluate(
    (records) =>
      new Promise<void>((resolve, reject) => {
        // The mark the widget keeps beside a chat in progress (it connects at once).
        localStorage.setItem('chat-widget:chat:demo', 'yes')
        const request = indexedDB.open('chat-widget')
        request.onupgradeneeded = () => request.result.createObjectStore('chats')
        request.onerror = () => reject(request.error)
        request.onsuccess = () => {
          const db = request.result
          const tx = db.transaction('chats', 'readwrite')
          for (const [key, value] of records) tx.objectStore('chats').put(value, key)
          tx.oncomplete = () => {
            db.close()
            resolve()
          }
          tx.onerror = () => reject(tx.error)
        }
      }),
    // As the widget saves it: a long chat's newest in its record, the rest in parts.
    chatRecords(namespace, chat),
  )
}

async function restoreRun(
  browser: Browser,
  pages: string,
  namespace: string,
  chat: SavedChat,
  toTop: boolean,
): Promise<RunResult> {
  const page = await throttledPage(browser)
  try {
    await seedSavedChat(page, pages, namespace, chat)
    const lastId = chat.messages.at(-1)!.id
    // `BENCH_PROFILE=/some/dir`: a CPU profile of the page from load to the newest painted.
    const profiler = process.env.BENCH_PROFILE ? await page.context().newCDPSession(page) : null
    if (profiler) {
      await profiler.send('Profiler.enable')
      await profiler.send('Profiler.start')
    }
    await page.goto(`${pages}/restore.html`)
    const times = await page.evaluate(async (lastId) => {
      const w = window as unknown as {
        __painted(find: () => unknown): Promise<number>
        __list(): Element | null
        __savedRead?: number
      }
      const painted = await w.__painted(() =>
        w.__list()?.shadowRoot?.querySelector(`[data-id="${lastId}"]`),
      )
      const entry = performance
        .getEntriesByType('resource')
        .find((e) => e.name.endsWith('/chat-widget.js')) as PerformanceResourceTiming
      return {
        render: painted - (w.__savedRead ?? Number.NaN),
        fromScript: painted - entry.responseEnd,
      }
    }, lastId)
    if (profiler) {
      const { profile } = await profiler.send('Profiler.stop')
      const dir = process.env.BENCH_PROFILE!
      mkdirSync(dir, { recursive: true })
      writeFileSync(
        join(dir, `history-${chat.messages.length}-${Date.now()}.cpuprofile`),
        JSON.stringify(profile),
      )
    }
    await page.waitForTimeout(SETTLE_MS)
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('HeapProfiler.collectGarbage')
    const { usedSize } = await cdp.send('Runtime.getHeapUsage')
    const count = () =>
      page.evaluate(`${LIST}.shadowRoot.querySelectorAll('*').length`) as Promise<number>
    const nodesBottom = await count()

    // Wheel up from the bottom over the list, one step a frame, timing every frame.
    const box = await page.evaluate(`(() => {
      const r = ${LIST}.getBoundingClientRect()
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 }
    })()`)
    const { x, y } = box as { x: number; y: number }
    await page.mouse.move(x, y)
    await page.evaluate(`(() => {
      window.__frames = []
      let last = performance.now()
      const tick = (now) => { window.__frames.push(now - last); last = now; if (window.__recording) requestAnimationFrame(tick) }
      window.__recording = true
      requestAnimationFrame(tick)
    })()`)
    for (let i = 0; i < WHEEL_STEPS; i++) {
      await page.mouse.wheel(0, -WHEEL_PX)
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(resolve))')
    }
    await page.waitForTimeout(300)
    const frames = (await page.evaluate(
      '(() => { window.__recording = false; return window.__frames.slice(1) })()',
    )) as number[]

    // Then to the very top, the way a visitor dragging the scrollbar up would get there.
    const firstId = chat.messages[0]!.id
    const top = !toTop
      ? null
      : ((await page.evaluate(
          `(async () => {
        const list = ${LIST}
        const scroller = list.shadowRoot.querySelector('[part~="message-list"]')
        const start = performance.now()
        for (let i = 1; i <= ${TOP_STEPS}; i++) {
          scroller.scrollTop = 0
          await new Promise((resolve) => requestAnimationFrame(resolve))
          if (list.shadowRoot.querySelector('[data-id="${firstId}"]') && scroller.scrollTop === 0)
            return { frames: i, ms: performance.now() - start }
        }
        return null
      })()`,
        )) as RunResult['top'])
    const nodesAfter = await count()
    return {
      ...times,
      heap: usedSize,
      nodesBottom,
      nodesAfter,
      frames: frames.length,
      over16: frames.filter((f) => f > 1000 / 60 + 1).length,
      over50: frames.filter((f) => f > 50).length,
      longest: Math.max(...frames),
      top,
    }
  } finally {
    await page.context().close()
  }
}

/**
 * A returning visitor's open: the page loads with the panel closed and a chat in progress saved
 * (it connects at once); once connected and quiet, a click on the launcher, timed until the
 * newest message and the text field have painted.
 */
async function returningOpenRun(
  browser: Browser,
  pages: string,
  namespace: string,
  chat: SavedChat,
): Promise<number> {
  const page = await throttledPage(browser)
  try {
    await seedSavedChat(page, pages, namespace, chat)
    await page.goto(`${pages}/returning.html`)
    return await page.evaluate(
      async ({ lastId, quietMs }) => {
        const w = window as unknown as {
          __painted(find: () => unknown): Promise<number>
          __list(): Element | null
        }
        const widget = document.querySelector('chat-widget') as HTMLElement & {
          client?: { isInitialized(): boolean }
        }
        while (!widget.client?.isInitialized()) {
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
        await new Promise((resolve) => setTimeout(resolve, quietMs))
        const launcher = widget.shadowRoot
          ?.querySelector('chat-widget-launcher')
          ?.shadowRoot?.querySelector<HTMLElement>('[part~="launcher"]')
        const started = performance.now()
        launcher!.click()
        const painted = await w.__painted(
          () =>
            w.__list()?.shadowRoot?.querySelector(`[data-id="${lastId}"]`) &&
            widget.shadowRoot
              ?.querySelector('chat-widget-composer')
              ?.shadowRoot?.querySelector('[part~="input"]'),
        )
        return painted - started
      },
      { lastId: chat.messages.at(-1)!.id, quietMs: RETURNING_QUIET_MS },
    )
  } finally {
    await page.context().close()
  }
}

export async function runHistory(): Promise<void> {
  if (skipWithoutBrowser) {
    addRow({
      part: 'history',
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
  const namespace = `${chat.url}#demo`
  const { url: pages, server: pageServer } = await servePages(chat.url, namespace)
  const browser = await launchBrowser()
  // An agent online, so the panel shows the conversation and the composer (not the offline form).
  const { socket: agent } = await connectAgent(chat.url, chat.agentToken)
  await request(agent, 'agent.status', { status: 'online' })
  try {
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
      // The newest is the server's own message: a reconnect finds it, so keeps the rest.
      messages: [...messages(count - 1, first.chatId, data.visitor.id, first.createdAt), first],
      visitorReadAt: new Date().toISOString(),
      agentReadAt: null,
      hasMore: false,
    })
    const small: RunResult[] = []
    const big: RunResult[] = []
    for (let i = 0; i < RUNS; i++) {
      small.push(await restoreRun(browser, pages, namespace, saved(SMALL), i === 0))
      big.push(await restoreRun(browser, pages, namespace, saved(BIG), i === 0))
      const [s, b] = [small.at(-1)!, big.at(-1)!]
      console.log(`   run ${i + 1}: 50 ${JSON.stringify(s)}\n          5,000 ${JSON.stringify(b)}`)
    }
    const returning: number[] = []
    for (let i = 0; i < RETURNING_RUNS; i++) {
      returning.push(await returningOpenRun(browser, pages, namespace, saved(SMALL)))
    }
    console.log(`   returning visitor's opens: ${returning.map((t) => t.toFixed(1)).join(', ')} ms`)
    const of = (runs: RunResult[], key: keyof RunResult) => median(runs.map((r) => Number(r[key])))
    const render = of(big, 'render')
    addRow({
      part: 'history',
      what: '5,000 saved msgs: saved chat read → newest painted',
      value: ms(render),
      baseline: `50 msgs ${ms(of(small, 'render'))}`,
      ratio: render / of(small, 'render'),
      target: '≤ 100 ms',
      status: check(render, 100),
    })
    const fromScript = of(big, 'fromScript')
    addRow({
      part: 'history',
      what: '5,000 saved msgs: script start → newest painted',
      value: ms(fromScript),
      baseline: `50 msgs ${ms(of(small, 'fromScript'))}`,
      ratio: fromScript / of(small, 'fromScript'),
      target: '',
      status: 'info',
    })
    const heap = of(big, 'heap')
    const smallHeap = of(small, 'heap')
    addRow({
      part: 'history',
      what: 'JS heap after GC, 5,000 msgs',
      value: `${(heap / 2 ** 20).toFixed(1)} MB`,
      baseline: `50 msgs ${(smallHeap / 2 ** 20).toFixed(1)} MB`,
      ratio: heap / smallHeap,
      target: '≤ 2× 50 msgs',
      status: check(heap / smallHeap, 2),
    })
    const nodes = Math.max(...big.map((r) => Math.max(r.nodesBottom, r.nodesAfter)))
    const smallNodes = Math.max(...small.map((r) => Math.max(r.nodesBottom, r.nodesAfter)))
    addRow({
      part: 'history',
      what: 'elements in the list, 5,000 msgs (most seen)',
      value: String(nodes),
      baseline: `50 msgs ${smallNodes}`,
      ratio: nodes / smallNodes,
      target: 'bounded (≤ 2× 50 msgs)',
      status: check(nodes / smallNodes, 2),
    })
    const over50 = Math.max(...big.map((r) => r.over50))
    addRow({
      part: 'history',
      what: `wheel up ${WHEEL_STEPS}×${WHEEL_PX} px, 5,000 msgs: frames > 50 ms`,
      value: `${over50} (> 16.7 ms: ${of(big, 'over16')} of ${of(big, 'frames')}; longest ${ms(of(big, 'longest'))})`,
      baseline: `50 msgs ${Math.max(...small.map((r) => r.over50))} (> 16.7 ms: ${of(small, 'over16')})`,
      ratio: null,
      target: '0 frames > 50 ms',
      status: check(over50, 0),
    })
    const reopen = median(returning)
    addRow({
      part: 'history',
      what: 'returning visitor, 50 saved msgs: open → newest painted',
      value: ms(reopen),
      baseline: '—',
      ratio: null,
      target: '≤ 100 ms',
      status: check(reopen, 100),
    })
    const reached = (top: RunResult['top']) =>
      top
        ? `${top.frames} frame${top.frames === 1 ? '' : 's'}, ${(top.ms / 1000).toFixed(1)} s`
        : `not in ${TOP_STEPS} frames`
    addRow({
      part: 'history',
      what: '5,000 msgs: scrollTop = 0 each frame until the oldest',
      value: reached(big[0]!.top),
      baseline: `50 msgs ${reached(small[0]!.top)}`,
      ratio: null,
      target: 'reached',
      status: big[0]!.top ? 'PASS' : 'MISS',
    })
    addNote(
      `history: headless Chromium, CPU ${THROTTLE}× slower, median of ${RUNS} fresh visitors per size (the frame counts: worst run for > 50 ms; scrolling to the oldest: the first run); "saved chat read" is the success of the IndexedDB read of the saved chat; the returning visitor's page loads with the panel closed and the chat saved and marked in progress (it connects at once), and the launcher is clicked ${RETURNING_QUIET_MS} ms after it connected, until the newest message and the text field painted (median of ${RETURNING_RUNS})`,
    )
  } finally {
    agent.close()
    await browser.close()
    await new Promise((resolve) => pageServer.close(resolve))
    await chat.close()
  }
}
