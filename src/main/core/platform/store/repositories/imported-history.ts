import { nextTurn } from '../../next-turn'
import type { Kysely } from 'kysely'
import type { Fill, Order, Position, Trade } from './execution'
import type { StoreSchema } from '../schema'
import { decimal, newId, toJson } from '../values'
import { compiledOnce } from './compiled-once'

/** A fill as a source recorded it: the amount that traded, at what price, for what fee. */
export type ImportedFill = Pick<Fill, 'quantity' | 'price' | 'fee' | 'filledAt'> & { feeCurrency: string | null }

/** An order as a source recorded it; `brokerOrderId` (the exchange's id) is its natural key, when the source has one. */
export type ImportedOrder = Pick<
  Order,
  | 'brokerOrderId'
  | 'broker'
  | 'environment'
  | 'symbol'
  | 'side'
  | 'type'
  | 'quantity'
  | 'limitPrice'
  | 'stopPrice'
  | 'status'
  | 'createdAt'
  | 'metadata'
> & { fill: ImportedFill | null }

/** A closed trade as the desk records it, with the natural key it had in the source (kept in trades.broker_trade_id, so importing the file again adds nothing). */
export type ImportedTrade = Omit<
  Trade,
  'id' | 'userId' | 'strategyId' | 'positionId' | 'tradeIdeaId' | 'importedFrom'
> & {
  brokerTradeId: string
  metadata: Record<string, unknown>
}

/** A position another system still held open when it wrote the file; its natural key goes in positions.broker_position_id. */
export type ImportedPosition = Pick<
  Position,
  | 'broker'
  | 'environment'
  | 'symbol'
  | 'direction'
  | 'quantity'
  | 'averagePrice'
  | 'stopLoss'
  | 'takeProfit'
  | 'openedAt'
  | 'metadata'
> & { brokerPositionId: string }

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

// At most 18 columns per row: far below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
const ROWS_PER_INSERT = 500
const KEYS_PER_QUERY = 900

/** The items in slices of `size`, a turn of the event loop apart: the core answers other calls during a large import. */
async function* inTurns<T>(items: readonly T[], size: number): AsyncGenerator<T[]> {
  for (let start = 0; start < items.length; start += size) {
    if (start > 0) await nextTurn()
    yield items.slice(start, start + size)
  }
}

/** Trade history brought in from other systems: written in bulk, found again by its natural keys. */
export function importedHistoryRepository(db: Kysely<StoreSchema>) {
  const run = compiledOnce(db)
  const insertRows = async <Row extends Record<string, unknown>>(
    table: 'orders' | 'fills' | 'trades' | 'positions',
    rows: Row[],
  ) => {
    if (rows.length === 0) return
    for await (const chunk of inTurns(rows, ROWS_PER_INSERT)) {
      await run(
        `import:${table}:${chunk.length}`,
        chunk.flatMap((row) => Object.values(row)),
        () => db.insertInto(table).values(chunk as never),
      )
    }
  }
  return {
    /** Which of these source trade keys this profile already holds. */
    async existingTradeKeys(userId: string, keys: readonly string[]): Promise<Set<string>> {
      const found = new Set<string>()
      for await (const chunk of inTurns(keys, KEYS_PER_QUERY)) {
        const rows = await db
          .selectFrom('trades')
          .select('brokerTradeId')
          .where('userId', '=', userId)
          .where('brokerTradeId', 'in', chunk)
          .execute()
        for (const row of rows) if (row.brokerTradeId) found.add(row.brokerTradeId)
      }
      return found
    },
    /** Which of these source position keys this profile already holds. */
    async existingPositionKeys(userId: string, keys: readonly string[]): Promise<Set<string>> {
      const found = new Set<string>()
      for await (const chunk of inTurns(keys, KEYS_PER_QUERY)) {
        const rows = await db
          .selectFrom('positions')
          .select('brokerPositionId')
          .where('userId', '=', userId)
          .where('brokerPositionId', 'in', chunk)
          .execute()
        for (const row of rows) if (row.brokerPositionId) found.add(row.brokerPositionId)
      }
      return found
    },
    /** Exchange order ids already on this desk, per broker, whichever profile holds them (the id is unique per broker). */
    async existingOrderIds(orders: readonly Pick<ImportedOrder, 'broker' | 'brokerOrderId'>[]): Promise<Set<string>> {
      const byBroker = new Map<string, string[]>()
      for (const order of orders) {
        if (!order.brokerOrderId) continue
        const ids = byBroker.get(order.broker)
        if (ids) ids.push(order.brokerOrderId)
        else byBroker.set(order.broker, [order.brokerOrderId])
      }
      const found = new Set<string>()
      for (const [broker, ids] of byBroker) {
        for await (const chunk of inTurns(ids, KEYS_PER_QUERY)) {
          const rows = await db
            .selectFrom('orders')
            .select('brokerOrderId')
            .where('broker', '=', broker)
            .where('brokerOrderId', 'in', chunk)
            .execute()
          for (const row of rows) if (row.brokerOrderId) found.add(orderKey(broker, row.brokerOrderId))
        }
      }
      return found
    },
    /** Writes each record's orders, their fills and the trade; call inside the import's transaction. */
    async insert(
      userId: string,
      records: readonly ImportRecord[],
      onWritten?: (records: number) => void,
    ): Promise<{ orders: number; fills: number; trades: number; positions: number }> {
      const counts = { orders: 0, fills: 0, trades: 0, positions: 0 }
      for await (const part of inTurns(records, ROWS_PER_INSERT)) {
        const orders: Record<string, unknown>[] = []
        const fills: Record<string, unknown>[] = []
        const trades: Record<string, unknown>[] = []
        const positions: Record<string, unknown>[] = []
        for (const record of part) {
          for (const order of record.orders) {
            const orderId = newId()
            orders.push({
              id: orderId,
              userId,
              strategyId: null,
              tradeIdeaId: null,
              broker: order.broker,
              environment: order.environment,
              brokerOrderId: order.brokerOrderId,
              symbol: order.symbol,
              side: order.side,
              type: order.type,
              quantity: decimal(order.quantity),
              limitPrice: order.limitPrice,
              stopPrice: order.stopPrice,
              status: order.status,
              metadata: toJson(order.metadata),
              createdAt: order.createdAt,
              updatedAt: order.fill?.filledAt ?? order.createdAt,
            })
            if (order.fill) {
              fills.push({
                id: newId(),
                userId,
                orderId,
                broker: order.broker,
                brokerFillId: order.brokerOrderId,
                symbol: order.symbol,
                side: order.side,
                quantity: order.fill.quantity,
                price: order.fill.price,
                fee: order.fill.fee,
                feeCurrency: order.fill.feeCurrency,
                metadata: toJson({ source: order.metadata.source }),
                filledAt: order.fill.filledAt,
              })
            }
          }
          const position = record.position
          if (position) {
            positions.push({
              id: newId(),
              userId,
              strategyId: null,
              broker: position.broker,
              environment: position.environment,
              brokerPositionId: position.brokerPositionId,
              symbol: position.symbol,
              direction: position.direction,
              quantity: position.quantity,
              averagePrice: position.averagePrice,
              stopLoss: position.stopLoss,
              takeProfit: position.takeProfit,
              status: 'open',
              metadata: toJson(position.metadata),
              openedAt: position.openedAt,
              closedAt: null,
            })
          }
          const trade = record.trade
          if (trade)
            trades.push({
              id: newId(),
              userId,
              strategyId: null,
              positionId: null,
              tradeIdeaId: null,
              broker: trade.broker,
              brokerTradeId: trade.brokerTradeId,
              symbol: trade.symbol,
              direction: trade.direction,
              quantity: trade.quantity,
              entryPrice: trade.entryPrice,
              exitPrice: trade.exitPrice,
              realizedPnl: trade.realizedPnl,
              fees: trade.fees,
              exitReason: trade.exitReason,
              metadata: toJson(trade.metadata),
              openedAt: trade.openedAt,
              closedAt: trade.closedAt,
            })
        }
        await insertRows('orders', orders)
        await insertRows('fills', fills)
        await insertRows('trades', trades)
        await insertRows('positions', positions)
        counts.orders += orders.length
        counts.fills += fills.length
        counts.trades += trades.length
        counts.positions += positions.length
        onWritten?.(part.length)
      }
      return counts
    },
  }
}

export const orderKey = (broker: string, brokerOrderId: string): string => `${broker}\u0000${brokerOrderId}`
