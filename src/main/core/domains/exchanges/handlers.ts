import type { CoreContext } from '../../platform/context'
import type { ChannelsOf, HandlerTable } from '../../platform/calls/handler-table'
import { actorOf, profile } from '../../platform/calls/profile'
import { EXCHANGE_IDS, EXCHANGES } from './registry'
import { deleteExchangeKey, listExchangeKeys, saveExchangeKey, testExchangeKey } from './exchange-keys'
import { reconcileProfile } from './venue-operations'
import { certifyExchange } from './certification'
import type { TradingDesks } from '../trading/trading-desks'

/** Settings → Exchanges: what each exchange offers, and this profile's keys (never their secrets). */
export function createExchangeHandlers(
  ctx: CoreContext,
  trading: TradingDesks,
): Pick<HandlerTable, ChannelsOf<'exchanges'>> {
  return {
    'exchanges:list': async () => ({
      exchanges: EXCHANGE_IDS.map((id) => EXCHANGES[id]),
      keys: await listExchangeKeys(ctx, profile(ctx)),
    }),
    'exchanges:saveKey': (input) => saveExchangeKey(ctx, profile(ctx), actorOf(ctx), input),
    'exchanges:deleteKey': async ({ id }) => {
      await deleteExchangeKey(ctx, profile(ctx), actorOf(ctx), id)
      return { deleted: true as const }
    },
    'exchanges:testKey': ({ id }) => testExchangeKey(ctx, profile(ctx), id),
    'exchanges:reconcile': () => reconcileProfile(ctx, trading, profile(ctx)),
    'exchanges:certify': (input) => certifyExchange(ctx, profile(ctx), input),
  }
}
