import Decimal from 'decimal.js'
import { unrealisedPnlOf } from './trading/account-state'
import { candlesAround } from './trading/snapshot-candles'
import { once } from 'node:events'
import { createWriteStream, renameSync } from 'node:fs'
import { EXPORTS_DIR_NAME } from './data-dir'
import { makePrivateDir, PRIVATE_FILE_MODE } from './private-files'
import { join } from 'node:path'
import { ApiError } from '../../shared/errors'
import type { CoreContext } from './context'
import type { ChannelsOf, HandlerTable } from './dispatch'
import { profile } from './profile'
import { TradingError } from './trading/trading-service'
import { humanActor } from '../../shared/domain'

type TradingChannels = ChannelsOf<'ideas' | 'account' | 'risk' | 'trading' | 'decisions'>

const EQUITY_CURVE_POINTS = 2000
// A decision's chart shows what the strategy saw and what came after.
const DETAIL_CANDLES_BEFORE = 90
const DETAIL_CANDLES_AFTER = 30

/** Turns the trading core's refusals into the contract's structured errors. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof TradingError) {
      throw new ApiError({ code: error.code === 'not_found' ? 'not_found' : 'conflict', message: error.message, ...(error.reasons.length ? { issues: error.reasons.map((reason) => ({ path: [reason.code], message: reason.message })) } : {}) })
    }
    if (error instanceof RangeError) throw new ApiError({ code: 'invalid_input', message: error.message })
    throw error
  }
}

export function createTradingHandlers(ctx: CoreContext): Pick<HandlerTable, TradingChannels> {
  const service = () => ctx.trading.for(profile(ctx)).service
  const changed = (ideaId: string) => {
    ctx.events.emit('ideas:changed', { ideaId })
    ctx.events.emit('account:changed', {})
  }
  return {
    'ideas:list': ({ statuses, limit }) => ctx.store.tradeIdeas.list(profile(ctx), { ...(statuses ? { statuses } : {}), ...(limit ? { limit } : {}) }),
    'ideas:get': async ({ id }) => {
      const idea = await ctx.store.tradeIdeas.get(profile(ctx), id)
      if (!idea) throw new ApiError({ code: 'not_found', message: 'No such trade idea.' })
      return { idea, history: await service().history(profile(ctx), id) }
    },
    'ideas:candles': async ({ id, before, after }) => {
      const idea = await ctx.store.tradeIdeas.get(profile(ctx), id)
      if (!idea) throw new ApiError({ code: 'not_found', message: 'No such trade idea.' })
      return candlesAround(ctx.store, idea.symbol, idea.snapshotId, before, after)
    },
    'account:positions': async ({ tradeLimit }) => {
      const userId = profile(ctx)
      const { broker } = ctx.trading.for(userId)
      const open = (await ctx.store.positions.listOpen(userId)).map((position) => {
        const mark = broker.lastPrice(position.symbol)
        const unrealisedPnl = mark === null ? null : unrealisedPnlOf(position, mark).toString()
        const { id, symbol, direction, quantity, averagePrice, stopLoss, takeProfit, openedAt } = position
        return { id, symbol, direction, quantity, averagePrice, stopLoss, takeProfit, openedAt, mark, unrealisedPnl }
      })
      const recentTrades = (await ctx.store.trades.recent(userId, tradeLimit)).map((trade) => ({
        id: trade.id,
        symbol: trade.symbol,
        direction: trade.direction,
        quantity: trade.quantity,
        entryPrice: trade.entryPrice,
        exitPrice: trade.exitPrice,
        netPnl: new Decimal(trade.realizedPnl).minus(trade.fees).toString(),
        exitReason: trade.exitReason,
        closedAt: trade.closedAt,
      }))
      return { open, recentTrades }
    },
    'account:equityCurve': async ({ sinceDays }) => {
      const since = new Date(Date.now() - sinceDays * 86_400_000).toISOString()
      const snapshots = await ctx.store.accountSnapshots.since(profile(ctx), since, 200_000)
      // A chart is a few hundred pixels wide: every k-th point, and always the latest.
      const stride = Math.max(1, Math.ceil(snapshots.length / EQUITY_CURVE_POINTS))
      return snapshots.filter((_, index) => index % stride === 0 || index === snapshots.length - 1).map((snapshot) => ({ at: snapshot.capturedAt, equity: snapshot.equity }))
    },
    'ideas:approve': ({ id, note }) =>
      guarded(async () => {
        const idea = await service().approve(profile(ctx), id, note ?? null)
        changed(id)
        return idea
      }),
    'ideas:reject': ({ id, note }) =>
      guarded(async () => {
        const idea = await service().reject(profile(ctx), id, note ?? null)
        changed(id)
        return idea
      }),
    'ideas:retry': ({ id }) =>
      guarded(async () => {
        const idea = await service().retry(profile(ctx), id)
        changed(id)
        return idea
      }),
    'risk:get': async () => {
      const config = await ctx.store.riskConfig.get(profile(ctx))
      if (!config) throw new ApiError({ code: 'not_found', message: 'This profile has no risk configuration.' })
      return config
    },
    'risk:update': ({ patch }) => {
      const userId = profile(ctx)
      // The change and who made it commit together.
      return ctx.store.transaction(async (tx) => {
        const before = await tx.riskConfig.get(userId)
        const after = await tx.riskConfig.update(userId, patch)
        if (!before || !after) throw new ApiError({ code: 'not_found', message: 'This profile has no risk configuration.' })
        const changedKeys = Object.keys(patch) as (keyof typeof patch)[]
        await tx.auditLog.record({
          userId,
          actor: humanActor(userId),
          subject: 'risk_config',
          action: 'update',
          details: Object.fromEntries(changedKeys.map((key) => [key, { from: before[key], to: after[key] }])),
        })
        return after
      })
    },
    'trading:halt': ({ reason }) =>
      guarded(async () => {
        const config = await service().halt(profile(ctx), reason)
        ctx.events.emit('trading:halted', { reason })
        return config
      }),
    'trading:resume': ({ reason }) =>
      guarded(async () => {
        const config = await service().resume(profile(ctx), reason)
        ctx.events.emit('trading:resumed', { reason, by: humanActor(profile(ctx)) })
        return config
      }),
    'account:summary': () => service().account(profile(ctx)),
    'decisions:query': ({ filter, cursor, limit }) => guarded(() => ctx.store.decisions.query(profile(ctx), filter ?? {}, { cursor: cursor ?? null, ...(limit ? { limit } : {}) })),
    'decisions:context': async ({ id }) => {
      const userId = profile(ctx)
      const decision = await ctx.store.decisions.get(userId, id)
      if (!decision) throw new ApiError({ code: 'not_found', message: 'No such decision.' })
      const idea = decision.tradeIdeaId ? await ctx.store.tradeIdeas.get(userId, decision.tradeIdeaId) : null
      const order = decision.orderId ? await ctx.store.orders.get(userId, decision.orderId) : null
      const fills = order ? await ctx.store.orders.fills(userId, order.id) : []
      const snapshotId = decision.snapshotId ?? idea?.snapshotId ?? null
      return {
        idea,
        order: order && { id: order.id, side: order.side, quantity: order.quantity, status: order.status, createdAt: order.createdAt, fills: fills.map(({ price, quantity, fee, filledAt }) => ({ price, quantity, fee, filledAt })) },
        candles: snapshotId ? await candlesAround(ctx.store, decision.symbol ?? idea?.symbol ?? '', snapshotId, DETAIL_CANDLES_BEFORE, DETAIL_CANDLES_AFTER) : null,
      }
    },
    'decisions:export': async ({ filter }) => {
      const dir = join(ctx.dataDir, EXPORTS_DIR_NAME)
      makePrivateDir(dir)
      const path = join(dir, `decisions-${new Date().toISOString().replace(/[-:]/g, '').replace('.', '')}.csv`)
      const partial = `${path}.partial`
      const out = createWriteStream(partial, { mode: PRIVATE_FILE_MODE })
      const rows = await ctx.store.decisions.exportCsv(profile(ctx), filter ?? {}, out)
      out.end()
      await once(out, 'close')
      renameSync(partial, path)
      return { path, rows }
    },
  }
}
