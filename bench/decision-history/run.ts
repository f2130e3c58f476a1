// npm run bench:decisions -- [--json]: decision-history queries and CSV export on 1,000,000 rows.
import { createWriteStream, statSync } from 'node:fs'
import { join } from 'node:path'
import { v7 as uuidv7 } from 'uuid'
import { sqliteStoreDb } from '../../src/main/core/platform/store/connection'
import { createStore } from '../../src/main/core/platform/store/store'
import { elapsedMs, freshDatabase, percentile } from '../shared/fresh-database'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200)
const SYMBOLS = Array.from({ length: 20 }, (_, i) => `SYM${String(i).padStart(2, '0')}-PERP`)
const ACTIONS = [
  'ai_proposed',
  'human_approved',
  'human_rejected',
  'risk_rejected',
  'ai_auto_executed',
  'order_filled',
] as const
// Uneven on purpose: the busiest user has enough history for page 5,000 of 100 rows.
const USER_SHARE = [0.6, 0.3, 0.1]
const json = process.argv.includes('--json')
const log = (line: string) => process.stderr.write(line + '\n')

async function main() {
  const bench = await freshDatabase('decisions')
  try {
    const store = createStore(sqliteStoreDb(bench.db))
    const users = [
      await store.users.ensureDefault(),
      await store.users.create({ displayName: 'Desk 2' }),
      await store.users.create({ displayName: 'Desk 3' }),
    ]
    log(`Seeding ${ROWS.toLocaleString('en')} decisions across ${SYMBOLS.length} symbols and ${users.length} users…`)
    const insert = bench.db.prepare(
      'INSERT INTO decision_history (id, user_id, occurred_at, symbol, action, rationale, confidence, risk_check, actor, human_override) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)',
    )
    const start = Date.UTC(2025, 0, 1)
    bench.db.transaction(() => {
      for (let i = 0; i < ROWS; i++) {
        const share = (i % 10) / 10
        const user =
          share < USER_SHARE[0]! ? users[0]! : share < USER_SHARE[0]! + USER_SHARE[1]! ? users[1]! : users[2]!
        const action = ACTIONS[i % ACTIONS.length]!
        // Several rows share each millisecond, so ties on occurred_at are exercised.
        const occurredAt = new Date(start + Math.floor(i / 3) * 1000).toISOString()
        insert.run(
          uuidv7(),
          user.id,
          occurredAt,
          SYMBOLS[i % SYMBOLS.length],
          action,
          `Signal ${i}: EMA cross on ${SYMBOLS[i % SYMBOLS.length]}`,
          (i % 100) / 100,
          '{"route":"needs_approval"}',
          action.startsWith('human') ? `human:${user.id}` : 'ai',
        )
      }
    })()
    bench.db.pragma('wal_checkpoint(TRUNCATE)')
    bench.db.exec('ANALYZE')

    const busiest = users[0]!.id
    const time = async (fn: () => Promise<unknown>) => {
      for (let i = 0; i < 10; i++) await fn()
      const samples: number[] = []
      for (let i = 0; i < SAMPLES; i++) {
        const t = process.hrtime.bigint()
        await fn()
        samples.push(elapsedMs(t))
      }
      return { medianMs: +percentile(samples, 50).toFixed(3), p95Ms: +percentile(samples, 95).toFixed(3) }
    }

    const filter = {
      symbol: 'SYM04-PERP',
      actions: ['human_approved', 'human_rejected'] as ('human_approved' | 'human_rejected')[],
    }
    const filteredRows = (await store.decisions.query(busiest, filter, { limit: 100 })).rows.length
    if (filteredRows !== 100)
      throw new Error(`The filtered page returned ${filteredRows} rows; the benchmark data does not match its filter.`)
    const filteredFirst = await time(() => store.decisions.query(busiest, filter, { limit: 100 }))
    const unfilteredFirst = await time(() => store.decisions.query(busiest, {}, { limit: 100 }))
    // The cursor of page 5,000 is the row just before it; find it once, outside the timing.
    const before = bench.db
      .prepare(
        'SELECT occurred_at AS occurredAt, id FROM decision_history WHERE user_id = ? ORDER BY occurred_at DESC, id DESC LIMIT 1 OFFSET ?',
      )
      .get(busiest, 4999 * 100 - 1) as { occurredAt: string; id: string } | undefined
    if (!before) throw new Error('Not enough rows for page 5,000; raise BENCH_ROWS.')
    const { encodeCursor } = await import('../../src/main/core/platform/store/repositories/decision-history')
    const cursor = encodeCursor(before)
    const deepPage = await time(() => store.decisions.query(busiest, {}, { cursor, limit: 100 }))
    const deepRows = (await store.decisions.query(busiest, {}, { cursor, limit: 100 })).rows.length

    log('Exporting every user’s history to CSV…')
    const file = join(bench.dir, 'export.csv')
    const out = createWriteStream(file)
    const baseline = process.memoryUsage()
    let peakRss = baseline.rss
    let peakHeap = baseline.heapUsed
    const sampler = setInterval(() => {
      const now = process.memoryUsage()
      peakRss = Math.max(peakRss, now.rss)
      peakHeap = Math.max(peakHeap, now.heapUsed)
    }, 20)
    const exportStart = process.hrtime.bigint()
    let exported = 0
    for (const user of users) exported += await store.decisions.exportCsv(user.id, {}, out)
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())))
    const exportMs = elapsedMs(exportStart)
    clearInterval(sampler)

    const result = {
      rows: ROWS,
      samples: SAMPLES,
      filteredFirstPage: filteredFirst,
      firstPage: unfilteredFirst,
      deepPage5000: { ...deepPage, rows: deepRows },
      deepToFirstRatio: +(deepPage.p95Ms / unfilteredFirst.p95Ms).toFixed(2),
      targets: { p95Ms: 5, deepToFirstRatio: 2 },
      csvExport: {
        rows: exported,
        seconds: +(exportMs / 1000).toFixed(2),
        rowsPerSecond: Math.round(exported / (exportMs / 1000)),
        fileMiB: +(statSync(file).size / 1048576).toFixed(1),
        peakRssMiB: +(peakRss / 1048576).toFixed(0),
        peakRssGrowthMiB: +((peakRss - baseline.rss) / 1048576).toFixed(0),
        peakHeapMiB: +(peakHeap / 1048576).toFixed(0),
      },
    }
    if (!json) {
      console.log(`Decision history, ${ROWS.toLocaleString('en')} rows (SQLite), ${SAMPLES} samples each:`)
      console.log(
        `  filtered first page (symbol + actions)  median ${result.filteredFirstPage.medianMs} ms  p95 ${result.filteredFirstPage.p95Ms} ms`,
      )
      console.log(
        `  first page                              median ${result.firstPage.medianMs} ms  p95 ${result.firstPage.p95Ms} ms`,
      )
      console.log(
        `  page 5,000 (keyset)                     median ${result.deepPage5000.medianMs} ms  p95 ${result.deepPage5000.p95Ms} ms  (${result.deepToFirstRatio}× the first page)`,
      )
      console.log(
        `  CSV export of ${exported.toLocaleString('en')} rows: ${result.csvExport.rowsPerSecond.toLocaleString('en')} rows/s, ${result.csvExport.fileMiB} MiB, peak RSS ${result.csvExport.peakRssMiB} MiB (+${result.csvExport.peakRssGrowthMiB} MiB), peak heap ${result.csvExport.peakHeapMiB} MiB`,
      )
    }
    console.log(JSON.stringify(result))
  } finally {
    bench.dispose()
  }
}

void main()
