import Decimal from 'decimal.js'
import { errorMessage } from '../../../../../shared/errors'
import { DERIBIT } from './capabilities'
import type { Exchange } from 'ccxt'
import { ccxtLibrary } from '../exchange-client'
import {
  classifyFailure,
  linearMarket,
  marketForOrder,
  orderTypeOf,
  triggerParams,
  measureClockSkew,
  ORDER_STATUS,
  text,
  type ExchangeOrderState,
  type ExchangeOrders,
  type Holdings,
} from '../order-venue'

/** Deribit through ccxt: the client id is Deribit's `label`, looked up with private/get_order_state_by_label. */
/**
 * Deribit's answers that leave an order's fate open (Deribit API docs, "Error codes"): 10040 "retry",
 * 10041 settlement in progress, 10047 the matching engine's queue full. The documentation does not say
 * the order was not taken; the harsher reading is that it may have been, so the broker looks it up.
 */
const NOT_OPEN_ORDER = /"code"\s*:\s*11044\b|not_open_order/

export const DERIBIT_OUTCOME_UNKNOWN: readonly RegExp[] = [/"code"\s*:\s*(10040|10041|10047)\b/]

/** How many of an instrument's latest finished orders are searched for a label the label lookup no longer finds. */
const ORDER_HISTORY_SEARCHED = 1000

type CcxtOrder = Parameters<Exchange['parseOrder']>[0] & { id: string; info: Record<string, unknown> }

export async function deribitVenue(exchange: Exchange): Promise<ExchangeOrders> {
  await exchange.loadMarkets()
  const ccxt = await ccxtLibrary()
  const notFound = (error: unknown) => {
    if (error instanceof ccxt.OrderNotFound) return null
    throw error
  }
  const stateOf = (order: {
    id: string
    clientOrderId?: string | undefined
    status?: string | undefined
    amount?: number | undefined
    filled?: number | undefined
    average?: number | undefined
    fee?: { cost?: number | undefined } | undefined
    info: Record<string, unknown>
  }): ExchangeOrderState => ({
    id: order.id,
    clientOrderId: String(order.info.label ?? order.clientOrderId ?? ''),
    instrument: String(order.info.instrument_name),
    status: ORDER_STATUS[order.status ?? ''] ?? 'open',
    amount: text(order.info.amount ?? order.amount),
    filled: text(order.info.filled_amount ?? order.filled),
    average:
      Number(order.info.average_price ?? order.average ?? 0) > 0
        ? text(order.info.average_price ?? order.average)
        : null,
    fee: new Decimal(text(order.info.commission ?? order.fee?.cost)).abs().toString(),
    ...(order.info.trigger_price !== undefined && order.info.trigger_price !== null
      ? { triggerPrice: text(order.info.trigger_price) }
      : {}),
  })
  const call = exchange as unknown as Record<string, (params: Record<string, unknown>) => Promise<{ result?: unknown }>>

  /**
   * A stop or take order that fired reads `triggered` on Deribit, with nothing filled on it: its fill is on the
   * market order it became, which has an id of its own. private/get_trigger_order_history links the two
   * (Deribit API docs). The trigger order's state is then that order's, under the trigger order's id and
   * label, so the stop's fill is recorded as the stop's. Until Deribit lists the market order, the stop is
   * on its way, not gone: it stays open.
   */
  async function resolved(order: CcxtOrder): Promise<ExchangeOrderState> {
    const state = stateOf(order as never)
    if (order.info.order_state !== 'triggered') return state
    const market = linearMarket(exchange, DERIBIT.label, state.instrument)
    const history = await call.privateGetGetTriggerOrderHistory!({
      currency: market.settleId ?? market.baseId,
      instrument_name: market.id,
    })
    const entries = ((history.result as { entries?: Record<string, unknown>[] } | undefined)?.entries ?? []).filter(
      (entry) => entry.trigger_order_id === state.id && typeof entry.order_id === 'string',
    )
    const became = entries.at(-1)?.order_id as string | undefined
    // Listed in the history but not yet readable itself (10004 order_not_found, a read lagging the matching): on its way.
    const placed = became ? await exchange.fetchOrder(became, market.symbol).catch(notFound) : null
    if (!placed) return { ...state, status: 'open' }
    const result = stateOf(placed as never)
    return { ...result, id: state.id, clientOrderId: state.clientOrderId }
  }

  return {
    async place(request) {
      const market = marketForOrder(exchange, DERIBIT.label, request)
      // Deribit API docs, private/sell: a trailing_stop follows the price's peak `trigger_offset` behind; ccxt sends
      // one for its `trailingAmount`, watching the last price as every Tradedeck stop does.
      const trigger = request.trigger?.trailBy
        ? { trailingAmount: Number(request.trigger.trailBy) }
        : triggerParams(request)
      const { type, price, params } = orderTypeOf(exchange, market, request)
      const order = await exchange.createOrder(market.symbol, type, request.side, Number(request.quantity), price, {
        label: request.clientOrderId,
        ...(request.reduceOnly ? { reduceOnly: true } : {}),
        ...trigger,
        ...params,
      })
      return stateOf(order as never)
    },
    async findByClientId(instrument, clientOrderId) {
      const market = linearMarket(exchange, DERIBIT.label, instrument)
      const response = await call.privateGetGetOrderStateByLabel!({
        currency: market.settleId ?? market.baseId,
        label: clientOrderId,
      })
      let found = Array.isArray(response.result) ? (response.result as Record<string, unknown>[]) : []
      // The label lookup returns "recent" orders only (Deribit API docs): one that finished a while ago, while the
      // app was closed, say, is looked for in the instrument's order history, so it is never taken for "never placed".
      if (found.length === 0) {
        const history = await call.privateGetGetOrderHistoryByInstrument!({
          instrument_name: market.id,
          count: ORDER_HISTORY_SEARCHED,
          include_unfilled: true,
          include_old: true,
        })
        found = (Array.isArray(history.result) ? (history.result as Record<string, unknown>[]) : [])
          .filter((order) => order.label === clientOrderId)
          .reverse()
      }
      // The market order a fired stop became carries the stop's label too: it is the stop's fill, not another order.
      const raw = found.filter((order) => order.trigger_order_id === undefined)
      return Promise.all(
        exchange.parseOrders(raw as never, market).map((order) => resolved(order as unknown as CcxtOrder)),
      )
    },
    async fetch(instrument, id) {
      const market = linearMarket(exchange, DERIBIT.label, instrument)
      return resolved((await exchange.fetchOrder(id, market.symbol)) as unknown as CcxtOrder)
    },
    async cancel(instrument, id) {
      const market = linearMarket(exchange, DERIBIT.label, instrument)
      try {
        await exchange.cancelOrder(id, market.symbol)
      } catch (error) {
        // 11044 not_open_order (Deribit API docs, "Error codes"): it filled, fired or was cancelled before this
        // cancel arrived. That is an answer, not a failure: its state says which.
        if (!NOT_OPEN_ORDER.test(errorMessage(error))) throw error
      }
      return resolved((await exchange.fetchOrder(id, market.symbol)) as unknown as CcxtOrder)
    },
    async amendTrigger(instrument, id, quantity, triggerPrice) {
      const market = linearMarket(exchange, DERIBIT.label, instrument)
      await call.privateGetEdit!({
        order_id: id,
        amount: exchange.amountToPrecision(market.symbol, Number(quantity)),
        trigger_price: exchange.priceToPrecision(market.symbol, Number(triggerPrice)),
      })
      return resolved((await exchange.fetchOrder(id, market.symbol)) as unknown as CcxtOrder)
    },
    async holdings(): Promise<Holdings> {
      const held = await exchange.fetchPositions()
      const positions = held
        .filter((position) => Number(position.contracts ?? 0) !== 0)
        .map((position) => {
          const info = position.info as Record<string, unknown>
          const size = new Decimal(String(info.size ?? position.contracts))
          return {
            instrument: String(info.instrument_name),
            direction: size.isNegative() ? ('short' as const) : ('long' as const),
            quantity: size.abs().toString(),
            averagePrice: text(info.average_price ?? position.entryPrice),
            markPrice: position.markPrice === undefined ? null : String(position.markPrice),
          }
        })
      return { kind: 'positions', positions }
    },
    clockSkewMs: () => measureClockSkew(exchange),
    classify: (error) => classifyFailure(error, DERIBIT_OUTCOME_UNKNOWN),
  }
}
