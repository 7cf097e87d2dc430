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
import { connectRig, pacedRun, type Rig, type RunResult, startServerProcess } from './rig.ts'

const VISITORS = 1000
const LATENCY_RATE = 1000
const LATENCY_SECONDS = 10
/** Throughput: doubled from the first rate until a step fails, then bisected this often. */
const FIRST_RATE = 1000
const MAX_RATE = 64_000
const BISECTIONS = 3
const STEP_SECONDS = 3
const P99_LIMIT_MS = 50
/** The bench process's share of one core above which its clients, not the server, are the limit. */
const CLIENT_BOUND = 0.9

interface Step {
  rate: number
  ok: boolean
  p99: number
  /** CPU of the clients' process (this one) during the step, as a share of one core. */
  clientCpu: number
}

interface Measured {
  latency: RunResult
  /** Server CPU (user + system) per message of the latency run, in µs. */
  cpuPerMessageUs: number
  /** Highest passing rate (0: none). */
  best: number
  /** The first failing step was one the clients' process could not drive (≥ 90% of a core). */
  clientBound: boolean
  steps: Step[]
}

/** One paced step, judged: p99 ≤ 50 ms, ≥ 95% delivered, no ack error, the pace kept. */
async function step(rig: Rig, rate: number): Promise<Step> {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const run = await pacedRun(rig, rate, STEP_SECONDS)
  const used = process.cpuUsage(cpu)
  const clientCpu = (used.user + used.system) / 1000 / (performance.now() - started)
  const p99 = percentile([...run.v2a, ...run.a2v], 99)
  const ok =
    p99 <= P99_LIMIT_MS &&
    run.lost <= run.sent * 0.05 &&
    run.errors === 0 &&
    run.achieved >= rate * 0.9
  console.log(`  ${rate} msg/s → ${summary(run)}, clients' CPU ${(clientCpu * 100).toFixed(0)}%`)
  return { rate, ok, p99, clientCpu }
}

/** Doubling until a step fails, then bisection between the last pass and the first failure. */
async function search(rig: Rig): Promise<Pick<Measured, 'best' | 'clientBound' | 'steps'>> {
  const steps: Step[] = []
  let best = 0
  let failed: Step | null = null
  for (let rate = FIRST_RATE; rate <= MAX_RATE; rate *= 2) {
    const result = await step(rig, rate)
    steps.push(result)
    if (!result.ok) {
      failed = result
      break
    }
    best = rate
  }
  for (let i = 0; failed && i < BISECTIONS; i++) {
    const rate = Math.round((best + failed.rate) / 2 / 100) * 100
    if (rate <= best || rate >= failed.rate) break
    const result = await step(rig, rate)
    steps.push(result)
    if (result.ok) best = rate
    else failed = result
  }
  return { best, clientBound: !failed || failed.clientCpu >= CLIENT_BOUND, steps }
}

async function measure(kind: 'ours' | 'relay'): Promise<Measured> {
  const server = await startServerProcess(kind)
  try {
    const t = performance.now()
    const rig = await connectRig([server.url], server.url, BENCH_AGENT_TOKEN, VISITORS)
    console.log(`  ${kind}: ${VISITORS} visitors connected in ${ms(performance.now() - t)}`)
    try {
      const before = await server.stats()
      const latency = await pacedRun(rig, LATENCY_RATE, LATENCY_SECONDS)
      const after = await server.stats()
      const cpuPerMessageUs = (after.cpuUs - before.cpuUs) / latency.sent
      console.log(
        `  ${kind}: latency run ${summary(latency)}, server ${cpuPerMessageUs.toFixed(0)} µs CPU/msg`,
      )
      console.log(`  ${kind}: throughput`)
      return { latency, cpuPerMessageUs, ...(await search(rig)) }
    } finally {
      rig.close()
    }
  } finally {
    await server.stop()
  }
}

const rateText = (m: Measured) => `${m.clientBound ? '≥ ' : ''}${m.best}/s`
const stepsText = (m: Measured) =>
  m.steps
    .map(
      (s) =>
        `${s.rate}/s p99 ${ms(s.p99)} (clients ${(s.clientCpu * 100).toFixed(0)}% CPU)${s.ok ? '' : ' ✗'}`,
    )
    .join(', ')

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
    part: 'latency',
    what: 'server CPU per message',
    value: `${ours.cpuPerMessageUs.toFixed(0)} µs`,
    baseline: `relay ${relay.cpuPerMessageUs.toFixed(0)} µs`,
    ratio: ours.cpuPerMessageUs / relay.cpuPerMessageUs,
    target: '',
    status: 'info',
  })
  addRow({
    part: 'throughput',
    what: `max msg/s with p99 ≤ ${P99_LIMIT_MS} ms`,
    value: rateText(ours),
    baseline: `relay ${rateText(relay)}`,
    ratio: relay.best ? ours.best / relay.best : null,
    target: '≥ 0.6× relay',
    status: relay.best ? check(ours.best / relay.best, 0.6, true) : 'skip',
  })
  addNote(
    `latency: ${VISITORS} visitors + 1 agent on 127.0.0.1–4, websocket, paced ${LATENCY_RATE} msg/s for ${LATENCY_SECONDS} s (half each way), each message with a clientId as the SDK and the console send; lost ours ${ours.latency.lost}/${ours.latency.sent}, relay ${relay.latency.lost}/${relay.latency.sent}; ack errors ours ${ours.latency.errors}`,
  )
  addNote(
    "latency/throughput: our server runs with maxConnectionsPerIp 100000 and every rate limit at 1000000/1 s (createChatServer overrides, bench/serve.ts), SQLite on disk in a temp dir (synchronous=NORMAL, group commit); each server in its own process (one core), all clients in the bench process (the other core); server CPU per message = the server process's user + system time over the latency run / messages sent",
  )
  addNote(
    `throughput: ${STEP_SECONDS} s paced steps from ${FIRST_RATE}/s, doubled until one fails (p99 > ${P99_LIMIT_MS} ms, > 5% lost, an ack error, or < 90% of the pace sent), then bisected ${BISECTIONS}×; "≥" when the failing step had the clients' process at ≥ ${CLIENT_BOUND * 100}% of a core (the clients, not the server, were the limit)`,
  )
  addNote(`throughput steps: ours ${stepsText(ours)}`)
  addNote(`throughput steps: relay ${stepsText(relay)}`)
}
