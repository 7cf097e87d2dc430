/**
 * Runs work the page can spare: after the page has loaded and painted, in an idle moment.
 * The widget preloads its panel this way (see `ChatWidget.preload`), so a first open does not
 * wait for the network or the parser, yet the page's own loading is not slowed.
 */

/** Longest wait for an idle moment on a busy page, in ms (then it runs anyway). */
const IDLE_TIMEOUT = 5000

/** Browsers without `requestIdleCallback` (Safari): a pause after load instead. */
const FALLBACK_DELAY = 500

/** Calls `work` in the next idle moment; returns a function that cancels it. */
export function whenIdle(work: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(() => work(), { timeout: IDLE_TIMEOUT })
    return () => cancelIdleCallback(id)
  }
  const id = setTimeout(work, FALLBACK_DELAY)
  return () => clearTimeout(id)
}

/**
 * Calls `work` once the page's load event has passed, a frame has painted after it, and the
 * main thread is idle. Returns a function that cancels it.
 */
export function afterLoadWhenIdle(work: () => void): () => void {
  let cancelled = false
  let cancelIdle = () => {}
  const afterPaint = () =>
    afterNextPaint(() => {
      if (!cancelled) cancelIdle = whenIdle(work)
    })
  if (document.readyState === 'complete') afterPaint()
  else window.addEventListener('load', afterPaint, { once: true })
  return () => {
    cancelled = true
    window.removeEventListener('load', afterPaint)
    cancelIdle()
  }
}

/** Calls `work` once the next frame has painted. */
export function afterNextPaint(work: () => void): void {
  // rAF runs before the frame paints; the timeout after it runs once it has.
  requestAnimationFrame(() => setTimeout(work))
}

/** Whether the visitor asked to save data (Chromium's Data Saver, `Save-Data`). */
export function savesData(): boolean {
  const connection = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection
  return connection?.saveData === true
}
