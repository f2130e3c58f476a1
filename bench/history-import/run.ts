// npm run bench:import -- [--json]: BENCH_TRADES (default 100,000) closed Freqtrade trades, each with its
// entry and exit order, imported by `importHistory` (sha256, read, validate, dedupe, pre-import backup, one
// transaction, decision row), against raw prepared-statement inserts of the same orders, fills and trades
// into an identical fresh database, in the same run.
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { openCore } from '../../src/main/core/wiring/app'
import { stopBackupWorkers } from '../../src/main/core/platform/backups/worker-pool'
import { readFreqtradeDatabase } from '../../src/main/core/domains/imports/freqtrade-reader'
import { importHistory } from '../../src/main/core/domains/imports/history-import'
import { newId } from '../../src/main/core/platform/store/values'
import { humanActor, newRowsOf } from '../../src/shared/domain'
import { writeFreqtradeDatabase } from '../../tests/helpers/freqtrade-db'
import { makeTempDir } from '../../tests/helpers/temp-dir'
import { elapsedMs, freshDatabase } from '../shared/fresh-database'

const TRADES = Number(process.env.BENCH_TRADES ?? 100_000)
const json = process.argv.includes('--json')
const log = (line: string) => {
  if (!json) process.stdout.write(`${line}\n`)
}
const USER_ID = '00000000-0000-7000-8000-00000000b101'

async function rawInserts(source: string): Promise<{ ms: number; rows: number }> {
  const records = (await readFreqtradeDatabase(source, 'bench')).records
  const bench = await freshDatabase('import-raw')
  try {
    const { db } = bench
    db.prepare("INSERT INTO users (id, display_name) VALUES (?, 'Bench')").run(USER_ID)
    const order = db.prepare(
      'INSERT INTO orders (id, user_id, broker, environment, broker_order_id, symbol, side, type, quantity, limit_price, stop_price, status, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    const fill = db.prepare(
      'INSERT INTO fills (id, user_id, order_id, broker, broker_fill_id, symbol, side, quantity, price, fee, fee_currency, metadata, filled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    const trade = db.prepare(
      'INSERT INTO trades (id, user_id, broker, broker_trade_id, symbol, direction, quantity, entry_price, exit_price, realized_pnl, fees, exit_reason, metadata, opened_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    let rows = 0
    const started = process.hrtime.bigint()
    db.transaction(() => {
      for (const record of records) {
        for (const o of record.orders) {
          const orderId = newId()
          order.run(
            orderId,
            USER_ID,
            o.broker,
            o.environment,
            o.brokerOrderId,
            o.symbol,
            o.side,
            o.type,
            o.quantity,
            o.limitPrice,
            o.stopPrice,
            o.status,
            JSON.stringify(o.metadata),
            o.createdAt,
            o.fill?.filledAt ?? o.createdAt,
          )
          rows++
          if (o.fill) {
            fill.run(
              newId(),
              USER_ID,
              orderId,
              o.broker,
              o.brokerOrderId,
              o.symbol,
              o.side,
              o.fill.quantity,
              o.fill.price,
              o.fill.fee,
              o.fill.feeCurrency,
              JSON.stringify({ source: o.metadata.source }),
              o.fill.filledAt,
            )
            rows++
          }
        }
        const t = record.trade
        if (!t) continue
        trade.run(
          newId(),
          USER_ID,
          t.broker,
          t.brokerTradeId,
          t.symbol,
          t.direction,
          t.quantity,
          t.entryPrice,
          t.exitPrice,
          t.realizedPnl,
          t.fees,
          t.exitReason,
          JSON.stringify(t.metadata),
          t.openedAt,
          t.closedAt,
        )
        rows++
      }
    })()
    return { ms: elapsedMs(started), rows }
  } finally {
    bench.dispose()
  }
}

async function main() {
  const temp = makeTempDir('tradedeck-bench-import-')
  try {
    const source = join(temp.path, 'tradesv3.sqlite')
    writeFreqtradeDatabase(
      source,
      Array.from({ length: TRADES }, (_, i) => ({
        id: i + 1,
        pair: `P${i % 200}/USDT`,
        openDate: new Date(Date.UTC(2023, 0, 1) + i * 60_000).toISOString().replace('T', ' ').replace('Z', ''),
      })),
    )
    const raw = await rawInserts(source)

    const core = openCore({ dataDir: join(temp.path, 'desk'), host: 'cli', appVersion: 'bench' })
    try {
      await core.start()
      const user = core.context.profileId as string
      // How long the core's thread is held at a time: what a window waiting for an answer feels.
      const stalls = monitorEventLoopDelay({ resolution: 10 })
      stalls.enable()
      const started = process.hrtime.bigint()
      const report = await importHistory(core.context, core.services.backups, {
        path: source,
        userId: user,
        actor: humanActor(user),
        dryRun: false,
      })
      const importMs = elapsedMs(started)
      stalls.disable()
      const rows = newRowsOf(report)
      const result = {
        trades: TRADES,
        rows,
        rawInsertMs: Math.round(raw.ms),
        importMs: Math.round(importMs),
        ratio: Number((importMs / raw.ms).toFixed(2)),
        importRowsPerSecond: Math.round(rows / (importMs / 1000)),
        longestStallMs: Math.round(stalls.max / 1e6),
        p99StallMs: Math.round(stalls.percentile(99) / 1e6),
      }
      if (raw.rows !== rows) throw new Error(`The baseline wrote ${raw.rows} rows and the import ${rows}.`)
      log(
        `History import: ${TRADES.toLocaleString('en-US')} closed Freqtrade trades, ${rows.toLocaleString('en-US')} rows (orders, fills, trades)`,
      )
      log(`  raw prepared inserts, one transaction : ${result.rawInsertMs} ms`)
      log(
        `  tradedeck import                      : ${result.importMs} ms = ${result.ratio}× (target ≤ 2×), ${result.importRowsPerSecond.toLocaleString('en-US')} rows/s, sha256, read, checks, dedupe, backup and decision row included`,
      )
      log(
        `  core's thread held at most             : ${result.longestStallMs} ms at a time (p99 ${result.p99StallMs} ms)`,
      )
      if (json) process.stdout.write(JSON.stringify(result) + '\n')
    } finally {
      core.close()
    }
  } finally {
    temp.remove()
    await stopBackupWorkers()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
