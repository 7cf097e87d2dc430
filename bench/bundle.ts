/**
 * Bundle size: the widget compressed (gzip -9, brotli) vs the floor (lit + socket.io-client +
 * idb-keyval alone) and vs smartsupp-websocket's SDK, both bundled here with esbuild (minified,
 * browser platform) from an entry that imports and uses each. The widget is split: what a page
 * loads before the visitor interacts (`dist/chat-widget.js`) and what the open panel adds
 * (`dist/chat-widget/chat-panel-*.js`), measured like the size check of `npm test`
 * (scripts/size.mjs: each file gzipped alone, as a server sends it).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { measureWidget, OPEN_PANEL_BUDGET, PRE_INTERACTION_BUDGET } from '../scripts/size.mjs'
import { addNote, addRow, check, kb } from './report.ts'

const root = join(import.meta.dirname, '..')
const DIST = join(root, 'dist')
const WIDGET = join(DIST, 'chat-widget.js')

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
  const size = measureWidget(DIST)
  const chunks = Object.keys(size.files).map((file) => readFileSync(join(DIST, file)))
  const entry = readFileSync(WIDGET)
  const panelFile = Object.keys(size.files).find((file) => file.includes('chat-panel-'))
  const panel = panelFile ? readFileSync(join(DIST, panelFile)) : new Uint8Array()
  const [floor, smartsupp, sdk] = await Promise.all([
    bundle(FLOOR_ENTRY),
    bundle(SMARTSUPP_ENTRY),
    bundle(SDK_ENTRY),
  ])
  const open = { gz: size.openPanel, br: brotli(entry) + brotli(panel) }
  const f = { gz: gzip(floor), br: brotli(floor) }
  const s = { gz: gzip(smartsupp), br: brotli(smartsupp) }
  const d = { gz: gzip(sdk), br: brotli(sdk) }

  addRow({
    part: 'bundle',
    what: 'before interaction (entry), gzip -9',
    value: kb(size.preInteraction),
    baseline: `floor ${kb(f.gz)}`,
    ratio: size.preInteraction / f.gz,
    target: '≤ 12 KB',
    status: check(size.preInteraction, 12 * 1024),
  })
  addRow({
    part: 'bundle',
    what: 'panel open (entry + panel chunk), gzip -9',
    value: kb(open.gz),
    baseline: `floor ${kb(f.gz)}`,
    ratio: open.gz / f.gz,
    target: 'widget ≤ 32 KB',
    status: check(open.gz, 32 * 1024),
  })
  addRow({
    part: 'bundle',
    what: 'panel open + parts loaded on demand, gzip -9',
    value: kb(size.withOnDemandParts),
    baseline: `floor ${kb(f.gz)}`,
    ratio: size.withOnDemandParts / f.gz,
    target: '',
    status: 'info',
  })
  addRow({
    part: 'bundle',
    what: 'panel open, brotli',
    value: kb(open.br),
    baseline: `floor ${kb(f.br)}`,
    ratio: open.br / f.br,
    target: '',
    status: 'info',
  })
  addRow({
    part: 'bundle',
    what: 'panel open vs smartsupp SDK, gzip',
    value: kb(open.gz),
    baseline: `smartsupp ${kb(s.gz)}`,
    ratio: open.gz / s.gz,
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
  const listed = Object.entries(size.files)
    .map(([file, bytes]) => `${file} ${kb(bytes)}`)
    .join(', ')
  addNote(
    `bundle: every chunk gzip -9: ${listed}; all ${kb(size.total)}, classic loader ${kb(size.classic)}; size check budgets (npm test -- size) ${kb(PRE_INTERACTION_BUDGET)} before interaction, ${kb(OPEN_PANEL_BUDGET)} panel open; raw: entry ${kb(entry.length)}, all chunks ${kb(chunks.reduce((sum, c) => sum + c.length, 0))}, floor ${kb(floor.length)}, smartsupp ${kb(smartsupp.length)}, our SDK ${kb(sdk.length)} (floor = lit + socket.io-client + idb-keyval via esbuild --minify, browser)`,
  )
}
