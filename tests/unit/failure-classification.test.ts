import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import { BINANCE_OUTCOME_UNKNOWN } from '../../src/main/core/domains/exchanges/binance/client'
import { BYBIT_OUTCOME_UNKNOWN } from '../../src/main/core/domains/exchanges/bybit/venue'
import { DERIBIT_OUTCOME_UNKNOWN } from '../../src/main/core/domains/exchanges/deribit/venue'
import { classifyFailure } from '../../src/main/core/domains/exchanges/order-venue'
import { BrokerError } from '../../src/main/core/domains/trading/broker'

/** An error as ccxt throws it for an exchange's reply: its class, and the exchange's id and body as its message. */
const replied = (Class: new (message: string) => Error, exchange: string, body: object) =>
  new Class(`${exchange} ${JSON.stringify(body)}`)

describe('how a failed order request may have ended', () => {
  it('by ccxt class: only a refusal or a 429 proves nothing was placed', async () => {
    const cases: [Error, string][] = [
      [new ccxt.RequestTimeout('timed out'), 'unknown_outcome'],
      [new ccxt.NetworkError('socket hang up'), 'unknown_outcome'],
      [new ccxt.ExchangeNotAvailable('503 Service Unavailable'), 'unknown_outcome'],
      [new ccxt.BadResponse('could not parse the reply'), 'unknown_outcome'],
      [new ccxt.NullResponse('empty reply'), 'unknown_outcome'],
      [new ccxt.OperationFailed('unknown error'), 'unknown_outcome'],
      // A request signed too far off the exchange's clock (Binance -1021, Bybit 10002) is refused before it acts.
      [new ccxt.InvalidNonce('timestamp outside recvWindow'), 'refused'],
      [new ccxt.DDoSProtection('429'), 'rate_limited'],
      [new ccxt.RateLimitExceeded('too many requests'), 'rate_limited'],
      [new ccxt.InsufficientFunds('not enough margin'), 'refused'],
      [new ccxt.InvalidOrder('bad size'), 'refused'],
      [new ccxt.AuthenticationError('bad key'), 'refused'],
      [new ccxt.ExchangeError('refused'), 'refused'],
      [new BrokerError('not a whole number of steps'), 'refused'],
    ]
    for (const [error, kind] of cases)
      expect([error.constructor.name, await classifyFailure(error)]).toEqual([error.constructor.name, kind])
  })

  it("by each exchange's own codes for an unknown status and a duplicate client id, whatever class ccxt gave them", async () => {
    const unknown: [Error, readonly RegExp[]][] = [
      [
        replied(ccxt.OperationFailed, 'binance', {
          code: -1000,
          msg: 'An unknown error occured while processing the request.',
        }),
        BINANCE_OUTCOME_UNKNOWN,
      ],
      [
        replied(ccxt.ExchangeError, 'binance', {
          code: -1001,
          msg: 'Internal error; unable to process your request. Please try again.',
        }),
        BINANCE_OUTCOME_UNKNOWN,
      ],
      [
        replied(ccxt.ExchangeError, 'binance', {
          code: -1006,
          msg: 'An unexpected response was received from the message bus. Execution status unknown.',
        }),
        BINANCE_OUTCOME_UNKNOWN,
      ],
      [
        replied(ccxt.ExchangeError, 'binanceusdm', {
          code: -1007,
          msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
        }),
        BINANCE_OUTCOME_UNKNOWN,
      ],
      [
        replied(ccxt.InvalidOrder, 'binanceusdm', { code: -4116, msg: 'ClientOrderId is duplicated.' }),
        BINANCE_OUTCOME_UNKNOWN,
      ],
      [replied(ccxt.InvalidOrder, 'binance', { code: -2010, msg: 'Duplicate order sent.' }), BINANCE_OUTCOME_UNKNOWN],
      [
        replied(ccxt.ExchangeError, 'bybit', { retCode: 10016, retMsg: 'System error. Please try again later.' }),
        BYBIT_OUTCOME_UNKNOWN,
      ],
      [
        replied(ccxt.InvalidOrder, 'bybit', { retCode: 110072, retMsg: 'OrderLinkedID is duplicate' }),
        BYBIT_OUTCOME_UNKNOWN,
      ],
      [
        replied(ccxt.ExchangeError, 'deribit', { jsonrpc: '2.0', error: { message: 'retry', code: 10040 } }),
        DERIBIT_OUTCOME_UNKNOWN,
      ],
      [
        replied(ccxt.ExchangeError, 'deribit', {
          jsonrpc: '2.0',
          error: { message: 'settlement_in_progress', code: 10041 },
        }),
        DERIBIT_OUTCOME_UNKNOWN,
      ],
      [
        replied(ccxt.ExchangeError, 'deribit', {
          jsonrpc: '2.0',
          error: { message: 'matching_engine_queue_full', code: 10047 },
        }),
        DERIBIT_OUTCOME_UNKNOWN,
      ],
    ]
    for (const [error, codes] of unknown) {
      expect([error.message, await classifyFailure(error, codes)]).toEqual([error.message, 'unknown_outcome'])
      // Without the exchange's codes, the class alone would have called it a refusal (unless it is OperationFailed).
      if (!(error instanceof ccxt.OperationFailed)) expect(await classifyFailure(error)).toBe('refused')
    }
    const refused: [Error, readonly RegExp[]][] = [
      [
        replied(ccxt.InsufficientFunds, 'binance', {
          code: -2010,
          msg: 'Account has insufficient balance for requested action.',
        }),
        BINANCE_OUTCOME_UNKNOWN,
      ],
      [
        replied(ccxt.InvalidOrder, 'binanceusdm', { code: -4164, msg: "Order's notional must be no smaller than 100" }),
        BINANCE_OUTCOME_UNKNOWN,
      ],
      [
        replied(ccxt.InsufficientFunds, 'bybit', { retCode: 110007, retMsg: 'ab not enough for new order' }),
        BYBIT_OUTCOME_UNKNOWN,
      ],
      [
        replied(ccxt.InsufficientFunds, 'deribit', {
          jsonrpc: '2.0',
          error: { message: 'not_enough_funds', code: 10009 },
        }),
        DERIBIT_OUTCOME_UNKNOWN,
      ],
    ]
    for (const [error, codes] of refused)
      expect([error.message, await classifyFailure(error, codes)]).toEqual([error.message, 'refused'])
  })
})
