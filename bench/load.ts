/**
 * Delivery latency and throughput through our server vs a bare Socket.IO relay, same run, same
 * load shape: 1,000 connected visitors (raw socket.io-client sockets, websocket transport) and
 * one agent, messages alternating visitor → agent and agent → visitor.
 *
 * - latency: paced 1,000 msg/s for 10 s; p50 and p99 of each direction. Both servers run side by
 *   side, each with its own clients, and take turns in 2 s slices (after a 1 s warm-up each,
 *   not counted): how fast this machine is drifts over a minute (a shared VM), and a relay
 *   measured a minute before ours made a ratio of the drift as much as of the servers.
 * - throughput: 3 s steps at 500, 1000, 2000… 16000 msg/s; the highest with p99 ≤ 50 ms and
 *   ≥ 95% delivered (`≥` when even the top step passed: the clients' process is then the limit).
 */

import { BENCH_AGENT_TOKEN } from './overrides.ts'
import { addNote, addRow, check, ms, percentile, type Row } from './report.ts'
import {
  connectRig,
  pacedRun,
  type Rig,
  type RunResult,
  type ServerProcess,
  startServerProcess,
} from './rig.ts'

const VISITORS = 1000
const LATENCY_RATE = 1000
const LATENCY_SECONDS = 10
/** The latency run is cut in slices of this length, ours and the relay's taking turns. */
const SLICE_SECONDS = 2
const WARM_UP_SECONDS = 1
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

/** A server process with its clients connected, ready for paced runs. */
interface Side {
  kind: 'ours' | 'relay'
  server: ServerProcess
  rig: Rig
}

async function startSide(kind: Side['kind']): Promise<Side> {
  const server = await startServerProcess(kind)
  try {
    const t = performance.now()
    const rig = await connectRig([server.url], server.url, BENCH_AGENT_TOKEN, VISITORS)
    console.log(`  ${kind}: ${VISITORS} visitors connected in ${ms(performance.now() - t)}`)
    return { kind, server, rig }
  } catch (error) {
    await server.stop()
    throw error
  }
}

async function stopSide(side: Side): Promise<void> {
  side.rig.close()
  await side.server.stop()
}

/** Paced runs of one side, one after another, as one: the samples and counts added up. */
function joinRuns(runs: RunResult[], seconds: number): RunResult {
  const delivered = runs.reduce((sum, run) => sum + run.v2a.length + run.a2v.length, 0)
  return {
    v2a: runs.flatMap((run) => run.v2a),
    a2v: runs.flatMap((run) => run.a2v),
    sent: runs.reduce((sum, run) => sum + run.sent, 0),
    lost: runs.reduce((sum, run) => sum + run.lost, 0),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    achieved: delivered / seconds,
  }
}

/**
 * The latency runs of both sides, taking turns slice by slice (who goes first alternates), so a
 * change in the machine's speed meets both alike. Server CPU per message: over the slices only.
 */
async function interleavedLatency(
  sides: Side[],
): Promise<Map<Side, Pick<Measured, 'latency' | 'cpuPerMessageUs'>>> {
  for (const side of sides) await pacedRun(side.rig, LATENCY_RATE, WARM_UP_SECONDS)
  const runs = new Map(sides.map((side) => [side, [] as RunResult[]]))
  const cpuUs = new Map(sides.map((side) => [side, 0]))
  for (let slice = 0; slice < LATENCY_SECONDS / SLICE_SECONDS; slice++) {
    const order = slice % 2 === 0 ? sides : [...sides].reverse()
    for (const side of order) {
      const before = await side.server.cpuUs()
      const run = await pacedRun(side.rig, LATENCY_RATE, SLICE_SECONDS)
      const after = await side.server.cpuUs()
      console.log(`  ${side.kind}: slice ${slice + 1}, ${summary(run)}`)
      runs.get(side)!.push(run)
      cpuUs.set(side, cpuUs.get(side)! + after - before)
    }
  }
  const out = new Map<Side, Pick<Measured, 'latency' | 'cpuPerMessageUs'>>()
  for (const side of sides) {
    const latency = joinRuns(runs.get(side)!, LATENCY_SECONDS)
    const cpuPerMessageUs = cpuUs.get(side)! / latency.sent
    console.log(
      `  ${side.kind}: latency run ${summary(latency)}, server ${cpuPerMessageUs.toFixed(0)} µs CPU/msg`,
    )
    out.set(side, { latency, cpuPerMessageUs })
  }
  return out
}

/** Both sides measured: latency interleaved, then each one's throughput search alone. */
async function measureBoth(): Promise<{ ours: Measured; relay: Measured }> {
  const relay = await startSide('relay')
  let ours: Side | null = null
  try {
    ours = await startSide('ours')
    const latency = await interleavedLatency([relay, ours])
    const measured = async (side: Side): Promise<Measured> => {
      console.log(`  ${side.kind}: throughput`)
      return { ...latency.get(side)!, ...(await search(side.rig)) }
    }
    return { relay: await measured(relay), ours: await measured(ours) }
  } finally {
    await stopSide(relay)
    if (ours) await stopSide(ours)
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
  const { ours, relay } = await measureBoth()
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
    `latency: ${VISITORS} visitors + 1 agent on 127.0.0.1–4, websocket, paced ${LATENCY_RATE} msg/s for ${LATENCY_SECONDS} s (half each way) in ${SLICE_SECONDS} s slices taking turns with the relay (both servers up, each with its own clients; ${WARM_UP_SECONDS} s warm-up each, not counted), each message with a clientId as the SDK and the console send; lost ours ${ours.latency.lost}/${ours.latency.sent}, relay ${relay.latency.lost}/${relay.latency.sent}; ack errors ours ${ours.latency.errors}`,
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
