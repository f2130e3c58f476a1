import { Refusal } from '../../platform/calls/refusal'
import { importedHistoryOf } from './imported-history'
import type { CoreContext } from '../../platform/context'
import type { ChannelsOf, HandlerTable } from '../../platform/calls/handler-table'
import { profile } from '../../platform/calls/profile'
import { decisionContext, exportDecisionsCsv } from './decision-history'
import { candlesAround } from './snapshot-candles'
import { ideaMarks, ideaVenue } from './idea-venue'
import { flattenAndHalt, protectPosition, venueAccounts } from '../exchanges/venue-operations'
import type { TradingDesks } from './trading-desks'
import { closeOnePosition, modifyOnePosition, positionDetail } from '../exchanges/position-actions'
import { trailOnePosition } from '../exchanges/position-trail-action'
import { humanActor } from '../../../../shared/domain'

type TradingChannels = ChannelsOf<'ideas' | 'account' | 'risk' | 'trading' | 'decisions' | 'positions'>

/** A number the trader typed that decimal arithmetic cannot take is their input to fix, not a fault of the desk's. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof RangeError) throw new Refusal('invalid_input', error.message)
    throw error
  }
}

export function createTradingHandlers(ctx: CoreContext, trading: TradingDesks): Pick<HandlerTable, TradingChannels> {
  const desk = () => trading.for(profile(ctx))
  const service = () => desk().service
  const ideaOf = async (id: string) => {
    const idea = await ctx.store.tradeIdeas.get(profile(ctx), id)
    if (!idea) throw new Refusal('not_found', 'No such trade idea.')
    return idea
  }
  return {
    'ideas:list': ({ statuses, limit }) =>
      ctx.store.tradeIdeas.list(profile(ctx), { ...(statuses ? { statuses } : {}), ...(limit ? { limit } : {}) }),
    'ideas:get': async ({ id }) => {
      const idea = await ideaOf(id)
      return {
        idea,
        history: await service().history(profile(ctx), id),
        venue: await ideaVenue(ctx.store, profile(ctx), idea),
      }
    },
    'ideas:marks': async ({ ids }) => {
      const ideas = await Promise.all(ids.map((id) => ctx.store.tradeIdeas.get(profile(ctx), id)))
      return ideaMarks(
        ctx.store,
        ideas.filter((idea) => idea !== null),
      )
    },
    'ideas:withdrawn': ({ limit }) => ctx.store.tradeIdeas.recentlyWithdrawn(profile(ctx), limit),
    'ideas:candles': async ({ id, before, after }) => {
      const idea = await ideaOf(id)
      return candlesAround(ctx.store, idea.symbol, idea.snapshotId, before, after)
    },
    'ideas:approve': ({ id, note }) => guarded(() => service().approve(profile(ctx), id, note ?? null)),
    'ideas:reject': ({ id, note }) => guarded(() => service().reject(profile(ctx), id, note ?? null)),
    'ideas:retry': ({ id }) => guarded(() => service().retry(profile(ctx), id)),
    'account:summary': () => desk().book.account(profile(ctx)),
    'account:venues': () => venueAccounts(ctx, trading, profile(ctx)),
    'account:positions': ({ tradeLimit }) => desk().book.positions(profile(ctx), tradeLimit),
    'account:importedHistory': () => importedHistoryOf(ctx.store, profile(ctx)),
    'account:equityCurve': ({ sinceDays }) => desk().book.equityCurve(profile(ctx), sinceDays),
    'risk:get': async () => {
      const config = await ctx.store.riskConfig.get(profile(ctx))
      if (!config) throw new Refusal('not_found', 'This profile has no risk configuration.')
      return config
    },
    'risk:update': ({ patch }) => guarded(() => desk().risk.update(profile(ctx), patch)),
    'trading:halt': ({ reason }) => guarded(() => desk().risk.halt(profile(ctx), reason)),
    'trading:resume': ({ reason }) => guarded(() => desk().risk.resume(profile(ctx), reason)),
    'trading:flattenAndHalt': ({ reason }) => guarded(() => flattenAndHalt(ctx, trading, profile(ctx), reason)),
    'positions:protect': (input) => guarded(() => protectPosition(ctx, trading, profile(ctx), input)),
    'positions:detail': ({ id }) => positionDetail(ctx, trading, profile(ctx), id),
    'positions:close': ({ id, part, confirmLive }) =>
      guarded(async () => ({
        position: await closeOnePosition(
          ctx,
          trading,
          profile(ctx),
          { id, part, confirmLive },
          humanActor(profile(ctx)),
        ),
      })),
    'positions:modify': ({ id, stopLoss, takeProfit, confirmLive }) =>
      guarded(async () => ({
        position: await modifyOnePosition(
          ctx,
          trading,
          profile(ctx),
          {
            id,
            confirmLive,
            ...(stopLoss !== undefined ? { stopLoss } : {}),
            ...(takeProfit !== undefined ? { takeProfit } : {}),
          },
          humanActor(profile(ctx)),
        ),
      })),
    'positions:trail': (request) =>
      guarded(async () => ({
        position: await trailOnePosition(ctx, trading, profile(ctx), request, humanActor(profile(ctx))),
      })),
    'decisions:query': ({ filter, cursor, limit }) =>
      guarded(() =>
        ctx.store.decisions.query(profile(ctx), filter ?? {}, { cursor: cursor ?? null, ...(limit ? { limit } : {}) }),
      ),
    'decisions:context': ({ id }) => guarded(() => decisionContext(ctx.store, profile(ctx), id)),
    'decisions:export': ({ filter }) => exportDecisionsCsv(ctx.store, ctx.dataDir, profile(ctx), filter ?? {}),
  }
}
