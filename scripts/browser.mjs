// Finds a Chromium for the browser tests the same way on every machine:
// $CHROMIUM_PATH, then a system Chromium/Chrome, then Playwright's own download.
// When none is found and we are root on Debian, installs Debian's `chromium` package
// (Playwright cannot download its browsers on networks that only reach package registries).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
]

/** Flags for headless Chromium on a closed network (background fetches would only fail). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Playwright's own browser, if one was downloaded on this machine. */
async function playwrightBrowser() {
  try {
    const { chromium } = await import('playwright-core')
    const path = chromium.executablePath()
    return path && existsSync(path) ? path : undefined
  } catch {
    return undefined
  }
}

function installDebianChromium() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (!isRoot || !existsSync('/usr/bin/apt-get')) return false
  console.log("No Chromium found: installing Debian's chromium package…")
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' })
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
    return existsSync('/usr/bin/chromium')
  } catch {
    return false
  }
}

/**
 * Path of a Chromium executable, or `undefined` to let Playwright use its default.
 * @param {{ install?: boolean }} [options] install Debian's package when nothing is found
 */
export async function findChromium({ install = true } = {}) {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`)
    return fromEnv
  }
  const system = SYSTEM_BROWSERS.find((path) => existsSync(path))
  if (system) return system
  const bundled = await playwrightBrowser()
  if (bundled) return bundled
  if (install && installDebianChromium()) return '/usr/bin/chromium'
  return undefined
}
