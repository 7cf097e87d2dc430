/**
 * Two nodes (issue 7): `server/main.ts` processes sharing PostgreSQL and Redis, started the way
 * `test/cluster/` starts them. One node alone vs two nodes with the visitors on one and the agent
 * on the other, so every message crosses Redis; same run, same paced steps as the throughput
 * part. Without PostgreSQL or Redis it is skipped.
 */
import { createCluster, requireServices } from '../test/cluster/support.ts'
import { BENCH_AGENT_TOKEN, BENCH_ENV } from './overrides.ts'
import { addNote, addRow, ms, percentile } from './report.ts'
import { connectRig, pacedRun } from './rig.ts'

const VISITORS = 200
const STEPS = [250, 500, 1000, 2000, 4000]
const STEP_SECONDS = 3
const P99_LIMIT_MS = 50

const rateText = (rate: number) => (rate ? `${rate}/s` : `< ${STEPS[0]}/s`)

async function steps(visitorUrls: string[], agentUrl: string, name: string) {
  const rig = await connectRig(visitorUrls, agentUrl, BENCH_AGENT_TOKEN, VISITORS)
  try {
    let best = 0
    let firstP99 = Number.NaN
    for (const rate of STEPS) {
      const run = await pacedRun(rig, rate, STEP_SECONDS)
      const p99 = percentile([...run.v2a, ...run.a2v], 99)
      if (rate === STEPS[0]) firstP99 = p99
      console.log(`  ${name}: ${rate} msg/s → lost ${run.lost}/${run.sent}, p99 ${ms(p99)}`)
      if (!(p99 <= P99_LIMIT_MS && run.lost <= run.sent * 0.05 && run.errors === 0)) break
      best = rate
    }
    return { best, firstP99 }
  } finally {
    rig.close()
  }
}

export async function runCluster(): Promise<void> {
  const services = await requireServices().catch((error: Error) => ({ skip: error.message }))
  if (services.skip !== false) {
    addRow({
      part: 'two nodes',
      what: 'skipped: no Postgres/Redis',
      value: '—',
      baseline: '—',
      ratio: null,
      target: '',
      status: 'skip',
    })
    addNote(`two nodes: ${services.skip}`)
    return
  }
  const cluster = await createCluster(services.databaseUrl)
  try {
    const a = await cluster.start('bench-a', BENCH_ENV)
    const one = await steps([a.url], a.url, 'one node')
    const b = await cluster.start('bench-b', BENCH_ENV)
    const two = await steps([a.url], b.url, 'two nodes')
    addRow({
      part: 'two nodes',
      what: `max msg/s with p99 ≤ ${P99_LIMIT_MS} ms`,
      value: rateText(two.best),
      baseline: `one node ${rateText(one.best)}`,
      ratio: one.best ? two.best / one.best : null,
      target: '',
      status: 'info',
    })
    addRow({
      part: 'two nodes',
      what: `p99 at ${STEPS[0]} msg/s`,
      value: ms(two.firstP99),
      baseline: `one node ${ms(one.firstP99)}`,
      ratio: two.firstP99 / one.firstP99,
      target: '',
      status: 'info',
    })
    addNote(
      `two nodes: server/main.ts processes on PostgreSQL + Redis (test/cluster/support.ts), ${VISITORS} visitors on node A, the agent on node B (one node: both on A), limits raised by environment (bench/overrides.ts), ${STEP_SECONDS} s steps ${STEPS.join(', ')} msg/s`,
    )
  } finally {
    await cluster.close()
  }
}
