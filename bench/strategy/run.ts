// npm run bench:strategy: forward running. 20 instances on one-second live candles, each proposing
// on every candle (the steady test kind), through the real runtime: worker threads, candle and
// indicator storage, the queue checks, the risk engine and the event that tells the renderer.
// It measures, per idea, the time from its candle's close to the moment the idea is committed in
// the queue and announced: p50 and p95 against a 50 ms target.
import { CoreEvents } from '../../src/main/core/platform/events'
import { KindRegistry, BUILT_IN_KINDS } from '../../src/main/core/domains/strategies/kinds/registry'
import { StrategyRuntime } from '../../src/main/core/domains/strategies/runtime'
import { sqliteStoreDb } from '../../src/main/core/platform/store/connection'
import { createStore } from '../../src/main/core/platform/store/store'
import { TradingRegistry } from '../../src/main/core/wiring/trading-registry'
import { sourceWorkerEntry } from '../../tests/helpers/strategy-worker'
import { kinds as testKinds, TEST_KINDS_MODULE } from '../../tests/helpers/test-kinds'
import { freshDatabase } from '../shared/fresh-database'

const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 20)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30)
const json = process.argv.includes('--json')
const log = (line: string) => {
  if (!json) process.stdout.write(`${line}\n`)
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

async function main() {
  const bench = await freshDatabase('strategy')
  const store = createStore(sqliteStoreDb(bench.db))
  const events = new CoreEvents()
  const kinds = new KindRegistry([...BUILT_IN_KINDS, ...testKinds])
  const runtime = new StrategyRuntime({
    store: () => store,
    trading: new TradingRegistry(() => store, events),
    events,
    kinds,
    worker: sourceWorkerEntry,
    kindModules: [TEST_KINDS_MODULE],
  })
  const user = await store.users.ensureDefault()
  const announced: { ideaId: string; at: number }[] = []
  events.subscribe((event, payload) => {
    const ideaId = event === 'ideas:changed' ? (payload as { ideaId: string | null }).ideaId : null
    if (ideaId) announced.push({ ideaId, at: Date.now() })
  })
  log(`bench:strategy: ${INSTANCES} instances on live 1 s candles for ${SECONDS} s, an idea on every candle`)
  const ids: string[] = []
  for (let i = 0; i < INSTANCES; i++) {
    const instance = await store.strategies.create(user.id, {
      strategyName: 'test_steady',
      instrument: `BENCH-${i}`,
      environment: 'paper',
      config: { timeframe: '1s', history: 300, every: 1, band: 0.05 },
    })
    await runtime.start(user.id, instance.id, { kind: 'system' })
    ids.push(instance.id)
  }
  // Worker threads start (and compile) first; the measurement begins once every instance has announced an idea.
  const warm = new Set<string>()
  while (warm.size < INSTANCES) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    for (const { ideaId } of announced.splice(0)) {
      const idea = await store.tradeIdeas.get(user.id, ideaId)
      if (idea?.strategyId) warm.add(idea.strategyId)
    }
  }
  const measureFrom = Date.now() + 1000
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000 + 1000))
  await runtime.terminateAll()
  // Each announced idea against the close of the candle it was proposed on.
  const latencies: number[] = []
  for (const { ideaId, at } of announced) {
    const idea = await store.tradeIdeas.get(user.id, ideaId)
    const candle = idea?.snapshotId ? await store.marketSnapshots.get(idea.snapshotId) : null
    const closedAt = candle ? Date.parse(candle.ts) + 1000 : 0
    if (candle && closedAt >= measureFrom) latencies.push(at - closedAt)
  }
  latencies.sort((a, b) => a - b)
  const result = {
    instances: INSTANCES,
    seconds: SECONDS,
    ideas: latencies.length,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    maxMs: latencies.at(-1) ?? NaN,
  }
  log(
    `  ${result.ideas} ideas announced; candle close → in the queue and announced: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms (target p95 < 50 ms), max ${result.maxMs} ms`,
  )
  if (json) process.stdout.write(JSON.stringify(result) + '\n')
  bench.dispose()
}

void main()
