import type { Repositories } from '../../platform/store/store'
import { isImported } from '../../platform/store/repositories/execution'
import { EXCHANGES, isExchangeId } from './registry'

/**
 * What a trader must know before pausing, stopping or quitting: the profile's exchange positions whose exits
 * no exchange holds, so that only Tradedeck, while it runs, closes them at their stop. Null when there are none.
 */
export async function watchedPositionsNote(store: Repositories, userId: string): Promise<string | null> {
  const byVenue = new Map<string, number>()
  for (const position of await store.positions.listOpen(userId)) {
    if (position.environment === 'paper' || !isExchangeId(position.broker) || isImported(position)) continue
    if (position.metadata.exits === 'native') continue
    if (position.metadata.outside && !position.metadata.protectedOnRequest) continue
    const venue = `${EXCHANGES[position.broker].label} ${position.environment}`
    byVenue.set(venue, (byVenue.get(venue) ?? 0) + 1)
  }
  if (byVenue.size === 0) return null
  const counted = [...byVenue].map(([venue, count]) => `${count} position${count === 1 ? '' : 's'} on ${venue}`)
  const total = [...byVenue.values()].reduce((sum, count) => sum + count, 0)
  return `${counted.join(' and ')} ${total === 1 ? 'has' : 'have'} no stop on the exchange: Tradedeck watches ${total === 1 ? 'it' : 'them'} while it runs, and while Tradedeck is closed nothing watches ${total === 1 ? 'it' : 'them'}.`
}
