import type { IdeaMark, IdeaVenue } from '../../../../shared/contract'
import { EXCHANGES, isExchangeId } from '../exchanges/registry'
import type { Repositories } from '../../platform/store/store'
import type { TradeIdea } from '../../platform/store/repositories/trade-ideas'

/** Where an idea trades: its strategy instance's venue, else paper (an idea proposed by hand). */
export async function ideaVenue(
  store: Repositories,
  userId: string,
  idea: Pick<TradeIdea, 'strategyId'>,
): Promise<IdeaVenue> {
  const strategy = idea.strategyId ? await store.strategies.get(userId, idea.strategyId) : null
  if (!strategy || strategy.environment === 'paper') return { broker: 'paper', environment: 'paper', label: 'Paper' }
  return {
    broker: strategy.broker,
    environment: strategy.environment,
    label: isExchangeId(strategy.broker) ? EXCHANGES[strategy.broker].label : strategy.broker,
  }
}

/**
 * The last closed price of each idea's market, read from the series its
 * strategy stored the idea's candle in: what the trader compares with the
 * entry range while the idea waits.
 */
export async function ideaMarks(
  store: Repositories,
  ideas: readonly Pick<TradeIdea, 'id' | 'snapshotId'>[],
): Promise<IdeaMark[]> {
  const latest = new Map<string, { price: string; at: string } | null>()
  const marks: IdeaMark[] = []
  for (const idea of ideas) {
    const snapshot = idea.snapshotId ? await store.marketSnapshots.get(idea.snapshotId) : null
    if (!snapshot) {
      marks.push({ id: idea.id, price: null, at: null })
      continue
    }
    const series = `${snapshot.symbol}\u0000${snapshot.timeframe}`
    if (!latest.has(series)) {
      const [last] = await store.marketSnapshots.lastCandles(snapshot.symbol, snapshot.timeframe, 1)
      latest.set(series, last ? { price: last.close, at: last.ts } : null)
    }
    const mark = latest.get(series)
    marks.push({ id: idea.id, price: mark?.price ?? null, at: mark?.at ?? null })
  }
  return marks
}
