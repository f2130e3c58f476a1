import { describe, expect, it } from 'vitest'
import { entryClientOrderId } from '../../src/main/core/domains/exchanges/client-order-ids'
import { keyFor } from '../../src/main/core/domains/exchanges/exchange-keys'
import { EXCHANGES, openVenue } from '../../src/main/core/domains/exchanges/registry'
import type { Core } from '../../src/main/core/wiring/app'
import type { TradeIdea } from '../../src/shared/domain'
import { callCore as call, useExchangeDesks, waitingIdea } from '../helpers/exchange-desk'
import { standinKey } from '../helpers/standin-key'
import { waitFor } from '../helpers/sync-desk'
import { useVenueStandin } from '../helpers/venue-standins'

/*
 * Each exchange's documented error codes, answered by its stand-in to an order (each stand-in's table names its
 * source), and what Tradedeck does with each: a refusal fails the idea with the exchange's reason and nothing is
 * placed; a 429 is tried again and places the order once; an answer that leaves the order's fate open is settled
 * by a lookup of its client id, never by a second send: found when the exchange had acted, and otherwise failed
 * as never taken once the lookups have had their time.
 */

type Reaction = 'refused' | 'rate_limited' | 'unknown, it acted' | 'unknown, it did not act'

const KEY = standinKey('codes-key-0042', 'C0des-secret-kept-sealed')
const CASES: Record<'deribit' | 'binanceusdm' | 'bybit', { instrument: string; codes: [number, Reaction][] }> = {
  deribit: {
    instrument: 'BTC_USDC-PERPETUAL',
    codes: [
      [10_009, 'refused'],
      [10_028, 'rate_limited'],
      [10_040, 'unknown, it acted'],
      [10_041, 'unknown, it did not act'],
      // ccxt reads 10047 as DDoSProtection: a request the exchange did not take, sent again.
      [10_047, 'rate_limited'],
    ],
  },
  binanceusdm: {
    instrument: 'BTCUSDT',
    codes: [
      [-2019, 'refused'],
      [-1003, 'rate_limited'],
      [-1000, 'unknown, it acted'],
      [-1006, 'unknown, it acted'],
      [-1007, 'unknown, it acted'],
    ],
  },
  bybit: {
    instrument: 'BTCUSDT',
    codes: [
      [110_007, 'refused'],
      [10_006, 'rate_limited'],
      [10_016, 'unknown, it acted'],
    ],
  },
}

describe.each(Object.entries(CASES))(
  '%s: documented error codes and what Tradedeck does',
  (name, { instrument, codes }) => {
    const exchange = name as keyof typeof CASES
    const standin = useVenueStandin(exchange, KEY)
    const desk = useExchangeDesks(exchange, instrument, KEY)
    const label = `${EXCHANGES[exchange].label} testnet`

    const filledWith = (clientOrderId: string) =>
      standin()
        .orders()
        .filter((order) => order.clientOrderId === clientOrderId && order.filled > 0)
    const settled = (core: Core, user: string, idea: TradeIdea) =>
      waitFor(
        'the idea to settle',
        async () => {
          await core.services.trading
            .exchangeBrokerFor(user, exchange, 'testnet')
            .sync()
            .catch(() => undefined)
          return (await core.context.store.tradeIdeas.get(user, idea.id))!
        },
        (current) => current.status === 'executed' || current.status === 'failed',
        30_000,
      )

    it.each(codes)('an order answered with %i: %s', async (code, reaction) => {
      const { core, user, strategyId } = await desk()
      const idea = await waitingIdea(core, strategyId, instrument, standin().markPrice(instrument), '0.002')
      standin().answerNext(standin().routes.buy, code)
      const before = standin().calls.length
      const approved = await call<TradeIdea>(core, 'ideas:approve', { id: idea.id })
      const clientOrderId = entryClientOrderId(idea.id)
      // The entry's sends: on Bybit the stop and target go to the same route.
      const sends = () =>
        standin()
          .calls.slice(before)
          .filter((route) => route === standin().routes.buy).length -
        (standin().routes.protective === standin().routes.buy
          ? standin()
              .orders()
              .filter((order) => order.kind !== 'market').length
          : 0)
      switch (reaction) {
        case 'refused':
          expect(approved.status).toBe('failed')
          expect(approved.decisionNote).toContain(`${label} refused the order`)
          expect(approved.decisionNote).toContain('Nothing was placed.')
          expect(filledWith(clientOrderId)).toEqual([])
          break
        case 'rate_limited':
          expect(approved.status).toBe('executed')
          expect(sends()).toBe(2)
          expect(filledWith(clientOrderId)).toHaveLength(1)
          break
        case 'unknown, it acted':
          expect(approved.status).toBe('executed')
          expect(sends()).toBe(1)
          expect(filledWith(clientOrderId)).toHaveLength(1)
          break
        case 'unknown, it did not act': {
          // Pending while its fate is open; sent once, and failed as never taken once the lookups have had their time.
          expect(approved.status).toBe('approved')
          const final = await settled(core, user, idea)
          expect(final.status).toBe('failed')
          expect(final.decisionNote).toContain('it was never taken')
          expect(sends()).toBe(1)
          expect(filledWith(clientOrderId)).toEqual([])
          break
        }
      }
    })

    if (exchange !== 'deribit')
      it("an order signed on a clock further off than the exchange's receive window is refused, and nothing is placed", async () => {
        const { core, strategyId } = await desk()
        const idea = await waitingIdea(core, strategyId, instrument, standin().markPrice(instrument), '0.002')
        // The desk measured the clock at start; the exchange's clock has since moved past the window.
        standin().setClockOffset(60_000)
        const approved = await call<TradeIdea>(core, 'ideas:approve', { id: idea.id })
        expect(approved.status).toBe('failed')
        expect(approved.decisionNote).toMatch(/clock is 60\.\d s|recvWindow|recv_window|signed by this machine.s clock/)
        expect(filledWith(entryClientOrderId(idea.id))).toEqual([])
      })

    it('a second order under a client id still open is refused as a duplicate where the exchange checks, and read as "may exist"', async () => {
      const { core, user } = await desk()
      const key = await keyFor(core.context, user, exchange, 'testnet')
      const venue = await openVenue(exchange, 'testnet', key!)
      const mark = standin().markPrice(instrument)
      // A long to stop: the exchanges take a reduce-only stop only beside a position.
      standin().setPosition(instrument, 0.002, mark)
      const stop = {
        instrument,
        side: 'sell' as const,
        quantity: '0.001',
        clientOrderId: 'tdx-duplicate-0001',
        reduceOnly: true,
        trigger: { kind: 'stop_loss' as const, price: String(Math.round(mark / 2)) },
      }
      await venue.place(stop)
      const second = await venue.place(stop).then(
        () => null,
        (error: unknown) => error,
      )
      if (exchange === 'deribit') {
        // Deribit's labels are not unique (its docs say nothing of a check): both are taken. This is why a send whose
        // reply was lost is never sent again, only looked up.
        expect(second).toBeNull()
        expect(
          standin()
            .orders()
            .filter((order) => order.clientOrderId === stop.clientOrderId),
        ).toHaveLength(2)
      } else {
        expect(String(second)).toMatch(exchange === 'bybit' ? /110072/ : /-4116/)
        expect(await venue.classify(second)).toBe('unknown_outcome')
        expect(
          standin()
            .orders()
            .filter((order) => order.clientOrderId === stop.clientOrderId),
        ).toHaveLength(1)
      }
    })
  },
)
