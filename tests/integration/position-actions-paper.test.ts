import Decimal from 'decimal.js'
import { afterEach, describe, expect, it } from 'vitest'
import type { PositionView } from '../../src/shared/contract'
import type { Decision, TradeIdea } from '../../src/shared/domain'
import { callCore as call, openTestDesk } from '../helpers/exchange-desk'

/** A one-minute ETH-PERP candle at `ts`, opening and closing at `price`. */
const candle = (ts: number, price: number) => ({
  symbol: 'ETH-PERP',
  timeframe: '1m',
  ts: new Date(ts).toISOString(),
  open: String(price),
  high: String(price + 1),
  low: String(price - 1),
  close: String(price),
  volume: '5',
})

/*
 * Control of one paper position: close it, close part of it, move its stop and target. Each action writes its
 * decision row with the person as its actor in the same transaction as its change, and what it refuses it says in
 * words and changes nothing.
 */
describe('position actions on paper', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  })

  /** A desk holding long 2 ETH-PERP from 100, stop 90, target 120, the last price 104. */
  async function holding(direction: 'long' | 'short' = 'long') {
    const { core, user } = await openTestDesk(cleanups)
    const { service, broker } = core.services.trading.for(user)
    const long = direction === 'long'
    await call(core, 'risk:update', { patch: { maxLotSize: '10' } })
    const { idea } = await service.propose(user, {
      symbol: 'ETH-PERP',
      direction,
      entryPrice: '100',
      stopLoss: long ? '90' : '110',
      takeProfit: long ? '120' : '80',
      size: '2',
      confidence: 0.5,
      rationale: 'paper test',
    })
    await call<TradeIdea>(core, 'ideas:approve', { id: idea.id })
    const start = Date.now()
    await broker.onCandle(candle(start, 100))
    await broker.onCandle(candle(start + 60_000, 104))
    const [position] = await broker.getPositions()
    const rows = async (action: Decision['action']) =>
      (await core.context.store.decisions.query(user, { actions: [action] }, { cursor: null })).rows
    return { core, user, broker, position: position!, rows }
  }

  it('closes part of a position by percentage, rounded, the rest staying open with its levels and its share of the entry fee', async () => {
    const { core, user, broker, position, rows } = await holding()
    const entryFee = new Decimal(position.metadata.entryFee as string)
    const { position: left } = await call<{ position: PositionView | null }>(core, 'positions:close', {
      id: position.id,
      part: { kind: 'percent', percent: '25' },
    })
    expect(left).toMatchObject({ id: position.id, quantity: '1.5', stopLoss: '90', takeProfit: '120' })
    const [trade] = await core.context.store.trades.all(user, { broker: 'paper' })
    expect(trade).toMatchObject({ positionId: position.id, quantity: '0.5', exitReason: 'manual' })
    const [stored] = await broker.getPositions()
    // The entry fee is split between the part closed and the rest, to the cent.
    expect(stored!.metadata.entryFee).toBe(entryFee.minus(entryFee.times(0.25)).toString())
    const [row] = await rows('position_closed')
    expect(row).toMatchObject({ actor: `human:${user}`, symbol: 'ETH-PERP', orderId: expect.any(String) })
    expect(row!.rationale).toMatch(
      /^Close 25% \(0\.5 ETH-PERP\) of the long 2 ETH-PERP on paper at market, the last price 104\. 1\.5 stays open with its stop and target\./,
    )
    // The closing order is the one the row names, and it filled for the part.
    const order = await core.context.store.orders.get(user, row!.orderId!)
    expect(order).toMatchObject({ quantity: '0.5', status: 'filled', metadata: { closes: position.id, part: true } })

    const { position: gone } = await call<{ position: PositionView | null }>(core, 'positions:close', {
      id: position.id,
    })
    expect(gone).toBeNull()
    expect(await broker.getPositions()).toEqual([])
    expect((await core.context.store.trades.all(user, { broker: 'paper' })).map((t) => t.quantity).sort()).toEqual([
      '0.5',
      '1.5',
    ])
    expect(await rows('position_closed')).toHaveLength(2)
  })

  it('closes a quantity, closes all when what would be left is nothing, and refuses a part larger than the position', async () => {
    const { core, broker, position, rows } = await holding('short')
    await expect(
      call(core, 'positions:close', { id: position.id, part: { kind: 'quantity', quantity: '3' } }),
    ).rejects.toThrow('The position holds 2 ETH-PERP; a close cannot take 3.')
    await expect(
      call(core, 'positions:close', { id: position.id, part: { kind: 'percent', percent: '150' } }),
    ).rejects.toThrow(/must be a percentage above 0 and at most 100/)
    expect(await rows('position_closed')).toEqual([])
    expect((await broker.getPositions())[0]!.quantity).toBe('2')
    await call(core, 'positions:close', { id: position.id, part: { kind: 'quantity', quantity: '0.75' } })
    expect((await broker.getPositions())[0]!.quantity).toBe('1.25')
    const { position: gone } = await call<{ position: PositionView | null }>(core, 'positions:close', {
      id: position.id,
      part: { kind: 'percent', percent: '100' },
    })
    expect(gone).toBeNull()
  })

  it('moves the stop and target, refuses a stop on the wrong side of the price in words, and the move holds on the next candle', async () => {
    const { core, user, broker, position, rows } = await holding()
    const { position: moved } = await call<{ position: PositionView | null }>(core, 'positions:modify', {
      id: position.id,
      stopLoss: '101',
      takeProfit: '130',
    })
    expect(moved).toMatchObject({ stopLoss: '101', takeProfit: '130' })
    const [row] = await rows('position_modified')
    expect(row).toMatchObject({ actor: `human:${user}` })
    expect(row!.rationale).toBe(
      'The long 2 ETH-PERP on paper: stop-loss 90 → 101; take-profit 120 → 130, with the price at 104.',
    )

    // Above the price, a long's stop would close it at once: said, and nothing changes.
    await expect(call(core, 'positions:modify', { id: position.id, stopLoss: '105' })).rejects.toThrow(
      'A stop-loss at 105 is at or above the price 104: the long ETH-PERP would close at once. Close the position instead, or choose another level.',
    )
    await expect(call(core, 'positions:modify', { id: position.id, takeProfit: '103' })).rejects.toThrow(
      /take-profit at 103 is at or below the price 104/,
    )
    await expect(call(core, 'positions:modify', { id: position.id, stopLoss: 'abc' })).rejects.toThrow(
      /positive decimal number/,
    )
    await expect(call(core, 'positions:modify', { id: position.id })).rejects.toThrow(/say which level to move/)
    expect(await rows('position_modified')).toHaveLength(1)

    // The take-profit can be removed; the stop cannot (the contract has no way to say so).
    await call(core, 'positions:modify', { id: position.id, takeProfit: null })
    await expect(call(core, 'positions:modify', { id: position.id, stopLoss: null })).rejects.toThrow()
    expect((await broker.getPositions())[0]).toMatchObject({ stopLoss: '101', takeProfit: null })

    // The next candle trades down through 101 (from 101.5 to 100.5): the moved stop closes the position there, not the old 90.
    await broker.onCandle(candle(Date.now() + 120_000, 101.5))
    const [trade] = await core.context.store.trades.all(user, { broker: 'paper' })
    expect(trade).toMatchObject({ exitReason: 'stop_loss' })
    expect(Number(trade!.exitPrice)).toBeCloseTo(101, 0)
  })

  it('while trading is halted, closes and tightens but never moves a stop to risk more', async () => {
    const { core, broker, position, rows } = await holding()
    await call(core, 'trading:halt', { reason: 'news due' })
    await expect(call(core, 'positions:modify', { id: position.id, stopLoss: '85' })).rejects.toThrow(
      'Trading is halted (news due): the stop-loss can only be moved towards the price (it is 90), never further away.',
    )
    await call(core, 'positions:modify', { id: position.id, stopLoss: '95' })
    await call(core, 'positions:close', { id: position.id, part: { kind: 'percent', percent: '50' } })
    expect((await broker.getPositions())[0]).toMatchObject({ quantity: '1', stopLoss: '95' })
    expect(await rows('position_modified')).toHaveLength(1)
  })

  it('refuses in words, changing nothing, for a position that is not open', async () => {
    const { core, position, rows } = await holding()
    await call(core, 'positions:close', { id: position.id })
    await expect(call(core, 'positions:close', { id: position.id })).rejects.toThrow(
      'No such open position: it may have closed already.',
    )
    await expect(call(core, 'positions:modify', { id: position.id, stopLoss: '95' })).rejects.toThrow(
      'No such open position',
    )
    expect(await rows('position_closed')).toHaveLength(1)
    expect(await rows('position_modified')).toEqual([])
  })
})

describe('a trail the trader sets on one paper position', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  })

  async function holding() {
    const { core, user } = await openTestDesk(cleanups)
    const { service, broker } = core.services.trading.for(user)
    await call(core, 'risk:update', { patch: { maxLotSize: '10' } })
    const { idea } = await service.propose(user, {
      symbol: 'ETH-PERP',
      direction: 'long',
      entryPrice: '100',
      stopLoss: '90',
      takeProfit: '200',
      size: '2',
      confidence: 0.5,
      rationale: 'paper trail test',
    })
    await call<TradeIdea>(core, 'ideas:approve', { id: idea.id })
    const start = Date.now()
    await broker.onCandle(candle(start, 100))
    await broker.onCandle(candle(start + 60_000, 104))
    const [position] = await broker.getPositions()
    const rows = async () =>
      (await core.context.store.decisions.query(user, { actions: ['position_modified'] }, { cursor: null })).rows
    return { core, user, broker, position: position!, rows, start }
  }

  it("moves the stop behind each close by the trader's distance, only ever tightening, and then to break-even; each move a row by Tradedeck's watcher", async () => {
    const { core, user, broker, position, rows, start } = await holding()
    const entry = new Decimal(position.averagePrice)
    await call(core, 'positions:trail', {
      id: position.id,
      trailing: { kind: 'distance', distance: '5' },
      breakEvenAtR: 1,
    })
    const [set] = await rows()
    expect(set).toMatchObject({ actor: `human:${user}` })
    expect(set!.rationale).toContain('trailing 5 behind the price, break-even at 1R')
    expect(set!.rationale).toContain("Tradedeck's watcher moves the stop at each closed candle")

    const stopAfter = async (minute: number, close: number) => {
      await broker.onCandle(candle(start + minute * 60_000, close))
      return (await core.context.store.positions.get(user, position.id))!.stopLoss
    }
    // 104 - 5 = 99 is tighter than 90: the stop goes there.
    expect(await stopAfter(2, 104)).toBe('99')
    // Back down: a trail never loosens.
    expect(await stopAfter(3, 101)).toBe('99')
    // One R (the entry to the stop it started with, about 10) in favour: break-even, the entry plus fees, beats 110 - 5.
    const beyond = await stopAfter(4, 112)
    const feesPerUnit = new Decimal(position.metadata.entryFee as string).div(position.quantity).times(2)
    expect(new Decimal(beyond!).toNumber()).toBe(
      Math.max(107, entry.plus(feesPerUnit).toDecimalPlaces(2, Decimal.ROUND_FLOOR).toNumber()),
    )
    const moves = (await rows()).filter((row) => row.actor === 'system')
    expect(moves.length).toBeGreaterThanOrEqual(2)
    // Newest first.
    expect(moves[0]!.rationale).toMatch(
      /^Tradedeck's watcher moved the stop-loss of the long 2 ETH-PERP on paper 99 → /,
    )

    // Taken off, the stop stays where it is.
    await call(core, 'positions:trail', { id: position.id, trailing: { kind: 'off' }, breakEvenAtR: null })
    expect(await stopAfter(5, 150)).toBe(beyond)
    await expect(
      call(core, 'positions:trail', { id: position.id, trailing: { kind: 'off' }, breakEvenAtR: null }),
    ).rejects.toThrow('This position has no trail to take off; nothing was changed.')
  })

  it('refuses a trail in words, changing nothing: an ATR with too few candles, a distance of nothing', async () => {
    const { core, user, position, rows } = await holding()
    await expect(
      call(core, 'positions:trail', {
        id: position.id,
        trailing: { kind: 'atr', multiple: 2, period: 14 },
        breakEvenAtR: null,
      }),
    ).rejects.toThrow(
      /An ATR of 14 candles needs more candles than this position's chart has \(\d+\); give the trail as a distance instead\./,
    )
    await expect(
      call(core, 'positions:trail', {
        id: position.id,
        trailing: { kind: 'distance', distance: '0' },
        breakEvenAtR: null,
      }),
    ).rejects.toThrow('must be a distance above 0')
    expect((await core.context.store.positions.get(user, position.id))!.metadata.trail).toBeUndefined()
    expect(await rows()).toEqual([])
  })
})

describe('a LIVE position', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  })

  it('is closed or moved only when the action is confirmed a second time, and nothing changes before', async () => {
    const { core, user } = await openTestDesk(cleanups)
    const live = await core.context.store.positions.open(user, {
      strategyId: null,
      broker: 'bybit',
      environment: 'live',
      symbol: 'BTCUSDT',
      direction: 'long',
      quantity: '0.004',
      averagePrice: '60000',
      stopLoss: '59000',
      takeProfit: null,
      openedAt: new Date().toISOString(),
      metadata: { entryFee: '0', exits: 'native' },
    })
    for (const [channel, input] of [
      ['positions:close', { id: live.id }],
      ['positions:modify', { id: live.id, stopLoss: '59500' }],
      ['positions:trail', { id: live.id, trailing: { kind: 'distance', distance: '100' }, breakEvenAtR: null }],
    ] as const)
      await expect(call(core, channel, input)).rejects.toThrow(
        'This is a LIVE position: confirm the action a second time to trade real money.',
      )
    expect(await core.context.store.positions.get(user, live.id)).toMatchObject({ status: 'open', stopLoss: '59000' })
    expect(
      (await core.context.store.decisions.query(user, { actions: ['position_closed', 'position_modified'] }, {})).rows,
    ).toEqual([])
    expect(await core.context.store.orders.list(user, {})).toEqual([])
  })
})
