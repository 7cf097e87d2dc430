/**
 * Where the visitor is in a single-page app: notices History API navigation (`pushState`,
 * `replaceState`, `popstate`) and `hashchange`, and reports the page once things settle.
 * The browser globals come in as a `PageEnvironment`, so tests can pass a fake one.
 */

/** What the tracker reads and listens to: `window` in a browser. */
export interface PageEnvironment {
  history: Pick<History, 'pushState' | 'replaceState'>
  location: { href: string; hostname?: string }
  document: { title: string; referrer?: string }
  addEventListener(type: string, listener: () => void): void
  removeEventListener(type: string, listener: () => void): void
  dispatchEvent(event: Event): boolean
}

/** The page as `visitor.update` sends it. */
export interface Page {
  pageUrl: string
  pageTitle: string
}

/** Fired on the environment after a wrapped `pushState` / `replaceState`. */
export const LOCATION_CHANGE_EVENT = 'chat-widget-locationchange'

/** What the server accepts (server/schemas.ts). */
const MAX_PAGE_URL = 2_000
const MAX_PAGE_TITLE = 500

/** Marks a `history` whose methods we wrapped: shared by every copy of the SDK on the page. */
const WRAPPED = Symbol.for('chat-widget.history-wrapped')

/** @default 300 */
export const PAGE_DEBOUNCE_MS = 300

/** `window` in a browser; null elsewhere (Node), where there is nothing to track. */
export function browserPageEnvironment(): PageEnvironment | null {
  if (typeof window === 'undefined' || !window.history || !window.location) return null
  return window
}

/** The page now, or null when it is not an http(s) URL the server would store. */
export function currentPage(env: PageEnvironment): Page | null {
  const url = env.location.href
  if (!/^https?:/i.test(url) || url.length > MAX_PAGE_URL) return null
  return { pageUrl: url, pageTitle: env.document.title.slice(0, MAX_PAGE_TITLE) }
}

/**
 * Makes `pushState` and `replaceState` announce themselves with `LOCATION_CHANGE_EVENT`.
 * Once per `history`, however many clients start: the original methods stay underneath.
 */
export function wrapHistory(env: PageEnvironment): void {
  const history = env.history as PageEnvironment['history'] & { [WRAPPED]?: true }
  if (history[WRAPPED]) return
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name]
    history[name] = function (this: unknown, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args)
      env.dispatchEvent(new Event(LOCATION_CHANGE_EVENT))
      return result
    }
  }
  Object.defineProperty(history, WRAPPED, { value: true })
}

/** Calls `onChange` once, `delay` ms after the last navigation of a burst. */
export class PageTracker {
  private timer: ReturnType<typeof setTimeout> | undefined
  private started = false
  private readonly events = [LOCATION_CHANGE_EVENT, 'popstate', 'hashchange']

  constructor(
    private readonly env: PageEnvironment,
    private readonly onChange: () => void,
    private readonly delay = PAGE_DEBOUNCE_MS,
  ) {}

  start(): void {
    if (this.started) return
    this.started = true
    wrapHistory(this.env)
    for (const event of this.events) this.env.addEventListener(event, this.onNavigate)
  }

  /** Stops listening (the wrapped `history` stays wrapped, for the next start). */
  stop(): void {
    if (!this.started) return
    this.started = false
    clearTimeout(this.timer)
    this.timer = undefined
    for (const event of this.events) this.env.removeEventListener(event, this.onNavigate)
  }

  // A router often sets the title just after pushState: read both when the burst is over.
  private readonly onNavigate = () => {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.onChange()
    }, this.delay)
  }
}
