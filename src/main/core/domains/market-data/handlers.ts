import { Refusal } from '../../platform/calls/refusal'
import { profile } from '../../platform/calls/profile'
import type { CoreContext } from '../../platform/context'
import type { ChannelsOf, HandlerTable } from '../../platform/calls/handler-table'
import { downloadCandles } from './exchange-candles'
import { eventsNearIdea, upcomingEvents } from './market-events'

export function createMarketDataHandlers(ctx: CoreContext): Pick<HandlerTable, ChannelsOf<'marketData'>> {
  return {
    // The desktop host replaces this with its file picker; browser mode uploads the file over HTTP instead.
    'marketData:importCsvFile': async () => {
      throw new Refusal(
        'unavailable',
        `Only the desktop app can pick a file here. In ${ctx.host === 'browser' ? 'browser mode' : 'this host'}, upload the file.`,
      )
    },
    'marketData:upcomingEvents': () => upcomingEvents(ctx.store, new Date()),
    'marketData:eventsNearIdea': ({ id }) => eventsNearIdea(ctx.store, profile(ctx), id),
    'marketData:download': (request) =>
      downloadCandles(ctx, {
        ...request,
        onProgress: (progress) =>
          ctx.events.emit('marketData:downloadProgress', { symbol: request.symbol, ...progress }),
      }),
  }
}
