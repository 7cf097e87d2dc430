/**
 * Delivery latency and throughput through our server vs a bare Socket.IO relay, same run, same
 * load shape: 1,000 connected visitors (raw socket.io-client sockets, websocket transport) and
 * one agent, messages alternating visitor → agent and agent → visitor.
 *
 * - latency: paced 1,000 msg/s for 10 s; p50 and p99 of each direction.
 * - throughput: 3 s steps at 500, 1000, 2000… 16000 msg/s; the highest with p99 ≤ 50 ms and
 *   ≥ 95% delivered (`≥` when even the top step passed: the clients' process is then the limit).
 */

import { BENCH_AGENT_TOKEN } from './overrides.ts'
import { addNote, addRow, check, ms, percentile, type Row } from './report.ts'
import { connectRig, pacedRun, type RunResult, startServerProcess } from './rig.ts'

const VISITORS = 1000
const LATENCY_RATE = 1000
const LATENCY_SECONDS = 10
const STEPS = [500, 1000, 2000, 4000, 8000, 16000]
const STEP_SECONDS = 3
const P99_LIMIT_MS = 50

interface Measured {
  latency: RunResult
  /** Highest passing rate (0: none) and the steps run. */
  best: number
  steps: string[]
}

async function measure(kind: 'ours' | 'relay'): Promise<Measured> {
  const server = await startServerProcess(kind)
  try {
    const t = performance.now()
    const rig = await connectRig([server.url], server.url, BENCH_AGENT_TOKEN, VISITORS)
    console.log(`  ${kind}: ${VISITORS} visitors connected in ${ms(performance.now() - t)}`)
    try {
      const latency = await pacedRun(rig, LATENCY_RATE, LATENCY_SECONDS)
      console.log(`  ${kind}: latency run ${summary(latency)}`)
      let best = 0
      const steps: string[] = []
      for (const rate of STEPS) {
        const run = await pacedRun(rig, rate, STEP_SECONDS)
        const p99 = percentile([...run.v2a, ...run.a2v], 99)
        const ok = p99 <= P99_LIMIT_MS && run.lost <= run.sent * 0.05 && run.errors === 0
        steps.push(`${rate}/s p99 ${ms(p99)}${ok ? '' : ' ✗'}`)
        console.log(`  ${kind}: ${rate} msg/s → ${summary(run)}`)
        if (!ok) break
        best = rate
      }
      return { latency, best, steps }
    } finally {
      rig.close()
    }
  } finally {
    await server.stop()
  }
}

const rateText = (rate: number) => `${rate === STEPS.at(-1) ? '≥ ' : ''}${rate}/s`

function summary(run: RunResult): string {
  const all = [...run.v2a, ...run.a2v]
  return `sent ${run.sent}, lost ${run.lost}, errors ${run.errors}, p50 ${ms(percentile(all, 50))}, p99 ${ms(percentile(all, 99))}`
}

export async function runLoad(): Promise<void> {
  const relay = await measure('relay')
  const ours = await measure('ours')
  const rows: Array<[string, 'v2a' | 'a2v', number, number]> = [
    ['visitor → agent', 'v2a', 50, 2],
    ['visitor → agent', 'v2a', 99, 3],
    ['agent → visitor', 'a2v', 50, 2],
    ['agent → visitor', 'a2v', 99, 3],
  ]
  for (const [direction, key, p, limit] of rows) {
    const a = percentile(ours.latency[key], p)
    const b = percentile(relay.latency[key], p)
    const row: Row = {
      part: 'latency',
      what: `${direction} p${p}`,
      value: ms(a),
      baseline: `relay ${ms(b)}`,
      ratio: a / b,
      target: `≤ ${limit}× relay`,
      status: check(a / b, limit),
    }
    addRow(row)
  }
  addRow({
    part: 'throughput',
    what: `max msg/s with p99 ≤ ${P99_LIMIT_MS} ms`,
    value: rateText(ours.best),
    baseline: `relay ${rateText(relay.best)}`,
    ratio: relay.best ? ours.best / relay.best : null,
    target: '≥ 0.6× relay',
    status: relay.best ? check(ours.best / relay.best, 0.6, true) : 'skip',
  })
  addNote(
    `latency: ${VISITORS} visitors + 1 agent on 127.0.0.1–4, websocket, paced ${LATENCY_RATE} msg/s for ${LATENCY_SECONDS} s (half each way); lost ours ${ours.latency.lost}/${ours.latency.sent}, relay ${relay.latency.lost}/${relay.latency.sent}; ack errors ours ${ours.latency.errors}`,
  )
  addNote(
    'latency/throughput: our server runs with maxConnectionsPerIp 100000 and every rate limit at 1000000/1 s (createChatServer overrides, bench/serve.ts), SQLite on disk in a temp dir; each server in its own process, all clients in the bench process',
  )
  addNote(`throughput steps (${STEP_SECONDS} s each): ours ${ours.steps.join(', ')}`)
  addNote(`throughput steps: relay ${relay.steps.join(', ')}`)
}
