import { describe, expect, it } from 'vitest'
import { openVenue } from '../../src/main/core/domains/exchanges/registry'
import { useVenueStandin } from '../helpers/venue-standins'
import { standinKey } from '../helpers/standin-key'
import { useDeribitStandin } from '../helpers/use-deribit-standin'

const KEY = standinKey('trigger-key-0042', 'Tr1gger-secret-kept-sealed')
const INSTRUMENT = 'BTC_USDC-PERPETUAL'

/**
 * What Deribit does that the other venues do not, and how Tradedeck reads it (the stand-in follows
 * Deribit's API docs here; see tests/helpers/deribit-standin.ts):
 * - a stop that fires reads `triggered`, with its fill on a market order of its own that carries
 *   `trigger_order_id`; private/get_trigger_order_history links the two;
 * - cancelling an order that is no longer open answers 11044 not_open_order.
 */
describe('Deribit trigger orders and cancels, against its local stand-in', () => {
  const standin = useVenueStandin('deribit', KEY)

  async function longWithStop() {
    const venue = await openVenue('deribit', 'testnet', KEY)
    const mark = standin().markPrice(INSTRUMENT)
    await venue.place({
      instrument: INSTRUMENT,
      side: 'buy',
      quantity: '0.002',
      clientOrderId: 'td-entry',
      reduceOnly: false,
    })
    const stop = await venue.place({
      instrument: INSTRUMENT,
      side: 'sell',
      quantity: '0.002',
      clientOrderId: 'tds-stop',
      reduceOnly: true,
      trigger: { kind: 'stop_loss', price: String(mark - 500) },
    })
    return { venue, mark, stop }
  }

  it('reads a fired stop as filled at the price of the market order it became, under the stop’s own id and label', async () => {
    const { venue, mark, stop } = await longWithStop()
    expect(stop).toMatchObject({ status: 'open', filled: '0' })
    standin().setMarkPrice(INSTRUMENT, mark - 520)

    const fetched = await venue.fetch(INSTRUMENT, stop.id)
    expect(fetched).toMatchObject({
      id: stop.id,
      clientOrderId: 'tds-stop',
      status: 'filled',
      filled: '0.002',
      average: String(mark - 520),
    })
    expect(standin().calls).toContain('private/get_trigger_order_history')
    // Looked up by its label, it is one order, not the stop and its market order as two.
    expect(await venue.findByClientId(INSTRUMENT, 'tds-stop')).toEqual([fetched])
  })

  it('answers a cancel that arrives after the stop fired with the order’s state, not a failure', async () => {
    const { venue, mark, stop } = await longWithStop()
    standin().setMarkPrice(INSTRUMENT, mark - 520)
    const cancelled = await venue.cancel(INSTRUMENT, stop.id)
    expect(cancelled).toMatchObject({ id: stop.id, status: 'filled', filled: '0.002' })
    expect(standin().calls.filter((call) => call === 'private/cancel')).toHaveLength(1)
  })
})

describe('Deribit finds a label among recent orders only, against its local stand-in', () => {
  const standin = useDeribitStandin([
    { clientId: KEY.apiKey, clientSecret: KEY.secret, scope: 'account:read trade:read_write wallet:read' },
  ])

  it('an order that finished before the label lookup forgets it is found in the order history, never taken for "never placed"', async () => {
    const venue = await openVenue('deribit', 'testnet', KEY)
    const placed = await venue.place({
      instrument: INSTRUMENT,
      side: 'buy',
      quantity: '0.002',
      clientOrderId: 'td-long-ago',
      reduceOnly: false,
    })
    // Deribit's label lookup returns "recent" orders (its API docs): from now on, this filled one is not among them.
    standin().setLabelRecency(0)
    await new Promise((resolve) => setTimeout(resolve, 5))
    const calls = standin().calls.length
    expect(await venue.findByClientId(INSTRUMENT, 'td-long-ago')).toMatchObject([
      { id: placed.id, clientOrderId: 'td-long-ago', status: 'filled', filled: '0.002' },
    ])
    expect(standin().calls.slice(calls)).toEqual([
      'private/get_order_state_by_label',
      'private/get_order_history_by_instrument',
    ])
    // A label never used is found nowhere.
    expect(await venue.findByClientId(INSTRUMENT, 'td-never-used')).toEqual([])
  })
})
