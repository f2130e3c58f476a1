import type { Candle } from '../../src/main/core/platform/store/repositories/market-snapshots'
import { syntheticFeed } from '../../src/main/core/domains/strategies/feeds/synthetic'
import { TIMEFRAME_MS, type Timeframe } from '../../src/main/core/domains/strategies/feeds/feed'
import { atLiveEdge } from '../../src/main/core/domains/strategies/candle-processor'
import { configSchemaOf, numericCandle, type CommonConfig } from '../../src/main/core/domains/strategies/kinds/kind'
import { KindRegistry } from '../../src/main/core/domains/strategies/kinds/registry'
import { createStrategyRunner } from '../../src/main/core/domains/strategies/strategy-runner'
import { approvalDeadline, entryRange, staleness } from '../../src/main/core/domains/trading/idea-staleness'
import { syntheticMarketOf } from '../../src/main/core/domains/strategies/feeds/synthetic-markets'

export type Ending = 'entry range' | 'stop or target' | 'candle count' | 'deadline' | 'superseded' | 'still waiting'

export interface QueuedIdea {
  /** Milliseconds from Start to the moment the idea joined the queue. */
  proposedAfterMs: number
  /** Milliseconds it could be approved. */
  lifetimeMs: number
  ending: Ending
}

export interface StartOutcome {
  /** Milliseconds from Start to the first idea in the queue; null when none came within the horizon. */
  firstIdeaMs: number | null
  ideas: QueuedIdea[]
}

export interface QueueScenario {
  kind: string
  /** What the new-instance form sends when the trader changes nothing, plus any overrides. */
  config: Record<string, unknown>
  /** How long after Start each simulated session runs. */
  horizonMs: number
}

interface Waiting {
  direction: 'long' | 'short'
  stopLoss: string
  takeProfit: string
  entryRangeLow: string
  entryRangeHigh: string
  candleTs: string
  proposedAt: number
  expiresAt: number
}

const kinds = new KindRegistry()

/**
 * One Start of a paper instance on the synthetic market, walked candle by
 * candle through the code the desk runs: the same feed (seeded by its start,
 * as prepareFeed starts it), the same strategy runner, the live-edge rule,
 * the entry range, the deadline and the staleness checks the candle processor
 * applies. Time is the candles' own, so an hour of market takes milliseconds.
 * A waiting idea ends at the first of: a candle that makes it stale, its
 * deadline (the background expiry), or the next idea of the instance.
 */
export function simulateStart(scenario: QueueScenario, startedAt: number): StartOutcome {
  const kind = kinds.get(scenario.kind)
  if (!kind) throw new Error(`No strategy kind ${scenario.kind}`)
  const config = configSchemaOf(kind).parse(scenario.config) as CommonConfig & Record<string, unknown>
  const intervalMs = TIMEFRAME_MS[config.timeframe as Timeframe]
  const firstTs = Math.floor(startedAt / intervalMs) * intervalMs - config.history * intervalMs
  const feed = syntheticFeed({
    symbol: 'BTC-USD',
    timeframe: config.timeframe,
    intervalMs,
    seed: config.seed,
    startMs: firstTs,
    startPrice: config.startPrice ?? syntheticMarketOf('BTC-USD').startPrice,
    priceDecimals: config.priceDecimals,
  })
  const runner = createStrategyRunner(kind, config)
  const price = (value: number) => value.toFixed(config.priceDecimals)
  const ideas: QueuedIdea[] = []
  let waiting: Waiting | null = null
  const end = (at: number, ending: Ending) => {
    if (!waiting) return
    ideas.push({
      proposedAfterMs: waiting.proposedAt - startedAt,
      lifetimeMs: Math.max(0, at - waiting.proposedAt),
      ending,
    })
    waiting = null
  }
  for (;;) {
    const candle = feed.next() as Candle
    const closesAt = Date.parse(candle.ts) + intervalMs
    // A closed candle is processed at once; one still forming is processed when it closes.
    const seenAt = Math.max(startedAt, closesAt)
    if (seenAt - startedAt > scenario.horizonMs) break
    const { ideas: signals } = runner.onCandle(numericCandle(candle))
    if (waiting && waiting.expiresAt <= seenAt) end(waiting.expiresAt, 'deadline')
    if (waiting && candle.ts > waiting.candleTs) {
      const waited = Math.round((Date.parse(candle.ts) - Date.parse(waiting.candleTs)) / intervalMs)
      const stale = staleness({ ...waiting }, candle, waited, config.ideaExpiryCandles)
      if (stale)
        end(
          seenAt,
          stale.action === 'idea_expired'
            ? 'candle count'
            : stale.rationale.includes('entry range')
              ? 'entry range'
              : 'stop or target',
        )
    }
    if (signals.length === 0 || !atLiveEdge(candle.ts, intervalMs, new Date(seenAt))) continue
    for (const signal of signals) {
      end(seenAt, 'superseded')
      const range = entryRange(signal.entry, signal.stopLoss, config.entryToleranceR)
      waiting = {
        direction: signal.direction,
        stopLoss: price(signal.stopLoss),
        takeProfit: price(signal.takeProfit),
        entryRangeLow: price(range.low),
        entryRangeHigh: price(range.high),
        candleTs: candle.ts,
        proposedAt: seenAt,
        expiresAt: approvalDeadline(
          candle.ts,
          intervalMs,
          config.ideaExpiryCandles,
          new Date(seenAt),
          config.ideaExpiryMinutes,
        ).getTime(),
      }
    }
  }
  if (waiting) end(startedAt + scenario.horizonMs, 'still waiting')
  return { firstIdeaMs: ideas[0]?.proposedAfterMs ?? null, ideas }
}
