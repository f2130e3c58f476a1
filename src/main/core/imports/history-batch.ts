import type { Environment } from '../../../shared/domain'
import type { ImportIssue, ImportReport, ImportTable } from '../../../shared/domain'
import type { OrderStatus, Side, Trade } from '../store/repositories/execution'

/** A fill as a source recorded it: the amount that traded, at what price, for what fee. */
export interface ImportedFill {
  quantity: string
  price: string
  fee: string
  feeCurrency: string | null
  filledAt: string
}

export interface ImportedOrder {
  /** The exchange's order id: its natural key, when the source has one. */
  brokerOrderId: string | null
  broker: string
  environment: Environment
  symbol: string
  side: Side
  type: 'market' | 'limit' | 'stop' | 'stop_limit'
  quantity: string
  limitPrice: string | null
  stopPrice: string | null
  status: OrderStatus
  createdAt: string
  metadata: Record<string, unknown>
  fill: ImportedFill | null
}

/** A closed trade as the desk records it, with the natural key it had in the source (kept in trades.broker_trade_id, so importing the file again adds nothing). */
export type ImportedTrade = Omit<
  Trade,
  'id' | 'userId' | 'strategyId' | 'positionId' | 'tradeIdeaId' | 'importedFrom'
> & {
  brokerTradeId: string
  metadata: Record<string, unknown>
}

/** A position another system still held open when it wrote the file; its natural key goes in positions.broker_position_id. */
export interface ImportedPosition {
  brokerPositionId: string
  broker: string
  environment: Environment
  symbol: string
  direction: 'long' | 'short'
  quantity: string
  averagePrice: string
  stopLoss: string | null
  takeProfit: string | null
  openedAt: string
  metadata: Record<string, unknown>
}

/**
 * What one source record becomes, imported together or not at all: a closed trade
 * and the orders that opened and closed it, an order on its own (with its fill, if
 * it traded), or an open position. Its natural key is the trade's, else the
 * position's, else its orders' exchange ids.
 */
export interface ImportRecord {
  where: string
  trade: ImportedTrade | null
  orders: ImportedOrder[]
  position: ImportedPosition | null
}

export type HistoryTable = Extract<ImportTable, 'orders' | 'fills' | 'trades' | 'positions'>

/** What a reader made of a file: the records it could map, and what it could not. */
export interface HistoryBatch {
  /** The tables this format writes, and so reports on. */
  tables: HistoryTable[]
  records: ImportRecord[]
  issues: ImportIssue[]
  invalid: Partial<Record<HistoryTable, number>>
  skipped: ImportReport['skipped']
}

export class ImportFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ImportFileError'
  }
}

/** Counts a record that cannot be imported against every table it would have written to. */
export function countInvalid(batch: HistoryBatch, rows: Partial<Record<HistoryTable, number>>): void {
  for (const [table, count] of Object.entries(rows) as [HistoryTable, number][])
    batch.invalid[table] = (batch.invalid[table] ?? 0) + count
}
