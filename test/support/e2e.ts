/**
 * End-to-end setup: the built product (`dist/site` + `dist/chat-widget.js`) served by a real
 * chat server, and a headless Chromium found like every other browser test here
 * (`scripts/browser.mjs`: $CHROMIUM_PATH, the system Chromium, Playwright's own, or Debian's
 * package installed on the spot).
 *
 * `npm test` builds before the e2e suites; run alone, a missing build is made once here.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium } from 'playwright-core'
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browser.mjs'
import { startTestServer, type TestServer, type TestServerOptions } from './server.ts'

const root = join(import.meta.dirname, '../..')
export const SITE_DIR = join(root, 'dist/site')
export const WIDGET_FILE = join(root, 'dist/chat-widget.js')

/** Builds the site and the widget unless both are there. */
export function ensureBuilt(): void {
  if (existsSync(join(SITE_DIR, 'index.html')) && existsSync(WIDGET_FILE)) return
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' })
}

/** Path of the Chromium to drive, or a reason to skip the suite. */
export const chromiumPath: string | undefined = await findChromium()
// In CI a missing browser is a failure, not a skip.
export const skipWithoutBrowser =
  chromiumPath || process.env.CI ? false : 'no Chromium found (set CHROMIUM_PATH)'

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS })
}

/** A real server serving the built demo page, console and widget. */
export function startProductServer(options: TestServerOptions = {}): Promise<TestServer> {
  ensureBuilt()
  return startTestServer({ staticDir: SITE_DIR, widgetFile: WIDGET_FILE, ...options })
}

/** A fresh browser profile: its own IndexedDB and localStorage, like a new visitor. */
export function newVisitor(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1100, height: 760 } })
}
