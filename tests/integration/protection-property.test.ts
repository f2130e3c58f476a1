import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { entryClientOrderId } from '../../src/main/core/domains/exchanges/client-order-ids'
import { callCore as call, useExchangeDesks, waitingIdea } from '../helpers/exchange-desk'
import { useVenueStandin } from '../helpers/venue-standins'
import { standinKey } from '../helpers/standin-key'

const KEY = standinKey('property-key-0042', 'Pr0perty-secret-kept-sealed')
const INSTRUMENT = 'BTC_USDC-PERPETUAL'

type Step =
  | { kind: 'enter'; size: '0.001' | '0.002' | '0.003'; fault: 'none' | 'lost_reply' | 'in_parts' | 'lost_stop_reply' }
  | { kind: 'cancel_stop' }
  | { kind: 'resize'; by: -1 | 1 }
  | { kind: 'close_one' }

const steps = fc.array(
  fc.oneof(
    fc.record({
      kind: fc.constant('enter' as const),
      size: fc.constantFrom('0.001' as const, '0.002' as const, '0.003' as const),
      fault: fc.constantFrom('none' as const, 'lost_reply' as const, 'in_parts' as const, 'lost_stop_reply' as const),
    }),
    fc.constant({ kind: 'cancel_stop' as const }),
    fc.record({ kind: fc.constant('resize' as const), by: fc.constantFrom(-1 as const, 1 as const) }),
    fc.constant({ kind: 'close_one' as const }),
  ),
  { minLength: 2, maxLength: 6 },
)

/*
 * Random sequences of entries (some with a lost reply, some filling in parts, some whose stop's reply is lost),
 * stops cancelled on the exchange's own screen, positions resized there, and closes, on the Deribit stand-in. After
 * each step and one reconciliation (the desk's sync of orders and holdings), every position the exchange holds has
 * reduce-only stops and targets resting for all of it, and no idea has more than one entry on the exchange.
 */
describe('the protection invariant over random sequences, against the Deribit stand-in', () => {
  const standin = useVenueStandin('deribit', KEY)
  const desk = useExchangeDesks('deribit', INSTRUMENT, KEY)

  it('no position is left unprotected after a sync, and no idea enters twice', async () => {
    await fc.assert(
      fc.asyncProperty(steps, async (sequence: Step[]) => {
        standin().reset()
        const { core, user, strategyId, close } = await desk()
        try {
          await call(core, 'risk:update', { patch: { maxConcurrentTrades: 100, maxLotSize: '1' } })
          const broker = core.services.trading.exchangeBrokerFor(user, 'deribit', 'testnet')
          const ideas: string[] = []
          for (const step of sequence) {
            const held = standin()
              .positions()
              .find((position) => position.instrument === INSTRUMENT)
            if (step.kind === 'enter') {
              const idea = await waitingIdea(core, strategyId, INSTRUMENT, standin().markPrice(INSTRUMENT), step.size)
              ideas.push(idea.id)
              if (step.fault === 'lost_reply') standin().loseReplyNext('private/buy')
              if (step.fault === 'in_parts') standin().fillInPartsNext(2)
              if (step.fault === 'lost_stop_reply') standin().loseReplyNext('private/sell')
              await call(core, 'ideas:approve', { id: idea.id })
            } else if (step.kind === 'cancel_stop') {
              const stop = standin()
                .orders()
                .find((order) => order.kind === 'stop' && order.state === 'untriggered')
              if (stop) standin().cancelDirectly(stop.clientOrderId)
            } else if (step.kind === 'resize' && held) {
              const size = Number((held.size + step.by * 0.001).toFixed(3))
              standin().setPosition(INSTRUMENT, size, held.averagePrice)
            } else if (step.kind === 'close_one') {
              const [position] = await broker.getPositions()
              if (position) await broker.closePosition(position, 'manual')
            }
            await broker.reconcile()

            const now = standin()
              .positions()
              .find((position) => position.instrument === INSTRUMENT)
            const resting = (kind: 'stop' | 'take') =>
              standin()
                .orders()
                .filter((order) => order.kind === kind && order.state === 'untriggered' && order.reduceOnly)
                .reduce((sum, order) => sum + order.amount, 0)
            const size = now ? Math.abs(now.size) : 0
            expect({
              step,
              held: size,
              stops: resting('stop') >= size - 1e-9,
              targets: resting('take') >= size - 1e-9,
            }).toEqual({ step, held: size, stops: true, targets: true })
            for (const idea of ideas)
              expect(
                standin()
                  .orders()
                  .filter((order) => order.clientOrderId === entryClientOrderId(idea)),
              ).toHaveLength(1)
          }
        } finally {
          close()
        }
      }),
      { numRuns: 25, seed: 20261205 },
    )
  }, 120_000)
})
