/**
 * `npm run bench`: every measurement of issue 6 (and the two-node one of issue 7), each as a
 * ratio against a baseline measured in the same run, printed as one table.
 *
 *   npm run bench                      all parts
 *   npm run bench -- bundle latency    only these parts
 *   npm run bench -- --full            with the 10k-visitor runs (sockets, scaling)
 *
 * Parts: bundle, latency (delivery latency and throughput), paint (paint, restore, connections),
 * cluster, sockets (idle connections, reconnect storm), scaling (cost per message and connection
 * as visitors grow). Everything runs on 127.0.0.1 with bounded counts; the whole run takes < 5 minutes.
 * Targets are informational: the bench exits 0 unless something crashed.
 */
import { writeFileSync } from 'node:fs'
import { cpus, platform, release, totalmem } from 'node:os'
import { join } from 'node:path'
import { runBundle } from './bundle.ts'
import { runCluster } from './cluster.ts'
import { runScaling, runSockets } from './connections.ts'
import { runHistory } from './history.ts'
import { runLoad } from './load.ts'
import { runPaint } from './paint.ts'
import { addNote, addRow, renderTable } from './report.ts'

const PARTS: Record<string, () => Promise<void>> = {
  bundle: runBundle,
  latency: runLoad,
  paint: runPaint,
  history: runHistory,
  cluster: runCluster,
  sockets: runSockets,
  scaling: runScaling,
}

// Flags (`--full`: the 10k runs of sockets and scaling) are read by the parts themselves.
const asked = process.argv.slice(2).filter((arg) => !arg.startsWith('--'))
const unknown = asked.filter((name) => !(name in PARTS))
if (unknown.length) {
  console.error(`Unknown part(s): ${unknown.join(', ')}. Parts: ${Object.keys(PARTS).join(', ')}`)
  process.exit(2)
}
const started = performance.now()
let crashed = false
for (const name of asked.length ? asked : Object.keys(PARTS)) {
  console.log(`\n== ${name}`)
  const partStarted = performance.now()
  try {
    await PARTS[name]!()
  } catch (error) {
    crashed = true
    console.error(error)
    addRow({
      part: name,
      what: 'crashed',
      value: String((error as Error).message ?? error)
        .split('\n')[0]!
        .slice(0, 60),
      baseline: '—',
      ratio: null,
      target: '',
      status: 'skip',
    })
  }
  console.log(`   (${((performance.now() - partStarted) / 1000).toFixed(1)} s)`)
}
addNote(`whole run: ${((performance.now() - started) / 1000).toFixed(0)} s`)
const table = renderTable()
console.log(`\n${table}`)
// The run on record: what was measured, when, and on what machine.
const cores = cpus()
const machine = `${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}, Node ${process.version}`
const command = [
  'npm run bench',
  ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : []),
]
writeFileSync(
  join(import.meta.dirname, 'results.md'),
  `# npm run bench\n\n${new Date().toISOString()} · \`${command.join(' ')}\` · ${machine}\n\n${table}\n`,
)
console.log('\n(written to bench/results.md)')
process.exit(crashed ? 1 : 0)
