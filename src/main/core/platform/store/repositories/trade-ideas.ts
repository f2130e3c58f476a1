import type { Kysely, Selectable } from 'kysely'
import type { StoreSchema, TradeIdeasTable } from '../schema'
import { decimal, newId } from '../values'
import { compiledOnce } from './compiled-once'
import type { TradeIdea, TradeIdeaStatus } from '../../../../../shared/domain'

export { TRADE_IDEA_STATUSES, type TradeIdea, type TradeIdeaStatus } from '../../../../../shared/domain'

export interface NewTradeIdea {
  strategyId?: string | null
  symbol: string
  direction: 'long' | 'short'
  entryPrice: string
  entryRangeLow?: string | null
  entryRangeHigh?: string | null
  stopLoss: string
  takeProfit: string
  size: string
  expectedHold?: string | null
  rationale: string
  confidence: number
  status: TradeIdeaStatus
  snapshotId?: string | null
  expiresAt?: string | null
}

/** Moves an idea to `to` only if it is still in one of `from`. */
export interface StatusChange {
  from: TradeIdeaStatus[]
  to: TradeIdeaStatus
  decidedAt?: string
  decidedBy?: string
  decisionNote?: string | null
}

const fromRow = (row: Selectable<TradeIdeasTable>): TradeIdea => ({
  ...row,
  direction: row.direction as TradeIdea['direction'],
  status: row.status as TradeIdeaStatus,
})

const optionalDecimal = (value: string | null | undefined) =>
  value === null || value === undefined ? null : decimal(value)

export function tradeIdeasRepository(db: Kysely<StoreSchema>) {
  const run = compiledOnce(db)
  return {
    async create(userId: string, input: NewTradeIdea): Promise<TradeIdea> {
      const values = {
        id: newId(),
        userId,
        strategyId: input.strategyId ?? null,
        symbol: input.symbol,
        direction: input.direction,
        entryPrice: decimal(input.entryPrice),
        entryRangeLow: optionalDecimal(input.entryRangeLow),
        entryRangeHigh: optionalDecimal(input.entryRangeHigh),
        stopLoss: decimal(input.stopLoss),
        takeProfit: decimal(input.takeProfit),
        size: decimal(input.size),
        expectedHold: input.expectedHold ?? null,
        rationale: input.rationale,
        confidence: input.confidence,
        status: input.status,
        snapshotId: input.snapshotId ?? null,
        expiresAt: input.expiresAt ?? null,
        decidedAt: null,
        decidedBy: null,
        decisionNote: null,
      }
      const { rows } = await run('create', Object.values(values), () =>
        db.insertInto('tradeIdeas').values(values).returningAll(),
      )
      return fromRow(rows[0] as Selectable<TradeIdeasTable>)
    },
    async get(userId: string, id: string): Promise<TradeIdea | null> {
      const row = await db
        .selectFrom('tradeIdeas')
        .selectAll()
        .where('userId', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst()
      return row ? fromRow(row) : null
    },
    /** Instances' ideas waiting for approval, oldest first, each with the time of the candle it was proposed on (null when that candle is gone). */
    async waitingOf(
      userId: string,
      strategyIds: readonly string[],
    ): Promise<{ idea: TradeIdea; candleTs: string | null }[]> {
      if (strategyIds.length === 0) return []
      const rows = await db
        .selectFrom('tradeIdeas')
        .leftJoin('marketSnapshots', 'marketSnapshots.id', 'tradeIdeas.snapshotId')
        .selectAll('tradeIdeas')
        .select('marketSnapshots.ts as candleTs')
        .where('tradeIdeas.userId', '=', userId)
        .where('tradeIdeas.status', '=', 'needs_approval')
        .where('tradeIdeas.strategyId', 'in', strategyIds)
        .orderBy('tradeIdeas.createdAt')
        .execute()
      return rows.map(({ candleTs, ...row }) => ({ idea: fromRow(row), candleTs: candleTs ?? null }))
    },
    /** Ideas taken out of the queue by the desk (expired, invalidated, superseded), the most recently withdrawn first. */
    async recentlyWithdrawn(userId: string, limit: number): Promise<TradeIdea[]> {
      const rows = await db
        .selectFrom('tradeIdeas')
        .selectAll()
        .where('userId', '=', userId)
        .where('status', '=', 'expired')
        .where('decidedBy', '=', 'system')
        .orderBy('decidedAt', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
      return rows.map(fromRow)
    },
    /** Newest first. */
    async list(userId: string, filter: { statuses?: TradeIdeaStatus[]; limit?: number } = {}): Promise<TradeIdea[]> {
      let query = db.selectFrom('tradeIdeas').selectAll().where('userId', '=', userId)
      if (filter.statuses?.length) query = query.where('status', 'in', filter.statuses)
      return (
        await query
          .orderBy('createdAt', 'desc')
          .orderBy('id', 'desc')
          .limit(filter.limit ?? 200)
          .execute()
      ).map(fromRow)
    },
    /**
     * Moves an idea from one status to another only if it is still in `from`:
     * two windows deciding the same idea cannot both win. Returns null when it was not.
     */
    async transition(userId: string, id: string, change: StatusChange): Promise<TradeIdea | null> {
      return (await this.move(userId, id, change)) ? this.get(userId, id) : null
    },
    /** transition without reading the idea back: whether it moved. */
    async move(userId: string, id: string, change: StatusChange): Promise<boolean> {
      const set = {
        status: change.to,
        ...(change.decidedAt ? { decidedAt: change.decidedAt } : {}),
        ...(change.decidedBy ? { decidedBy: change.decidedBy } : {}),
        ...(change.decisionNote !== undefined ? { decisionNote: change.decisionNote } : {}),
      }
      const shape = `move:${Object.keys(set).join(',')}:${change.from.length}`
      const result = await run(shape, [...Object.values(set), userId, id, ...change.from], () =>
        db
          .updateTable('tradeIdeas')
          .set(set)
          .where('userId', '=', userId)
          .where('id', '=', id)
          .where('status', 'in', change.from),
      )
      return Number(result.numAffectedRows) === 1
    },
  }
}
