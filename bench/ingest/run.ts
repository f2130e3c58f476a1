// npm run bench:ingest: 1,000,000 candles through the repository vs raw prepared statements, same run.
import { sqliteStoreDb } from '../../src/main/core/platform/store/connection'
import type { Candle } from '../../src/main/core/platform/store/repositories/market-snapshots'
import { createStore } from '../../src/main/core/platform/store/store'
import { elapsedMs, freshDatabase } from '../shared/fresh-database'
import { candleId } from '../../src/main/core/platform/store/values'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const json = process.argv.includes('--json')

function candles(): Candle[] {
  const start = Date.UTC(2024, 0, 1)
  return Array.from({ length: ROWS }, (_, i) => {
    const price = 30000 + (i % 1000)
    return {
      symbol: `SYM${i % 4}-PERP`,
      timeframe: '1m',
      ts: new Date(start + Math.floor(i / 4) * 60_000).toISOString(),
      open: `${price}.5`,
      high: `${price + 10}.25`,
      low: `${price - 10}.75`,
      close: `${price + 1}.125`,
      volume: `${(i % 500) + 1}.000001`,
    }
  })
}

async function throughRepository(data: Candle[]): Promise<number> {
  const bench = await freshDatabase('ingest-repo')
  try {
    const store = createStore(sqliteStoreDb(bench.db))
    const start = process.hrtime.bigint()
    const inserted = await store.transaction((tx) => tx.marketSnapshots.insertMany(data))
    const ms = elapsedMs(start)
    if (inserted !== data.length) throw new Error(`repository inserted ${inserted} of ${data.length}`)
    return ms
  } finally {
    bench.dispose()
  }
}

async function raw(data: Candle[]): Promise<number> {
  const bench = await freshDatabase('ingest-raw')
  try {
    const insert = bench.db.prepare(
      'INSERT INTO market_snapshots (id, symbol, timeframe, ts, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (symbol, timeframe, ts) DO NOTHING',
    )
    const start = process.hrtime.bigint()
    bench.db.transaction(() => {
      // The same ids the repository stores (shared market data is named by symbol, timeframe and time).
      for (const c of data)
        insert.run(
          candleId(c.symbol, c.timeframe, c.ts),
          c.symbol,
          c.timeframe,
          c.ts,
          c.open,
          c.high,
          c.low,
          c.close,
          c.volume,
        )
    })()
    return elapsedMs(start)
  } finally {
    bench.dispose()
  }
}

async function main() {
  const data = candles()
  const repo: number[] = []
  const direct: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      direct.push(await raw(data))
      repo.push(await throughRepository(data))
    } else {
      repo.push(await throughRepository(data))
      direct.push(await raw(data))
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number
  const result = {
    rows: ROWS,
    rounds: ROUNDS,
    repositoryMs: Math.round(median(repo)),
    rawMs: Math.round(median(direct)),
    repositoryRowsPerSecond: Math.round(ROWS / (median(repo) / 1000)),
    rawRowsPerSecond: Math.round(ROWS / (median(direct) / 1000)),
    ratio: +(median(repo) / median(direct)).toFixed(3),
    target: 1.3,
  }
  if (!json) {
    console.log(`Ingest of ${ROWS.toLocaleString('en')} candles in one transaction (SQLite), median of ${ROUNDS}:`)
    console.log(
      `  through the repository   ${result.repositoryMs} ms  (${result.repositoryRowsPerSecond.toLocaleString('en')} rows/s)`,
    )
    console.log(
      `  raw prepared statements  ${result.rawMs} ms  (${result.rawRowsPerSecond.toLocaleString('en')} rows/s)`,
    )
    console.log(`  ratio                    ${result.ratio} (target ≤ ${result.target})`)
  }
  console.log(JSON.stringify(result))
}

void main()
