import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import Decimal from 'decimal.js'
import { entryClientOrderId } from '../../src/main/core/domains/exchanges/client-order-ids'
import type { Core } from '../../src/main/core/wiring/app'
import type { Decision, FlattenReport, ReconcileView, TradeIdea } from '../../src/shared/domain'
import { callCore as call, useExchangeDesks, waitingIdea } from '../helpers/exchange-desk'
import { startBinanceSpotStandin, BINANCE_SPOT_BTC, type BinanceSpotStandin } from '../helpers/binance-spot-standin'
import { runTsChild } from '../helpers/child-process'
import { openVenue } from '../../src/main/core/domains/exchanges/registry'
import { useStandinTiming } from '../helpers/standin-timing'
import { standinKey } from '../helpers/standin-key'

const KEY = standinKey('spot-key-0042', 'Sp0t-secret-kept-sealed')
const ENDPOINT = 'TRADEDECK_EXCHANGE_URL_BINANCE_TESTNET'
const PAIR = BINANCE_SPOT_BTC
const SPOT_FEE = new Decimal('0.001')

describe('orders on Binance spot through ccxt: long-only, the buy fee taken in the coin bought, the wallet shared with the trader', () => {
  let standin: BinanceSpotStandin
  let restoreTiming: () => void
  beforeAll(async () => {
    standin = await startBinanceSpotStandin({ keys: [KEY] })
    process.env[ENDPOINT] = standin.url
    restoreTiming = useStandinTiming()
  })
  afterAll(async () => {
    delete process.env[ENDPOINT]
    restoreTiming()
    await standin.close()
  })
  afterEach(() => standin.reset())
  const desk = useExchangeDesks('binance', PAIR, KEY)
  const idea = (core: Core, strategyId: string, size: string) =>
    waitingIdea(core, strategyId, PAIR, standin.engine.markPrice(PAIR), size)
  const labelled = (clientOrderId: string) =>
    standin.engine.orders().filter((order) => order.clientOrderId === clientOrderId)
  const open = (core: Core, user: string) =>
    core.context.store.positions.listOpen(user, { broker: 'binance', environment: 'testnet' })
  /** An approved 0.002 BTC buy, held, and a closed candle whose low goes through its stop. */
  async function heldWithStop() {
    const { core, user, strategyId } = await desk()
    const approved = await idea(core, strategyId, '0.002')
    await call(core, 'ideas:approve', { id: approved.id })
    const [position] = await open(core, user)
    const stop = Number(approved.stopLoss)
    const candle = {
      symbol: PAIR,
      timeframe: '1m',
      ts: new Date().toISOString(),
      open: String(stop + 100),
      high: String(stop + 150),
      low: String(stop - 50),
      close: String(stop + 20),
      volume: '3',
    }
    return {
      core,
      user,
      approved,
      position: position!,
      broker: core.services.trading.exchangeBrokerFor(user, 'binance', 'testnet'),
      candle,
    }
  }
  const reconciledRows = async (core: Core, user: string) =>
    (await core.context.store.decisions.query(user, { actions: ['reconciled'] }, { limit: 10 })).rows as Decision[]

  it('buys once by client id; the position is what the wallet received after the fee taken in BTC, and the fee is recorded in USDT', async () => {
    const { core, user, strategyId } = await desk()
    const approved = await idea(core, strategyId, '0.002')
    expect((await call<TradeIdea>(core, 'ideas:approve', { id: approved.id })).status).toBe('executed')
    const [placed, ...others] = labelled(entryClientOrderId(approved.id))
    expect(others).toEqual([])
    expect(placed).toMatchObject({ side: 'buy', kind: 'market', amount: 0.002, state: 'filled' })
    const received = new Decimal('0.002').times(new Decimal(1).minus(SPOT_FEE))
    expect(standin.balances().BTC).toBe(received.toNumber())
    const [position] = await open(core, user)
    expect(position).toMatchObject({
      symbol: PAIR,
      direction: 'long',
      quantity: received.toString(),
      averagePrice: String(placed!.average),
      stopLoss: approved.stopLoss,
      takeProfit: approved.takeProfit,
      metadata: expect.objectContaining({ exits: 'managed' }),
    })
    const [order] = await core.context.store.orders.list(user, { tradeIdeaId: approved.id })
    const [fill] = await core.context.store.orders.fills(user, order!.id)
    // The exchange's own record: 0.000002 BTC kept, valued at the fill's price.
    expect(fill).toMatchObject({ quantity: '0.002', price: String(placed!.average) })
    expect(Number(fill!.fee)).toBeCloseTo(0.000002 * placed!.average, 6)
    expect(Number(position!.metadata.entryFee)).toBeCloseTo(0.000002 * placed!.average, 6)
    // The desk and the wallet agree: nothing to reconcile.
    const [report] = await call<ReconcileView[]>(core, 'exchanges:reconcile')
    expect(report).toMatchObject({ exchange: 'binance', differences: [], error: null })
    expect(await reconciledRows(core, user)).toEqual([])
  })

  it('after a lost reply and 429s, finds the buy by its client id instead of buying twice', async () => {
    const { core, strategyId } = await desk()
    const approved = await idea(core, strategyId, '0.001')
    standin.faults.rateLimitNext(2, 'POST /api/v3/order')
    standin.faults.loseReplyNext('POST /api/v3/order')
    expect((await call<TradeIdea>(core, 'ideas:approve', { id: approved.id })).status).toBe('executed')
    expect(labelled(entryClientOrderId(approved.id))).toHaveLength(1)
  })

  it('kill -9 after Binance took the buy but before the desk recorded it: the restart finds it, and holds what the wallet received', async () => {
    const first = await desk()
    const approved = await idea(first.core, first.strategyId, '0.002')
    first.close()
    const child = runTsChild('approve-child.ts', [first.dataDir, approved.id])
    standin.faults.holdReplyNext('POST /api/v3/order', () => child.process.kill('SIGKILL'))
    expect(await child.exited).toBeNull()
    expect(labelled(entryClientOrderId(approved.id))).toMatchObject([{ state: 'filled' }])

    const second = await desk(first.dataDir)
    expect((await second.core.context.store.tradeIdeas.get(second.user, approved.id))!.status).toBe('executed')
    expect(await open(second.core, second.user)).toMatchObject([{ quantity: '0.001998' }])
    expect(labelled(entryClientOrderId(approved.id))).toHaveLength(1)
    expect(await reconciledRows(second.core, second.user)).toEqual([])
  })

  it('is long-only: a short idea is refused by the risk engine and never waits for anyone; the venue refuses a sell that would open one too', async () => {
    const { core, user, strategyId } = await desk()
    const entry = standin.engine.markPrice(PAIR)
    const { idea: short, decision } = await core.services.trading.for(user).service.propose(user, {
      strategyId,
      symbol: PAIR,
      direction: 'short',
      entryPrice: String(entry),
      stopLoss: String(entry + 600),
      takeProfit: String(entry - 1200),
      size: '0.001',
      confidence: 0.8,
      rationale: 'test idea',
    })
    expect(decision).toMatchObject({
      route: 'reject',
      reasons: [
        {
          code: 'venue_long_only',
          message: 'Binance (spot) is long-only: a short would sell coin the desk does not hold.',
        },
      ],
    })
    expect(short.status).toBe('rejected')
    expect(
      (await core.context.store.decisions.query(user, { actions: ['risk_rejected'] }, { limit: 5 })).rows,
    ).toMatchObject([{ tradeIdeaId: short.id }])
    // Behind the rule, the venue itself sends no sell that is not a close.
    const venue = await openVenue('binance', 'testnet', KEY)
    await expect(
      venue.place({
        instrument: PAIR,
        side: 'sell',
        quantity: '0.001',
        clientOrderId: 'td-standalone-short',
        reduceOnly: false,
      }),
    ).rejects.toThrow('long-only')
    expect(standin.engine.orders()).toEqual([])
  })

  it('maps a buy filled in parts, each part net of its fee', async () => {
    const { core, user, strategyId } = await desk()
    const approved = await idea(core, strategyId, '0.002')
    standin.engine.fillInPartsNext(2)
    await call(core, 'ideas:approve', { id: approved.id })
    expect((await open(core, user))[0]!.quantity).toBe('0.000999')
    await core.services.trading.exchangeBrokerFor(user, 'binance', 'testnet').sync()
    const [order] = await core.context.store.orders.list(user, { tradeIdeaId: approved.id })
    expect(order!.status).toBe('filled')
    expect((await core.context.store.orders.fills(user, order!.id)).map((fill) => fill.quantity)).toEqual([
      '0.001',
      '0.001',
    ])
    expect((await open(core, user))[0]!.quantity).toBe('0.001998')
  })

  it('watches the stop itself: a candle through it sells the holding rounded down to the step; what is below one step stays in the wallet', async () => {
    const { core, user, approved, position, broker, candle } = await heldWithStop()
    await broker.onCandle(candle)
    await broker.onCandle(candle)
    const closes = labelled(`tdc-${position.id.replaceAll('-', '')}`)
    expect(closes).toMatchObject([{ side: 'sell', kind: 'market', amount: 0.00199, state: 'filled' }])
    expect(await open(core, user)).toEqual([])
    const [trade] = await core.context.store.trades.all(user, { broker: 'binance' })
    const exit = closes[0]!.average
    expect(trade).toMatchObject({
      positionId: position.id,
      exitReason: 'stop_loss',
      quantity: '0.00199',
      exitPrice: String(exit),
      tradeIdeaId: approved.id,
    })
    expect(Number(trade!.realizedPnl)).toBeCloseTo((exit - Number(position.averagePrice)) * 0.00199, 6)
    // The sell's fee is in USDT; the buy's was in BTC: both are the trade's fees.
    expect(Number(trade!.fees)).toBeCloseTo(0.000002 * Number(position.averagePrice) + 0.00199 * exit * 0.001, 6)
    expect(standin.balances().BTC).toBe(0.000008)
  })

  it('leaves a coin whose sale is still on its way to that order: a reconciliation meanwhile closes nothing at a guessed price', async () => {
    const { core, user, position, broker, candle } = await heldWithStop()
    let meanwhile: Promise<{ differences: string[] }> | undefined
    // Binance has sold the coin; the reply saying so has not reached the desk yet.
    standin.faults.holdReplyNext('POST /api/v3/order', () => (meanwhile = broker.reconcile()))
    await broker.onCandle(candle)
    expect((await meanwhile!).differences).toEqual([])
    const [trade] = await core.context.store.trades.all(user, { broker: 'binance' })
    const [sale] = labelled(`tdc-${position.id.replaceAll('-', '')}`)
    expect(trade).toMatchObject({
      positionId: position.id,
      exitReason: 'stop_loss',
      quantity: '0.00199',
      exitPrice: String(sale!.average),
    })
    expect(await reconciledRows(core, user)).toEqual([])
  }, 60_000)

  it("reconciles against the wallet: the trader's own coins are never adopted; coins sold outside Tradedeck shrink the desk's position, with a reconciled row", async () => {
    standin.setBalance('BTC', 0.5)
    const { core, user, strategyId } = await desk()
    // Half a BTC of the trader's own: the desk holds nothing, and adopts nothing.
    expect(await open(core, user)).toEqual([])
    expect(await reconciledRows(core, user)).toEqual([])
    const approved = await idea(core, strategyId, '0.002')
    await call(core, 'ideas:approve', { id: approved.id })
    expect((await call<ReconcileView[]>(core, 'exchanges:reconcile'))[0]!.differences).toEqual([])

    // The trader sold on Binance's own screen, down to 0.0005 BTC: less than the desk's 0.001998.
    standin.setBalance('BTC', 0.0005)
    const [report] = await call<ReconcileView[]>(core, 'exchanges:reconcile')
    expect(report!.differences).toEqual([
      'The desk held 0.001998 BTC (BTCUSDT); the Binance (spot) testnet wallet holds 0.0005 BTC.',
    ])
    const [cut] = await open(core, user)
    expect(cut).toMatchObject({ quantity: '0.0005', strategyId })
    const [trade] = await core.context.store.trades.all(user, { broker: 'binance' })
    expect(trade).toMatchObject({ quantity: '0.001498', exitReason: 'manual' })
    const [row] = await reconciledRows(core, user)
    expect(row!.rationale).toContain('0.001498 BTC was sold or moved outside Tradedeck')
    expect(row!.rationale).toContain(
      "Coins in the wallet beyond the desk's positions are the trader's own and are never adopted.",
    )

    // All of it gone: the position closes. Agreeing again writes nothing.
    standin.setBalance('BTC', 0)
    await call(core, 'exchanges:reconcile')
    expect(await open(core, user)).toEqual([])
    await call(core, 'exchanges:reconcile')
    expect(await reconciledRows(core, user)).toHaveLength(2)
  })

  it("flatten and halt sells the desk's holding and cancels the desk's orders, leaving the trader's own coins and orders alone", async () => {
    standin.setBalance('BTC', 0.1)
    const own = standin.placeOwnStop(PAIR, 0.05, 40_000, 'web_7f3a9c')
    const { core, user, strategyId } = await desk()
    const approved = await idea(core, strategyId, '0.002')
    await call(core, 'ideas:approve', { id: approved.id })
    const report = await call<FlattenReport>(core, 'trading:flattenAndHalt', { reason: 'going home', confirm: true })
    expect(report).toMatchObject({
      halted: true,
      openPositions: 0,
      venues: [{ exchange: 'binance', environment: 'testnet', error: null }],
    })
    expect(standin.engine.orders().find((order) => order.id === own.id)).toMatchObject({ state: 'untriggered' })
    expect(await open(core, user)).toEqual([])
    const closes = standin.engine.orders().filter((order) => order.clientOrderId.startsWith('tdc-'))
    expect(closes).toMatchObject([{ side: 'sell', amount: 0.00199, state: 'filled' }])
    expect(standin.balances().BTC).toBe(0.100008)
    expect((await core.context.store.riskConfig.get(user))!.halted).toBe(true)
  })
})
