import { parentPort, workerData } from 'node:worker_threads'
import type { Candle } from '../../../platform/store/repositories/market-snapshots'
import { pushedFeed, replayFeed, type MarketFeed } from '../feeds/feed'
import { syntheticFeed } from '../feeds/synthetic'
import { configSchemaOf, numericCandle, type AnyStrategyKind, type CommonConfig } from '../kinds/kind'
import { KindRegistry, BUILT_IN_KINDS } from '../kinds/registry'
import { createStrategyRunner } from '../strategy-runner'
import { standardIndicatorSet } from '../rules/rule-indicators'
import { dueAt } from './pacing'
import type { BatchItem, FromWorker, ToWorker, WorkerStart } from './protocol'
import { errorMessage } from '../../../../../shared/errors'

const MAX_BATCH = 1000
/** A batch is sent at least this often, so the database and the UI see a steady flow. */
const SLICE_MS = 50

const port = parentPort
if (!port) throw new Error('The strategy worker must run in a worker thread.')
const start = workerData as WorkerStart
const send = (message: FromWorker) => port.postMessage(message)

let acknowledged: (() => void) | null = null
const pushed = start.feed.source === 'pushed' ? pushedFeed(start.feed.intervalMs) : null
port.on('message', (message: ToWorker) => {
  if (message.type === 'ack') acknowledged?.()
  if (message.type === 'candles') pushed?.push(message.candles)
})
const sent = (message: FromWorker) =>
  new Promise<void>((resolve) => {
    acknowledged = resolve
    send(message)
  })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(1, ms)))

function loadKind(): AnyStrategyKind {
  const kinds = [...BUILT_IN_KINDS]
  for (const path of start.kindModules) {
    // The worker is CommonJS (bundled, or compiled by tsx in tests); require also honours tsx's hook for .ts kinds.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(path) as { kinds: AnyStrategyKind[] }
    kinds.push(...module.kinds)
  }
  const kind = new KindRegistry(kinds).get(start.kind)
  if (!kind) throw new Error(`No strategy kind named ${start.kind}.`)
  return kind
}

function feedFor(): MarketFeed {
  const spec = start.feed
  if (spec.source === 'synthetic') return syntheticFeed(spec)
  if (spec.source === 'replay') return replayFeed(spec.candles, spec.intervalMs)
  return pushed as MarketFeed
}

async function run(): Promise<void> {
  const kind = loadKind()
  const runner = createStrategyRunner(
    kind,
    configSchemaOf(kind).parse(start.config) as CommonConfig & Record<string, unknown>,
    standardIndicatorSet(),
  )
  for (const candle of start.warmup) runner.warm(numericCandle(candle))
  const feed = feedFor()
  let pending: Candle | null = null
  for (;;) {
    const items: BatchItem[] = []
    const sliceEnds = Date.now() + SLICE_MS
    let finished = false
    while (items.length < MAX_BATCH) {
      // A pushed feed waits for the market: what this batch holds goes out first.
      if (!pending && items.length > 0 && feed.ready && !feed.ready()) break
      const next: Candle | null = pending ?? (await feed.next())
      if (!next) {
        finished = true
        break
      }
      const due = dueAt(next.ts, feed.intervalMs)
      if (due > Date.now()) {
        pending = next
        break
      }
      pending = null
      let outcome
      try {
        outcome = runner.onCandle(numericCandle(next))
      } catch (error) {
        send({
          type: 'fault',
          message: errorMessage(error),
          stack: error instanceof Error ? (error.stack ?? null) : null,
          candleTs: next.ts,
        })
        return
      }
      items.push({ candle: next, ...outcome })
      if (Date.now() >= sliceEnds) break
    }
    if (items.length > 0) await sent({ type: 'batch', items })
    if (finished) {
      send({ type: 'finished' })
      return
    }
    // Measured after the acknowledgement: the main thread's time on the last batch must not delay the next candle.
    const wait = pending ? dueAt(pending.ts, feed.intervalMs) - Date.now() : 0
    if (wait > 0) await sleep(Math.min(wait, 1000))
  }
}

send({ type: 'heartbeat', at: new Date().toISOString() })
// The heartbeat comes from this thread's own event loop: a strategy stuck in a loop stops it, and the instance shows as stale.
setInterval(() => send({ type: 'heartbeat', at: new Date().toISOString() }), start.heartbeatMs)
run().catch((error: unknown) => {
  send({
    type: 'fault',
    message: errorMessage(error),
    stack: error instanceof Error ? (error.stack ?? null) : null,
    candleTs: null,
  })
})
