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
export type ImportedTrade = Omit<Trade, 'id' | 'userId' | 'strategyId' | 'positionId' | 'tradeIdeaId' | 'importedFrom'> & {
  brokerTradeId: string
  metadata: Record<string, unknown>
}

/** One closed trade and the orders that opened and closed it: imported together or not at all. */
export interface ImportRecord {
  where: string
  trade: ImportedTrade
  orders: ImportedOrder[]
}

/** What a reader made of a file: the records it could map, and what it could not. */
export interface HistoryBatch {
  records: ImportRecord[]
  issues: ImportIssue[]
  invalid: Record<ImportTable, number>
  skipped: ImportReport['skipped']
}

export class ImportFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ImportFileError'
  }
}
