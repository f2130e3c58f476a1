import Decimal from 'decimal.js'
import { sql, type Kysely, type Selectable } from 'kysely'
import type { FillsTable, OrdersTable, PositionsTable, StoreSchema, TradesTable } from '../schema'
import { decimal, fromJson, newId, nowIso, toJson } from '../values'
import type { Environment } from './strategies'

export type OrderStatus = 'pending' | 'open' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected' | 'failed'
export type Side = 'buy' | 'sell'
export type Direction = 'long' | 'short'
export type ExitReason = 'take_profit' | 'stop_loss' | 'manual' | 'strategy' | 'expired' | 'liquidation'

/** A table's row as read, with the text columns the desk writes from a fixed set narrowed to that set. */
type RowOf<Table, Narrowed> = Omit<Selectable<Table>, keyof Narrowed> & Narrowed

export type Order = RowOf<
  OrdersTable,
  {
    environment: Environment
    side: Side
    type: 'market' | 'limit' | 'stop' | 'stop_limit'
    status: OrderStatus
    metadata: Record<string, unknown>
  }
>

export type Fill = RowOf<
  Pick<
    FillsTable,
    'id' | 'userId' | 'orderId' | 'broker' | 'symbol' | 'side' | 'quantity' | 'price' | 'fee' | 'filledAt'
  >,
  { side: Side }
>

export type Position = RowOf<
  Omit<PositionsTable, 'brokerPositionId' | 'createdAt' | 'updatedAt'>,
  { environment: Environment; direction: Direction; status: 'open' | 'closed'; metadata: Record<string, unknown> }
>

/** Gross P&L is `realizedPnl`; fees are separate, so net = realizedPnl − fees. */
export type Trade = RowOf<
  Omit<TradesTable, 'brokerTradeId' | 'metadata' | 'createdAt'>,
  {
    direction: Direction
    exitReason: ExitReason
    /** The file an imported trade came from; null for the desk's own trades. */
    importedFrom?: string | null
  }
>

const orderFromRow = (row: Selectable<OrdersTable>): Order => ({
  ...row,
  environment: row.environment as Environment,
  side: row.side as Side,
  type: row.type as Order['type'],
  status: row.status as OrderStatus,
  metadata: fromJson<Record<string, unknown>>(row.metadata),
})
const fillFromRow = (row: Selectable<FillsTable>): Fill => ({
  id: row.id,
  userId: row.userId,
  orderId: row.orderId,
  broker: row.broker,
  symbol: row.symbol,
  side: row.side as Side,
  quantity: row.quantity,
  price: row.price,
  fee: row.fee,
  filledAt: row.filledAt,
})
const positionFromRow = (row: Selectable<PositionsTable>): Position => ({
  id: row.id,
  userId: row.userId,
  strategyId: row.strategyId,
  broker: row.broker,
  environment: row.environment as Environment,
  symbol: row.symbol,
  direction: row.direction as Direction,
  quantity: row.quantity,
  averagePrice: row.averagePrice,
  stopLoss: row.stopLoss,
  takeProfit: row.takeProfit,
  status: row.status as Position['status'],
  metadata: fromJson<Record<string, unknown>>(row.metadata),
  openedAt: row.openedAt,
  closedAt: row.closedAt,
})
const tradeFromRow = (row: Selectable<TradesTable>): Trade => ({
  id: row.id,
  userId: row.userId,
  strategyId: row.strategyId,
  positionId: row.positionId,
  tradeIdeaId: row.tradeIdeaId,
  broker: row.broker,
  symbol: row.symbol,
  direction: row.direction as Direction,
  quantity: row.quantity,
  entryPrice: row.entryPrice,
  exitPrice: row.exitPrice,
  realizedPnl: row.realizedPnl,
  fees: row.fees,
  exitReason: row.exitReason as ExitReason,
  openedAt: row.openedAt,
  closedAt: row.closedAt,
  importedFrom: fromJson<{ source?: { file?: string } }>(row.metadata).source?.file ?? null,
})

/** Rows an import brought in from another system carry their source in their metadata. */
export function isImported(row: { metadata: Record<string, unknown> }): boolean {
  return typeof row.metadata.source === 'object' && row.metadata.source !== null
}

/** An order that closes a position: a close, or a stop-loss or take-profit resting to close it. */
export function closesAPosition(row: { metadata: Record<string, unknown> }): boolean {
  return typeof row.metadata.closes === 'string'
}

export interface NewOrder {
  strategyId?: string | null
  tradeIdeaId?: string | null
  broker: string
  environment: Environment
  symbol: string
  side: Side
  type?: Order['type']
  quantity: string
  limitPrice?: string | null
  metadata?: Record<string, unknown>
}

/** Orders and their fills, scoped by user. */
export function ordersRepository(db: Kysely<StoreSchema>) {
  return {
    async create(userId: string, input: NewOrder): Promise<Order> {
      const id = newId()
      await db
        .insertInto('orders')
        .values({
          id,
          userId,
          strategyId: input.strategyId ?? null,
          tradeIdeaId: input.tradeIdeaId ?? null,
          broker: input.broker,
          environment: input.environment,
          brokerOrderId: null,
          symbol: input.symbol,
          side: input.side,
          type: input.type ?? 'market',
          quantity: decimal(input.quantity),
          limitPrice: input.limitPrice ? decimal(input.limitPrice) : null,
          stopPrice: null,
          status: 'pending',
          metadata: toJson(input.metadata ?? {}),
        })
        .execute()
      return (await this.get(userId, id)) as Order
    },
    /**
     * What this desk's orders created since `since` were worth: size × limit price, or the
     * entry price of the idea behind it. Refused, failed and cancelled orders never left; imported ones are another system's.
     */
    async notionalSince(userId: string, since: string): Promise<Decimal> {
      const rows = await db
        .selectFrom('orders')
        .leftJoin('tradeIdeas', 'tradeIdeas.id', 'orders.tradeIdeaId')
        .select(['orders.quantity', 'orders.limitPrice', 'tradeIdeas.entryPrice', 'orders.metadata'])
        .where('orders.userId', '=', userId)
        .where('orders.createdAt', '>=', since)
        .where('orders.status', 'not in', ['rejected', 'failed', 'cancelled'])
        .execute()
      let total = new Decimal(0)
      for (const row of rows) {
        const price = row.limitPrice ?? row.entryPrice
        const metadata = fromJson<Record<string, unknown>>(row.metadata)
        // A close, and a stop or target resting to close, trades away exposure the entry already counted.
        if (price !== null && !isImported({ metadata }) && !closesAPosition({ metadata }))
          total = total.plus(new Decimal(row.quantity).times(price))
      }
      return total
    },
    async get(userId: string, id: string): Promise<Order | null> {
      const row = await db
        .selectFrom('orders')
        .selectAll()
        .where('userId', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst()
      return row ? orderFromRow(row) : null
    },
    async list(
      userId: string,
      filter: { statuses?: OrderStatus[]; tradeIdeaId?: string; symbol?: string } = {},
    ): Promise<Order[]> {
      let query = db.selectFrom('orders').selectAll().where('userId', '=', userId)
      if (filter.statuses?.length) query = query.where('status', 'in', filter.statuses)
      if (filter.tradeIdeaId) query = query.where('tradeIdeaId', '=', filter.tradeIdeaId)
      if (filter.symbol) query = query.where('symbol', '=', filter.symbol)
      return (await query.orderBy('createdAt').orderBy('id').execute()).map(orderFromRow)
    },
    async setStatus(
      userId: string,
      id: string,
      status: OrderStatus,
      metadata?: Record<string, unknown>,
    ): Promise<Order | null> {
      await db
        .updateTable('orders')
        .set({ status, ...(metadata ? { metadata: toJson(metadata) } : {}) })
        .where('userId', '=', userId)
        .where('id', '=', id)
        .execute()
      return this.get(userId, id)
    },
    /** The id the exchange gave the order, once it has answered. */
    async setBrokerOrderId(userId: string, id: string, brokerOrderId: string): Promise<void> {
      await db.updateTable('orders').set({ brokerOrderId }).where('userId', '=', userId).where('id', '=', id).execute()
    },
    async addFill(userId: string, input: Omit<Fill, 'id' | 'userId'>): Promise<Fill> {
      const row = {
        id: newId(),
        userId,
        orderId: input.orderId,
        broker: input.broker,
        brokerFillId: null,
        symbol: input.symbol,
        side: input.side,
        quantity: decimal(input.quantity),
        price: decimal(input.price),
        fee: decimal(input.fee),
        feeCurrency: null,
        filledAt: input.filledAt,
      }
      await db.insertInto('fills').values(row).execute()
      return fillFromRow({ ...row, metadata: '{}', createdAt: nowIso() })
    },
    async fills(userId: string, orderId: string): Promise<Fill[]> {
      return (
        await db
          .selectFrom('fills')
          .selectAll()
          .where('userId', '=', userId)
          .where('orderId', '=', orderId)
          .orderBy('filledAt')
          .execute()
      ).map(fillFromRow)
    },
  }
}

export function positionsRepository(db: Kysely<StoreSchema>) {
  return {
    async open(
      userId: string,
      input: Omit<Position, 'id' | 'userId' | 'status' | 'closedAt' | 'metadata'> & {
        metadata?: Record<string, unknown>
      },
    ): Promise<Position> {
      const id = newId()
      await db
        .insertInto('positions')
        .values({
          id,
          userId,
          strategyId: input.strategyId,
          broker: input.broker,
          environment: input.environment,
          brokerPositionId: null,
          symbol: input.symbol,
          direction: input.direction,
          quantity: decimal(input.quantity),
          averagePrice: decimal(input.averagePrice),
          stopLoss: input.stopLoss ? decimal(input.stopLoss) : null,
          takeProfit: input.takeProfit ? decimal(input.takeProfit) : null,
          status: 'open',
          metadata: toJson(input.metadata ?? {}),
          openedAt: input.openedAt,
          closedAt: null,
        })
        .execute()
      return (await this.get(userId, id)) as Position
    },
    async get(userId: string, id: string): Promise<Position | null> {
      const row = await db
        .selectFrom('positions')
        .selectAll()
        .where('userId', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst()
      return row ? positionFromRow(row) : null
    },
    async listOpen(userId: string, filter: { broker?: string; environment?: Environment } = {}): Promise<Position[]> {
      let query = db.selectFrom('positions').selectAll().where('userId', '=', userId).where('status', '=', 'open')
      if (filter.broker) query = query.where('broker', '=', filter.broker)
      if (filter.environment) query = query.where('environment', '=', filter.environment)
      return (await query.orderBy('openedAt').orderBy('id').execute()).map(positionFromRow)
    },
    /** A position that grew with a later part of its order's fill: its size, average price and metadata. */
    async resize(
      userId: string,
      id: string,
      input: { quantity: string; averagePrice: string; metadata: Record<string, unknown> },
    ): Promise<void> {
      await db
        .updateTable('positions')
        .set({
          quantity: decimal(input.quantity),
          averagePrice: decimal(input.averagePrice),
          metadata: toJson(input.metadata),
        })
        .where('userId', '=', userId)
        .where('id', '=', id)
        .where('status', '=', 'open')
        .execute()
    },
    /** The stop-loss and take-profit of an open position, with its metadata; false when it is no longer open. */
    async setLevels(
      userId: string,
      id: string,
      input: { stopLoss: string | null; takeProfit: string | null; metadata: Record<string, unknown> },
    ): Promise<boolean> {
      const result = await db
        .updateTable('positions')
        .set({
          stopLoss: input.stopLoss === null ? null : decimal(input.stopLoss),
          takeProfit: input.takeProfit === null ? null : decimal(input.takeProfit),
          metadata: toJson(input.metadata),
        })
        .where('userId', '=', userId)
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },
    /** Closes the position only if it is still open; false when something else closed it first. */
    async close(userId: string, id: string, closedAt: string): Promise<boolean> {
      const result = await db
        .updateTable('positions')
        .set({ status: 'closed', closedAt })
        .where('userId', '=', userId)
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },
  }
}

export function tradesRepository(db: Kysely<StoreSchema>) {
  return {
    /** Trades an import brought in, oldest close first: the figures of their P&L and where they came from. Both dialects read JSON with ->. */
    async imported(
      userId: string,
    ): Promise<{ symbol: string; closedAt: string; realizedPnl: string; fees: string; source: string | null }[]> {
      const rows = await db
        .selectFrom('trades')
        .select(['symbol', 'closedAt', 'realizedPnl', 'fees', 'metadata'])
        .where('userId', '=', userId)
        .where(sql<boolean>`(metadata -> 'source') IS NOT NULL`)
        .orderBy('closedAt')
        .orderBy('id')
        .execute()
      return rows.map((row) => ({
        symbol: row.symbol,
        closedAt: row.closedAt,
        realizedPnl: row.realizedPnl,
        fees: row.fees,
        source: fromJson<{ source?: { file?: string } }>(row.metadata).source?.file ?? null,
      }))
    },
    async record(userId: string, input: Omit<Trade, 'id' | 'userId'>): Promise<Trade> {
      const row = {
        id: newId(),
        userId,
        strategyId: input.strategyId,
        positionId: input.positionId,
        tradeIdeaId: input.tradeIdeaId,
        broker: input.broker,
        brokerTradeId: null,
        symbol: input.symbol,
        direction: input.direction,
        quantity: decimal(input.quantity),
        entryPrice: decimal(input.entryPrice),
        exitPrice: decimal(input.exitPrice),
        realizedPnl: decimal(input.realizedPnl),
        fees: decimal(input.fees),
        exitReason: input.exitReason,
        openedAt: input.openedAt,
        closedAt: input.closedAt,
      }
      await db.insertInto('trades').values(row).execute()
      return tradeFromRow({ ...row, metadata: '{}', createdAt: nowIso() })
    },
    /** The newest closed trades, newest first. */
    async recent(userId: string, limit: number): Promise<Trade[]> {
      return (
        await db
          .selectFrom('trades')
          .selectAll()
          .where('userId', '=', userId)
          .orderBy('closedAt', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .execute()
      ).map(tradeFromRow)
    },
    /** Closed trades in [from, to), oldest first. */
    async closedBetween(userId: string, from: string, to: string): Promise<Trade[]> {
      return (
        await db
          .selectFrom('trades')
          .selectAll()
          .where('userId', '=', userId)
          .where('closedAt', '>=', from)
          .where('closedAt', '<', to)
          .orderBy('closedAt')
          .orderBy('id')
          .execute()
      ).map(tradeFromRow)
    },
    /** Realised amounts of trades recorded after `afterId` (UUIDv7 ids sort by creation), oldest first. */
    async amountsAfter(
      userId: string,
      broker: string,
      afterId: string | null,
    ): Promise<{ id: string; realizedPnl: string; fees: string }[]> {
      let query = db
        .selectFrom('trades')
        .select(['id', 'realizedPnl', 'fees'])
        .where('userId', '=', userId)
        .where('broker', '=', broker)
      if (afterId) query = query.where('id', '>', afterId)
      return query.orderBy('id').execute()
    },
    async exists(userId: string, broker: string, id: string): Promise<boolean> {
      return (
        (await db
          .selectFrom('trades')
          .select('id')
          .where('userId', '=', userId)
          .where('broker', '=', broker)
          .where('id', '=', id)
          .executeTakeFirst()) !== undefined
      )
    },
    async countUpTo(userId: string, broker: string, lastId: string): Promise<number> {
      const row = await db
        .selectFrom('trades')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('userId', '=', userId)
        .where('broker', '=', broker)
        .where('id', '<=', lastId)
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },
    async closedSince(
      userId: string,
      broker: string,
      fromIso: string,
    ): Promise<{ realizedPnl: string; fees: string }[]> {
      return db
        .selectFrom('trades')
        .select(['realizedPnl', 'fees'])
        .where('userId', '=', userId)
        .where('broker', '=', broker)
        .where('closedAt', '>=', fromIso)
        .execute()
    },
    async all(userId: string, filter: { broker?: string } = {}): Promise<Trade[]> {
      let query = db.selectFrom('trades').selectAll().where('userId', '=', userId)
      if (filter.broker) query = query.where('broker', '=', filter.broker)
      return (await query.orderBy('closedAt').orderBy('id').execute()).map(tradeFromRow)
    },
  }
}
