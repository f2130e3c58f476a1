// npm run bench:strategy: one EMA-crossover instance replays N candles through the runtime
// (worker thread, candle and indicator storage, risk engine, paper broker), against the
// same indicators computed alone in a plain loop over the same candles, in the same run.
import { CoreEvents } from '../../src/main/core/events'
import { TIMEFRAME_MS } from '../../src/main/core/strategies/feeds/feed'
import { syntheticFeed } from '../../src/main/core/strategies/feeds/synthetic'
import { configSchemaOf, type CommonConfig } from '../../src/main/core/strategies/kinds/kind'
import { KindRegistry } from '../../src/main/core/strategies/kinds/registry'
import { StrategyRuntime } from '../../src/main/core/strategies/runtime'
import { sqliteStoreDb } from '../../src/main/core/store/connection'
import type { Candle } from '../../src/main/core/store/repositories/market-snapshots'
import { createStore } from '../../src/main/core/store/store'
import { TradingRegistry } from '../../src/main/core/trading/trading-registry'
import { sourceWorkerEntry } from '../../tests/helpers/strategy-worker'
import { elapsedMs, freshDatabase } from '../shared/fresh-database'

const CANDLES = Number(process.env.BENCH_CANDLES ?? 1_000_000)
const json = process.argv.includes('--json')
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'approval,auto-execute').split(',') as Scenario[]
const log = (line: string) => {
  if (!json) process.stdout.write(`${line}\n`)
}

const kinds = new KindRegistry()
const kind = kinds.get('ema_crossover')!
const settings = { timeframe: '1m', history: CANDLES, replaySpeed: 100_000, seed: 7, startPrice: 30_000, orderSize: '0.1' }
const config = configSchemaOf(kind).parse(settings) as CommonConfig & Record<string, unknown>

type Scenario = 'auto-execute' | 'approval'

async function throughRuntime(scenario: Scenario): Promise<{ ms: number; ideas: number; trades: number; orders: number }> {
  const bench = await freshDatabase('strategy')
  try {
    const store = createStore(sqliteStoreDb(bench.db))
    const events = new CoreEvents()
    const runtime = new StrategyRuntime({ store: () => store, trading: new TradingRegistry(() => store, events), events, kinds, worker: sourceWorkerEntry })
    const user = await store.users.ensureDefault()
    // auto-execute: one trade at a time, so ideas meet every risk rule and the broker fills and closes real positions.
    // approval: the default config, where every idea waits for a person.
    if (scenario === 'auto-execute') await store.riskConfig.update(user.id, { aiTradingEnabled: true, minConfidenceThreshold: 0.6, maxConcurrentTrades: 1, maxLotSize: '1', watchlist: ['BENCH'] })
    const instance = await store.strategies.create(user.id, { strategyName: kind.name, instrument: 'BENCH', environment: 'paper', config })
    const series = `1m@sim-${instance.id}`
    const started = process.hrtime.bigint()
    await runtime.start(user.id, instance.id, { kind: 'system' })
    let stored = 0
    while (stored < CANDLES) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      stored = await store.marketSnapshots.count('BENCH', series)
      log(`  … ${stored.toLocaleString('en-US')} candles`)
    }
    const ms = elapsedMs(started)
    await runtime.terminateAll()
    const ideas = (await store.tradeIdeas.list(user.id, { limit: 1_000_000 })).length
    return { ms, ideas, trades: (await store.trades.all(user.id)).length, orders: (await store.orders.list(user.id, {})).length }
  } finally {
    bench.dispose()
  }
}

/** The same candles the runtime saw (same seed and start), as numbers, generated up front. */
function sameCandles(): { ts: string; open: number; high: number; low: number; close: number; volume: number }[] {
  const intervalMs = TIMEFRAME_MS['1m']
  const startMs = Math.floor(Date.now() / intervalMs) * intervalMs - CANDLES * intervalMs
  const feed = syntheticFeed({ symbol: 'BENCH', timeframe: '1m', intervalMs, seed: config.seed, startMs, startPrice: config.startPrice, priceDecimals: config.priceDecimals })
  return Array.from({ length: CANDLES }, () => {
    const c = feed.next() as Candle
    return { ts: c.ts, open: Number(c.open), high: Number(c.high), low: Number(c.low), close: Number(c.close), volume: Number(c.volume) }
  })
}

function plainLoop(candles: ReturnType<typeof sameCandles>): number {
  const started = process.hrtime.bigint()
  const indicators = kind.indicators(config)
  for (const candle of candles) indicators.update(candle)
  return elapsedMs(started)
}

async function main() {
  log(`Strategy runtime: ${CANDLES.toLocaleString('en-US')} candles through EMA crossover, risk engine and paper broker`)
  const baseline = plainLoop(sameCandles())
  const rate = (ms: number) => Math.round(CANDLES / (ms / 1000))
  const scenarios = []
  for (const scenario of SCENARIOS) {
    const run = await throughRuntime(scenario)
    scenarios.push({ scenario, runtimeMs: Math.round(run.ms), candlesPerSecond: rate(run.ms), overheadRatio: Number((run.ms / baseline).toFixed(1)), ideas: run.ideas, orders: run.orders, closedTrades: run.trades })
  }
  const result = { candles: CANDLES, indicatorsOnlyMs: Math.round(baseline), indicatorsOnlyCandlesPerSecond: rate(baseline), scenarios }
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`)
  else {
    log(`indicators alone: ${result.indicatorsOnlyMs} ms, ${result.indicatorsOnlyCandlesPerSecond.toLocaleString('en-US')} candles/s`)
    for (const run of scenarios) {
      log(`${run.scenario.padEnd(13)}: ${run.runtimeMs} ms, ${run.candlesPerSecond.toLocaleString('en-US')} candles/s, ${run.overheadRatio}× the indicators alone (target ≤ 3×); ${run.ideas} ideas, ${run.orders} orders, ${run.closedTrades} closed trades`)
    }
  }
}

void main()
