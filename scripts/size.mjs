// The widget's size budget (`npm test -- size`, after the build): what a page loads before the
// visitor interacts (dist/chat-widget.js and whatever it imports statically) and what is loaded
// once the panel is open (that plus the panel chunk and its static imports), each file gzipped
// at level 9 as a server would send it. Exceeding a budget fails the test command.
import { readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'

/** Issue #6: a launcher that paints before the rest loads, ≤ 12 KB gzipped. */
export const PRE_INTERACTION_BUDGET = 12 * 1024
/**
 * What the open panel weighs today plus a little: a regression fails (the goal is 32 KB). 52.2 KB
 * with a 1.3 KB margin until 2026-12-07; the composer's length counter (and the offline form's
 * check) then took it to 53.7 KB, translated reasons for failed sends to 53.9 KB, and the
 * composer's CSS sizing (no layout forced per keystroke) to 54.0 KB. A chunk's new content hash
 * alone moves the gzipped total by a few bytes either way, so the budget keeps 0.5 KB above it.
 * The rehearsal of the first open then filled that margin (54.42 KB), and rehearsing a returning
 * visitor's saved messages with it (their open's layout about halved) took it to 54.50 KB: the
 * budget moved to 55.0 KB on 2026-12-07.
 */
export const OPEN_PANEL_BUDGET = 55 * 1024
export const OPEN_PANEL_TARGET = 32 * 1024

const gzip = (file) => gzipSync(readFileSync(file), { level: 9 }).length

/** The chunks `file` imports statically (`import … from "./x.js"`) and dynamically. */
function importsOf(file) {
  const code = readFileSync(file, 'utf8')
  const resolve = (spec) => join(dirname(file), spec)
  const fixed = [
    ...code.matchAll(/(?:^|[;}\s])import\s*(?:[^'"`()]*?from\s*)?["'`](\.[^"'`]+)["'`]/g),
  ]
  const lazy = [...code.matchAll(/import\(\s*["'`](\.[^"'`]+)["'`]\s*\)/g)]
  return { fixed: fixed.map((m) => resolve(m[1])), lazy: lazy.map((m) => resolve(m[1])) }
}

/** `file` and every chunk it imports statically, transitively. */
function staticClosure(file, seen = new Set()) {
  if (seen.has(file)) return seen
  seen.add(file)
  for (const next of importsOf(file).fixed) staticClosure(next, seen)
  return seen
}

/** Sizes of the built widget in `dist` (gzip -9 bytes per file and per loading stage). */
export function measureWidget(dist) {
  const entry = join(dist, 'chat-widget.js')
  const pre = staticClosure(entry)
  const panel = [...pre]
    .flatMap((file) => importsOf(file).lazy)
    .find((file) => /chat-panel-[\w-]+\.js$/.test(file))
  const open = panel ? staticClosure(panel, new Set(pre)) : new Set(pre)
  // The parts the panel loads when one is first shown (offline form, end of chat, lightbox).
  const onDemand = new Set(open)
  for (const file of open) {
    if (pre.has(file)) continue
    for (const part of importsOf(file).lazy) staticClosure(part, onDemand)
  }
  const all = new Set(open)
  const queue = [...open]
  while (queue.length > 0) {
    const { fixed, lazy } = importsOf(queue.pop())
    for (const next of [...fixed, ...lazy]) {
      if (!all.has(next)) {
        all.add(next)
        queue.push(next)
      }
    }
  }
  const files = Object.fromEntries([...all].map((file) => [relative(dist, file), gzip(file)]))
  const sum = (set) => [...set].reduce((total, file) => total + files[relative(dist, file)], 0)
  return {
    files,
    preInteraction: sum(pre),
    openPanel: sum(open),
    withOnDemandParts: sum(onDemand),
    total: sum(all),
    classic: gzip(join(dist, 'chat-widget.classic.js')),
  }
}

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`

// Run as a script: print the table, exit 1 over a budget.
if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = join(dirname(new URL(import.meta.url).pathname), '..', 'dist')
  const size = measureWidget(dist)
  for (const [file, bytes] of Object.entries(size.files))
    console.log(`  ${kb(bytes).padStart(9)}  ${file}`)
  console.log(`  ${kb(size.classic).padStart(9)}  chat-widget.classic.js (loader)`)
  const over = []
  const line = (name, bytes, budget, target) => {
    const ok = bytes <= budget
    if (!ok) over.push(name)
    console.log(
      `${ok ? 'ok  ' : 'OVER'} ${name}: ${kb(bytes)} gzip (budget ${kb(budget)}${target ? `, target ${kb(target)}` : ''})`,
    )
  }
  line('before interaction', size.preInteraction, PRE_INTERACTION_BUDGET)
  line('panel open', size.openPanel, OPEN_PANEL_BUDGET, OPEN_PANEL_TARGET)
  console.log(`     with every part loaded on demand: ${kb(size.withOnDemandParts)} gzip`)
  console.log(`     every chunk: ${kb(size.total)} gzip`)
  process.exit(over.length > 0 ? 1 : 0)
}
