// npm run bench:backtest: 1,000,000 one-minute candles through the EMA crossover with paper fills
// (runBacktest: strategy, fills, exits, statistics and chart series), against the same
// indicators computed alone in a plain loop over the same candles, in the same run.
// npm runs it bundled, as the app ships its main process, rather than through tsx's loader.
import { runBacktest } from '../../src/main/core/domains/backtests/engine'
import { syntheticCandles } from '../../src/main/core/domains/backtests/candle-sources'
import { DEFAULT_BACKTEST_COSTS } from '../../src/main/core/domains/backtests/backtest-service'
import {
  configSchemaOf,
  type CommonConfig,
  type NumericCandle,
} from '../../src/main/core/domains/strategies/kinds/kind'
import { KindRegistry } from '../../src/main/core/domains/strategies/kinds/registry'
import type { Candle } from '../../src/main/core/platform/store/repositories/market-snapshots'

const CANDLES = Number(process.env.BENCH_CANDLES ?? 1_000_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const json = process.argv.includes('--json')
const log = (line: string) => {
  if (!json) process.stdout.write(`${line}\n`)
}

const kind = new KindRegistry().get('ema_crossover')!
const config = configSchemaOf(kind).parse({
  timeframe: '1m',
  seed: 7,
  startPrice: 30_000,
  orderSize: '0.1',
}) as CommonConfig & Record<string, unknown>

// The candles exist before either side is timed: both read the same array.
const candles: Candle[] = [
  ...syntheticCandles({
    source: 'synthetic',
    symbol: 'BENCH',
    timeframe: '1m',
    seed: 7,
    candles: CANDLES,
    from: '2026-01-01T00:00:00.000Z',
    startPrice: 30_000,
    priceDecimals: 2,
  }),
]

function indicatorsAlone(): number {
  const started = performance.now()
  const indicators = kind.indicators(config)
  for (const candle of candles) {
    const numeric: NumericCandle = {
      ts: candle.ts,
      open: Number(candle.open),
      high: Number(candle.high),
      low: Number(candle.low),
      close: Number(candle.close),
      volume: Number(candle.volume),
    }
    indicators.update(numeric)
  }
  return performance.now() - started
}

async function backtest(): Promise<{ ms: number; trades: number }> {
  const started = performance.now()
  const result = await runBacktest({ kind, config, candles, costs: DEFAULT_BACKTEST_COSTS, startingEquity: '10000' })
  return { ms: performance.now() - started, trades: result.trades.length }
}

async function main() {
  log(
    `bench:backtest: ${CANDLES.toLocaleString('en-US')} one-minute candles, EMA crossover, ${ROUNDS} rounds (best of each)`,
  )
  let alone = Infinity
  let full = Infinity
  let trades = 0
  let peakRss = process.memoryUsage().rss
  for (let round = 0; round < ROUNDS; round++) {
    alone = Math.min(alone, indicatorsAlone())
    const run = await backtest()
    full = Math.min(full, run.ms)
    trades = run.trades
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }
  const result = {
    candles: CANDLES,
    trades,
    indicatorsAloneMs: Math.round(alone),
    backtestMs: Math.round(full),
    candlesPerSecond: Math.round(CANDLES / (full / 1000)),
    ratioToIndicators: Number((full / alone).toFixed(2)),
    peakRssMiB: Math.round(peakRss / 1048576),
  }
  log(`  indicators alone   ${result.indicatorsAloneMs} ms`)
  log(
    `  backtest           ${result.backtestMs} ms (${result.candlesPerSecond.toLocaleString('en-US')} candles/s, ${trades} trades)`,
  )
  log(
    `  ratio              ${result.ratioToIndicators}× the indicators alone (target ≤ 2×); target ≥ 250,000 candles/s`,
  )
  log(`  peak RSS           ${result.peakRssMiB} MiB (the candles array included)`)
  if (json) process.stdout.write(JSON.stringify(result) + '\n')
}

void main()
