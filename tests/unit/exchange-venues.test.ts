import { describe, expect, it } from 'vitest'
import { EXCHANGE_DEFINITIONS, EXCHANGE_IDS, EXCHANGES } from '../../src/main/core/domains/exchanges/registry'
import { clientOrderIdOf, entryClientOrderId } from '../../src/main/core/domains/exchanges/client-order-ids'
import { venueIsWritten } from '../../src/main/core/domains/exchanges/registry'

describe('the exchanges Tradedeck places orders on', () => {
  it('says "Tradedeck trades here" exactly where an order path is written', () => {
    for (const id of EXCHANGE_IDS) expect([id, EXCHANGES[id].placesOrders]).toEqual([id, venueIsWritten(id)])
  })

  it('derives client ids that every exchange takes: at most 36 characters of letters, digits and dashes, the same on every resend', () => {
    const ideaId = '019ac5d2-7f3e-7b1a-9c44-0d5e6f7a8b9c'
    const positionId = '019ac5d2-8a10-7c2b-8d55-1e6f7a8b9c0d'
    const ids = [
      entryClientOrderId(ideaId),
      clientOrderIdOf({ id: 'order', tradeIdeaId: ideaId, metadata: {} }),
      clientOrderIdOf({ id: 'order', tradeIdeaId: ideaId, metadata: { closes: positionId } }),
      clientOrderIdOf({
        id: 'order',
        tradeIdeaId: ideaId,
        metadata: { closes: positionId, native: true, reason: 'stop_loss' },
      }),
      clientOrderIdOf({
        id: 'order',
        tradeIdeaId: ideaId,
        metadata: { closes: positionId, native: true, reason: 'take_profit' },
      }),
    ]
    expect(ids).toEqual([
      'td-019ac5d27f3e7b1a9c440d5e6f7a8b9c',
      'td-019ac5d27f3e7b1a9c440d5e6f7a8b9c',
      'tdc-019ac5d28a107c2b8d551e6f7a8b9c0d',
      'tds-019ac5d28a107c2b8d551e6f7a8b9c0d',
      'tdt-019ac5d28a107c2b8d551e6f7a8b9c0d',
    ])
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]{1,36}$/)
    for (const exchange of EXCHANGE_IDS)
      for (const id of ids)
        expect([exchange, id.length <= EXCHANGE_DEFINITIONS[exchange].clientIdMaxLength]).toEqual([exchange, true])
  })

  it('has one definition per exchange id, each describing the exchange it is listed under', () => {
    expect(Object.keys(EXCHANGE_DEFINITIONS).sort()).toEqual([...EXCHANGE_IDS].sort())
    for (const id of EXCHANGE_IDS) {
      expect(EXCHANGE_DEFINITIONS[id].capabilities.id).toBe(id)
      expect(EXCHANGE_DEFINITIONS[id].withdrawRight.length).toBeGreaterThan(0)
      expect(EXCHANGE_DEFINITIONS[id].tradeRight.length).toBeGreaterThan(0)
    }
  })

  it('sets up the ccxt client the way each exchange needs: Binance spot fetches spot markets alone, neither Binance fetches margin pairs', async () => {
    const ccxt = (await import('ccxt')).default
    const spot = new ccxt.binance({})
    EXCHANGE_DEFINITIONS.binance.configureClient?.(spot)
    expect(spot.options).toMatchObject({ defaultType: 'spot', fetchMarkets: { types: ['spot'] }, fetchMargins: false })
    const futures = new ccxt.binanceusdm({})
    EXCHANGE_DEFINITIONS.binanceusdm.configureClient?.(futures)
    expect(futures.options['fetchMargins']).toBe(false)
    expect(EXCHANGE_DEFINITIONS.deribit.configureClient).toBeUndefined()
  })
})

describe('how long an exchange request may take', () => {
  it('is 15 s unless TRADEDECK_EXCHANGE_TIMEOUT_MS names a whole number of milliseconds from 1,000 to 120,000', async () => {
    const { requestTimeoutMs } = await import('../../src/main/core/domains/exchanges/exchange-client')
    expect(requestTimeoutMs({})).toBe(15_000)
    expect(requestTimeoutMs({ TRADEDECK_EXCHANGE_TIMEOUT_MS: '3000' })).toBe(3_000)
    for (const value of ['0', '999', '120001', '2.5', 'soon', ''])
      expect(requestTimeoutMs({ TRADEDECK_EXCHANGE_TIMEOUT_MS: value }), value).toBe(15_000)
  })

  it('polls every second, backs off from half a poll and judges a send unanswered after the timeout and five polls, unless TRADEDECK_EXCHANGE_POLL_MS says otherwise', async () => {
    const { exchangeTiming } = await import('../../src/main/core/domains/exchanges/exchange-client')
    expect(exchangeTiming({})).toEqual({
      requestTimeoutMs: 15_000,
      pollMs: 1_000,
      backoffMs: 500,
      unansweredAfterMs: 20_000,
    })
    expect(exchangeTiming({ TRADEDECK_EXCHANGE_TIMEOUT_MS: '2000', TRADEDECK_EXCHANGE_POLL_MS: '100' })).toEqual({
      requestTimeoutMs: 2_000,
      pollMs: 100,
      backoffMs: 50,
      unansweredAfterMs: 2_500,
    })
    for (const value of ['99', '60001', '1.5', 'often'])
      expect(exchangeTiming({ TRADEDECK_EXCHANGE_POLL_MS: value }).pollMs, value).toBe(1_000)
  })

  it("paces ccxt by the exchange's own limits unless TRADEDECK_EXCHANGE_RATE_LIMIT_MS replaces them", async () => {
    const { rateLimitOverrideMs } = await import('../../src/main/core/domains/exchanges/exchange-client')
    expect(rateLimitOverrideMs({})).toBeNull()
    expect(rateLimitOverrideMs({ TRADEDECK_EXCHANGE_RATE_LIMIT_MS: '1' })).toBe(1)
    for (const value of ['0', '10001', 'fast'])
      expect(rateLimitOverrideMs({ TRADEDECK_EXCHANGE_RATE_LIMIT_MS: value })).toBeNull()
  })
})
