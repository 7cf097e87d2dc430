/**
 * Bundle size: `dist/chat-widget.js` compressed (gzip -9, brotli) vs the floor (lit +
 * socket.io-client + idb-keyval alone) and vs smartsupp-websocket's SDK, both bundled here with
 * esbuild (minified, browser platform) from an entry that imports and uses each.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { addNote, addRow, check, kb } from './report.ts'

const root = join(import.meta.dirname, '..')
const WIDGET = join(root, 'dist/chat-widget.js')

const gzip = (code: Uint8Array) => gzipSync(code, { level: 9 }).length
const brotli = (code: Uint8Array) =>
  brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length

/** Entries that import and use each library, so nothing is tree-shaken away. */
const FLOOR_ENTRY = `
import { LitElement, html, css } from 'lit'
import { io } from 'socket.io-client'
import { get, set } from 'idb-keyval'
class X extends LitElement {
  static styles = css\`:host { display: block }\`
  render() { return html\`<p>\${get('k')}</p>\` }
}
customElements.define('x-floor', X)
globalThis.floor = { s: io('/', { autoConnect: false }), set }
`
const SMARTSUPP_ENTRY = `
import { createVisitorClient } from 'smartsupp-websocket'
// Node's events module comes from the events package (devDependency), as browserify did.
globalThis.client = createVisitorClient({ data: { id: null, key: 'k' } })
`
const SDK_ENTRY = `
import * as sdk from './src/index.ts'
globalThis.sdk = sdk
`

async function bundle(contents: string): Promise<Uint8Array> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  })
  return result.outputFiles[0]!.contents
}

/** Builds `dist/chat-widget.js` when it is missing. */
export function ensureWidget(): void {
  if (existsSync(WIDGET)) return
  console.log('  building the widget (dist/chat-widget.js missing)…')
  execFileSync('npx', ['vite', 'build', '--mode', 'widget'], { cwd: root, stdio: 'inherit' })
}

export async function runBundle(): Promise<void> {
  ensureWidget()
  const widget = readFileSync(WIDGET)
  const [floor, smartsupp, sdk] = await Promise.all([
    bundle(FLOOR_ENTRY),
    bundle(SMARTSUPP_ENTRY),
    bundle(SDK_ENTRY),
  ])
  const w = { gz: gzip(widget), br: brotli(widget) }
  const f = { gz: gzip(floor), br: brotli(floor) }
  const s = { gz: gzip(smartsupp), br: brotli(smartsupp) }
  const d = { gz: gzip(sdk), br: brotli(sdk) }

  addRow({
    part: 'bundle',
    what: 'widget, gzip -9',
    value: kb(w.gz),
    baseline: `floor ${kb(f.gz)}`,
    ratio: w.gz / f.gz,
    target: 'widget ≤ 32 KB',
    status: check(w.gz, 32 * 1024),
  })
  addRow({
    part: 'bundle',
    what: 'widget, brotli',
    value: kb(w.br),
    baseline: `floor ${kb(f.br)}`,
    ratio: w.br / f.br,
    target: '',
    status: 'info',
  })
  addRow({
    part: 'bundle',
    what: 'widget vs smartsupp SDK, gzip',
    value: kb(w.gz),
    baseline: `smartsupp ${kb(s.gz)}`,
    ratio: w.gz / s.gz,
    target: '',
    status: 'info',
  })
  addRow({
    part: 'bundle',
    what: 'our SDK (src/) vs smartsupp, gzip',
    value: kb(d.gz),
    baseline: `smartsupp ${kb(s.gz)}`,
    ratio: d.gz / s.gz,
    target: '',
    status: 'info',
  })
  // A split bundle would emit more chunks next to the entry; today it is one file.
  const chunks = readdirSync(join(root, 'dist')).filter(
    (name) => name.endsWith('.js') && name.startsWith('chat-widget') && !name.includes('classic'),
  )
  const split = chunks.length > 1
  addRow({
    part: 'bundle',
    what: 'before-interaction part, gzip',
    value: split ? kb(w.gz) : 'no split yet',
    baseline: `floor ${kb(f.gz)}`,
    ratio: split ? w.gz / f.gz : null,
    target: '≤ 12 KB',
    status: split ? check(w.gz, 12 * 1024) : 'MISS',
  })
  addNote(
    `bundle: raw sizes widget ${kb(widget.length)}, floor ${kb(floor.length)}, smartsupp ${kb(smartsupp.length)}, our SDK ${kb(sdk.length)} (floor = lit + socket.io-client + idb-keyval via esbuild --minify, browser)`,
  )
}
