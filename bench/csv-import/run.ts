// npm run bench:candles -- [--json]: a candle CSV (BENCH_MB, default 100 MiB) imported by the app's streaming
// importer, against reading the whole file, splitting it and inserting with raw prepared statements, same run.
import { randomUUID } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { CoreEvents } from '../../src/main/core/platform/events'
import { CandleCsvReader } from '../../src/main/core/domains/market-data/csv-candle-lines'
import { importCandleCsvFile } from '../../src/main/core/domains/market-data/csv-candle-import'
import { sqliteStoreDb } from '../../src/main/core/platform/store/connection'
import { createStore } from '../../src/main/core/platform/store/store'
import { candleId } from '../../src/main/core/platform/store/values'
import { writeCandleCsvFile } from '../../tests/helpers/candle-csv'
import { elapsedMs, freshDatabase } from '../shared/fresh-database'

const MB = Number(process.env.BENCH_MB ?? 100)
const BYTES_PER_CANDLE = 62
const json = process.argv.includes('--json')
const mib = (bytes: number) => +(bytes / 1024 / 1024).toFixed(1)
const peakRss = () => process.resourceUsage().maxRSS * 1024

async function streaming(file: string): Promise<{ ms: number; candles: number }> {
  const bench = await freshDatabase('import-stream')
  try {
    const store = createStore(sqliteStoreDb(bench.db))
    const user = await store.users.ensureDefault()
    const start = process.hrtime.bigint()
    const result = await importCandleCsvFile(
      { store, events: new CoreEvents(), dataDir: bench.dir },
      { userId: user.id, path: file, symbol: 'BENCH-USD', timeframe: '1m', importId: randomUUID() },
    )
    return { ms: elapsedMs(start), candles: result.imported }
  } finally {
    bench.dispose()
  }
}

/** What an importer without streaming does: the whole file as one string, every line in an array. */
async function wholeFile(file: string): Promise<{ ms: number; candles: number }> {
  const bench = await freshDatabase('import-whole')
  try {
    const insert = bench.db.prepare(
      'INSERT INTO market_snapshots (id, symbol, timeframe, ts, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (symbol, timeframe, ts) DO NOTHING',
    )
    const start = process.hrtime.bigint()
    const lines = readFileSync(file, 'utf8').split('\n')
    const reader = new CandleCsvReader('BENCH-USD', '1m')
    let candles = 0
    bench.db.transaction(() => {
      for (const line of lines) {
        const outcome = reader.read(line)
        if (!outcome || 'error' in outcome) continue
        const c = outcome.candle
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
        candles++
      }
    })()
    return { ms: elapsedMs(start), candles }
  } finally {
    bench.dispose()
  }
}

async function main() {
  const dir = await freshDatabase('import-file')
  const file = join(dir.dir, 'candles.csv')
  await writeCandleCsvFile(file, Math.round((MB * 1024 * 1024) / BYTES_PER_CANDLE))
  const size = statSync(file).size
  // Peak memory only grows, so the streaming run goes first and each figure is the growth its run caused.
  const base = peakRss()
  const stream = await streaming(file)
  const afterStream = peakRss()
  const whole = await wholeFile(file)
  const afterWhole = peakRss()
  dir.dispose()
  if (stream.candles !== whole.candles) throw new Error(`imported ${stream.candles} and ${whole.candles} candles`)
  const result = {
    fileMiB: mib(size),
    candles: stream.candles,
    streamingMs: Math.round(stream.ms),
    wholeFileMs: Math.round(whole.ms),
    ratio: +(stream.ms / whole.ms).toFixed(2),
    streamingPeakGrowthMiB: mib(afterStream - base),
    wholeFilePeakGrowthMiB: mib(Math.max(0, afterWhole - afterStream)),
  }
  if (!json) {
    console.log(
      `Candle CSV import of ${result.fileMiB} MiB (${result.candles.toLocaleString('en')} candles), one transaction each:`,
    )
    console.log(
      `  streaming importer (two passes, checks every line first)  ${result.streamingMs} ms, peak memory +${result.streamingPeakGrowthMiB} MiB`,
    )
    console.log(
      `  whole file in memory, raw prepared statements             ${result.wholeFileMs} ms, peak memory +${result.wholeFilePeakGrowthMiB} MiB beyond that`,
    )
    console.log(`  ratio                                                     ${result.ratio}`)
  }
  console.log(JSON.stringify(result))
}

void main()
