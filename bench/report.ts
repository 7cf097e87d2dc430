/**
 * The bench's one table: every measurement is a row with its raw value, the baseline measured
 * in the same run, their ratio, and the target for that ratio (PASS / MISS, informational).
 */

export interface Row {
  /** Section, e.g. `bundle`, `latency`. */
  part: string
  /** What was measured, e.g. `widget gzip -9`. */
  what: string
  /** Raw value of ours, formatted with its unit. */
  value: string
  /** Raw value of the baseline, formatted, with its name. */
  baseline: string
  /** ours / baseline (or whatever the target is phrased in); null: no ratio. */
  ratio: number | null
  /** The target as text (`≤ 2×`, `≤ 32 KB`); empty: none. */
  target: string
  /** PASS / MISS against the target; `info` when there is none; `skip` when not measured. */
  status: 'PASS' | 'MISS' | 'info' | 'skip'
}

const rows: Row[] = []
const notes: string[] = []

export function addRow(row: Row): void {
  rows.push(row)
  // Printed as it comes, so a long run shows progress.
  console.log(`  ${row.part} · ${row.what}: ${row.value} vs ${row.baseline} → ${ratioText(row)}`)
}

/** A line printed under the table (configuration, caveats). */
export function addNote(note: string): void {
  notes.push(note)
}

/** PASS when `actual <= limit` (or `>=` with `atLeast`). */
export function check(actual: number, limit: number, atLeast = false): 'PASS' | 'MISS' {
  return (atLeast ? actual >= limit : actual <= limit) ? 'PASS' : 'MISS'
}

function ratioText(row: Row): string {
  if (row.ratio === null || !Number.isFinite(row.ratio)) return '—'
  return `${row.ratio.toFixed(2)}×`
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
export const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`

/** The `p`-th percentile (0–100) of `values`, nearest rank; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

export const median = (values: readonly number[]) => percentile(values, 50)

/** The table (Markdown, so it pastes into the README as is). */
export function renderTable(): string {
  const header = ['part', 'measurement', 'ours', 'baseline (same run)', 'ratio', 'target', '']
  const body = rows.map((r) => [
    r.part,
    r.what,
    r.value,
    r.baseline,
    ratioText(r),
    r.target,
    r.status,
  ])
  const all = [header, ...body]
  const widths = header.map((_, i) => Math.max(...all.map((cells) => cells[i]!.length)))
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`
  const out = [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`]
  for (const cells of body) out.push(line(cells))
  if (notes.length) out.push('', ...notes.map((note) => `- ${note}`))
  return out.join('\n')
}
