import type { CoreContext } from '../context'
import type { ChannelsOf, HandlerTable } from '../handler-table'
import { actorOf, profile } from '../profile'
import { EXCHANGE_IDS, EXCHANGES } from './capabilities'
import { deleteExchangeKey, listExchangeKeys, saveExchangeKey, testExchangeKey } from './exchange-keys'
import { reconcileProfile } from './venue-operations'

/** Settings → Exchanges: what each exchange offers, and this profile's keys (never their secrets). */
export function createExchangeHandlers(ctx: CoreContext): Pick<HandlerTable, ChannelsOf<'exchanges'>> {
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
    'exchanges:reconcile': () => reconcileProfile(ctx, profile(ctx)),
  }
}
