import { v7 as uuidv7 } from 'uuid'
import type { SqliteDb } from '../../src/main/core/platform/db/sqlite'
import type { Store } from '../../src/main/core/platform/store/store'
import { paperTrading } from '../../src/main/core/domains/trading/paper-trading'

/**
 * A trader's day on one symbol through the real services: a strategy, an idea
 * approved by a person, its fill, the position, the trade closed at its
 * target, the account snapshots and every decision row in between.
 */
export async function tradeRound(store: Store, userId: string, symbol: string, startMs: number): Promise<void> {
  let clock = startMs
  const { service, broker } = paperTrading(store, userId, { now: () => new Date(clock) })
  const strategy = await store.strategies.create(userId, {
    strategyName: 'ema_crossover',
    instrument: symbol,
    environment: 'paper',
    config: { timeframe: '1m' },
  })
  const candle = (open: number, high: number, low: number, close: number) => {
    clock += 60_000
    return {
      symbol,
      timeframe: '1m',
      ts: new Date(clock).toISOString(),
      open: String(open),
      high: String(high),
      low: String(low),
      close: String(close),
      volume: '3',
    }
  }
  const first = candle(100, 100.5, 99.5, 100)
  await store.marketSnapshots.insertMany([first])
  const { idea } = await service.propose(userId, {
    strategyId: strategy.id,
    symbol,
    direction: 'long',
    entryPrice: '100',
    stopLoss: '98',
    takeProfit: '103.5',
    size: '0.5',
    confidence: 0.7,
    rationale: `EMA 12 crossed above EMA 26 on ${symbol}`,
  })
  await service.approve(userId, idea.id, 'looks right')
  for (const next of [candle(100, 100.2, 99.8, 100.1), candle(100.1, 104, 100, 103.9)]) {
    await store.marketSnapshots.insertMany([next])
    await broker.onCandle(next)
  }
}

/** Volume without the services: candles and decision rows written by SQL, the way a long-running desk accumulates them. */
export function seedBulkHistory(
  db: SqliteDb,
  userId: string,
  options: { candles: number; decisions: number; symbol?: string },
): void {
  const symbol = options.symbol ?? 'BULK-USD'
  const insertCandle = db.prepare(
    "INSERT INTO market_snapshots (id, symbol, timeframe, ts, open, high, low, close, volume) VALUES (?, ?, '1m', ?, '100.5', '101.25', '99.75', '100.125', '12.5')",
  )
  const insertDecision = db.prepare(
    'INSERT INTO decision_history (id, user_id, occurred_at, symbol, action, rationale, confidence, risk_check, actor) VALUES (?, ?, ?, ?, \'ai_proposed\', ?, 0.65, \'{"checks":["size","drawdown"],"ok":true}\', \'ai\')',
  )
  const start = Date.parse('2026-01-01T00:00:00.000Z')
  db.transaction(() => {
    for (let i = 0; i < options.candles; i++)
      insertCandle.run(uuidv7(), symbol, new Date(start + i * 60_000).toISOString())
    for (let i = 0; i < options.decisions; i++)
      insertDecision.run(uuidv7(), userId, new Date(start + i * 1_000).toISOString(), symbol, `seeded decision ${i}`)
  })()
}
