import { describe, expect, it } from 'vitest'
import { EXCHANGE_IDS, EXCHANGES } from '../../src/main/core/domains/exchanges/capabilities'
import { clientOrderIdOf, entryClientOrderId } from '../../src/main/core/domains/exchanges/client-order-ids'
import { venueIsWritten } from '../../src/main/core/domains/exchanges/open-venue'

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
})
