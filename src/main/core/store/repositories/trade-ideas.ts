import type { Kysely, Selectable } from 'kysely'
import type { StoreSchema, TradeIdeasTable } from '../schema'
import { decimal, newId } from '../values'
import type { TradeIdea, TradeIdeaStatus } from '../../../../shared/domain'

export { TRADE_IDEA_STATUSES, type TradeIdea, type TradeIdeaStatus } from '../../../../shared/domain'

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

const fromRow = (row: Selectable<TradeIdeasTable>): TradeIdea => ({ ...row, direction: row.direction as TradeIdea['direction'], status: row.status as TradeIdeaStatus })

const optionalDecimal = (value: string | null | undefined) => (value === null || value === undefined ? null : decimal(value))

export function tradeIdeasRepository(db: Kysely<StoreSchema>) {
  return {
    async create(userId: string, input: NewTradeIdea): Promise<TradeIdea> {
      const id = newId()
      await db
        .insertInto('tradeIdeas')
        .values({
          id,
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
        })
        .execute()
      return (await this.get(userId, id)) as TradeIdea
    },
    async get(userId: string, id: string): Promise<TradeIdea | null> {
      const row = await db.selectFrom('tradeIdeas').selectAll().where('userId', '=', userId).where('id', '=', id).executeTakeFirst()
      return row ? fromRow(row) : null
    },
    /** Newest first. */
    async list(userId: string, filter: { statuses?: TradeIdeaStatus[]; limit?: number } = {}): Promise<TradeIdea[]> {
      let query = db.selectFrom('tradeIdeas').selectAll().where('userId', '=', userId)
      if (filter.statuses?.length) query = query.where('status', 'in', filter.statuses)
      return (await query.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(filter.limit ?? 200).execute()).map(fromRow)
    },
    /**
     * Moves an idea from one status to another only if it is still in `from`:
     * two windows deciding the same idea cannot both win. Returns null when it was not.
     */
    async transition(
      userId: string,
      id: string,
      change: { from: TradeIdeaStatus[]; to: TradeIdeaStatus; decidedAt?: string; decidedBy?: string; decisionNote?: string | null },
    ): Promise<TradeIdea | null> {
      const result = await db
        .updateTable('tradeIdeas')
        .set({
          status: change.to,
          ...(change.decidedAt ? { decidedAt: change.decidedAt } : {}),
          ...(change.decidedBy ? { decidedBy: change.decidedBy } : {}),
          ...(change.decisionNote !== undefined ? { decisionNote: change.decisionNote } : {}),
        })
        .where('userId', '=', userId)
        .where('id', '=', id)
        .where('status', 'in', change.from)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1 ? this.get(userId, id) : null
    },
  }
}
