import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import type { Core } from '../../src/main/core/wiring/app'
import type { Decision, TradeIdea } from '../../src/shared/domain'
import type { PositionView } from '../../src/shared/contract'
import { callCore as call, useExchangeDesks, waitingIdea as proposeWaiting } from '../helpers/exchange-desk'
import { useVenueStandin, type StandinOrderView } from '../helpers/venue-standins'
import { standinKey } from '../helpers/standin-key'
import { CLI_BIN, expectCliBuilt, runCli } from '../helpers/built-cli'
import { runTsChild } from '../helpers/child-process'
import { applyStopRules } from '../../src/main/core/domains/exchanges/position-actions'

const KEY = standinKey('position-key-0042', 'P0sition-secret-kept-sealed')

/*
 * Control of one exchange position against each stand-in: a part closed with one reduce-only order under a client id
 * of its own, the rest keeping its stop and target resized to it; a stop moved with the new one resting before the
 * old one is cancelled, through a lost reply and a refusal; each action a decision row with the person as its actor.
 */
describe.each(['deribit', 'binanceusdm', 'bybit'] as const)(
  'position actions on %s, against its stand-in',
  (exchange) => {
    const standin = useVenueStandin(exchange, KEY)
    const instrument = exchange === 'deribit' ? 'BTC_USDC-PERPETUAL' : 'BTCUSDT'
    const desk = useExchangeDesks(exchange, instrument, KEY)

    const resting = (): StandinOrderView[] =>
      standin()
        .orders()
        .filter((order) => (order.kind === 'stop' || order.kind === 'take') && order.state === 'untriggered')
    const levels = () =>
      resting()
        .map((order) => `${order.kind} ${order.amount} @ ${order.triggerPrice}`)
        .sort()
    const rowsOf = async (core: Core, user: string, action: Decision['action']) =>
      (await core.context.store.decisions.query(user, { actions: [action] }, { limit: 20 })).rows
    const held = () =>
      standin()
        .positions()
        .find((position) => position.instrument === instrument)?.size ?? 0

    async function openProtected(size: string) {
      const opened = await desk()
      const idea: TradeIdea = await proposeWaiting(
        opened.core,
        opened.strategyId,
        instrument,
        standin().markPrice(instrument),
        size,
      )
      await call(opened.core, 'ideas:approve', { id: idea.id })
      const [position] = await opened.core.context.store.positions.listOpen(opened.user, {
        broker: exchange,
        environment: 'testnet',
      })
      expect(levels()).toEqual([`stop ${size} @ ${idea.stopLoss}`, `take ${size} @ ${idea.takeProfit}`])
      const broker = opened.core.services.trading.exchangeBrokerFor(opened.user, exchange, 'testnet')
      return { ...opened, idea, position: position!, broker }
    }

    it('closes half with one reduce-only order under its own client id; the rest keeps its stop and target, resized', async () => {
      const { core, user, idea, position } = await openProtected('0.004')
      const { position: left } = await call<{ position: PositionView | null }>(core, 'positions:close', {
        id: position.id,
        part: { kind: 'percent', percent: '50' },
      })
      expect(left).toMatchObject({ quantity: '0.002', stopLoss: idea.stopLoss, takeProfit: idea.takeProfit })
      expect(held()).toBeCloseTo(0.002, 8)
      expect(levels()).toEqual([`stop 0.002 @ ${idea.stopLoss}`, `take 0.002 @ ${idea.takeProfit}`])
      // Never bare: the stop and target for 0.004 were replaced (new before old), not cancelled with the part's fill.
      const resized = await rowsOf(core, user, 'protection_changed')
      expect(resized.map((row) => row.rationale).join(' ')).toContain('no longer matches the position')
      expect(resized.map((row) => row.rationale).join(' ')).not.toContain('was cancelled or expired')
      const orders = standin().orders()
      for (const kind of ['stop', 'take'] as const) {
        const [first, second] = orders.filter((order) => order.kind === kind)
        expect([first!.amount, first!.state, second!.amount, second!.state]).toEqual([
          0.004,
          'cancelled',
          0.002,
          'untriggered',
        ])
      }
      const [row] = await rowsOf(core, user, 'position_closed')
      expect(row).toMatchObject({ actor: `human:${user}`, symbol: instrument })
      const closing = await core.context.store.orders.get(user, row!.orderId!)
      expect(closing).toMatchObject({ quantity: '0.002', status: 'filled', metadata: { part: true } })
      // The client id is the action's own order's: a resend after a lost reply carries it, and is found by it.
      expect(closing!.metadata.clientOrderId).toBe(`tdc-${closing!.id.replaceAll('-', '')}`)
      const sells = standin()
        .orders()
        .filter((order) => order.kind === 'market' && order.side === 'sell')
      expect(sells).toMatchObject([{ amount: 0.002, reduceOnly: true, clientOrderId: closing!.metadata.clientOrderId }])
      const [trade] = await core.context.store.trades.all(user, { broker: exchange })
      expect(trade).toMatchObject({ positionId: position.id, quantity: '0.002', exitReason: 'manual' })
    })

    it('a part close whose old stop cannot be cancelled still gets its new target; the old stop goes at a later check', async () => {
      const { core, user, idea, position, broker } = await openProtected('0.004')
      // The first cancel after the part's fill (the old stop's, once its replacement rests) never reaches the exchange.
      standin().dropNext(standin().routes.cancel)
      await call(core, 'positions:close', { id: position.id, part: { kind: 'percent', percent: '50' } })
      const wanted = [`stop 0.002 @ ${idea.stopLoss}`, `take 0.002 @ ${idea.takeProfit}`]
      for (let poll = 0; poll < 10 && levels().join() !== wanted.join(); poll++) await broker.sync()
      expect(levels()).toEqual(wanted)
      expect((await core.context.store.orders.list(user, {})).filter((order) => order.status === 'pending')).toEqual([])
    })

    it('a close whose reply is lost is found by its client id and sent once; the position closes and its stops go', async () => {
      const { core, user, position } = await openProtected('0.002')
      // The close is a sell: Deribit takes it at private/sell, the others at their one order route.
      standin().loseReplyNext(exchange === 'deribit' ? 'private/sell' : standin().routes.buy)
      const { position: gone } = await call<{ position: PositionView | null }>(core, 'positions:close', {
        id: position.id,
      })
      const broker = core.services.trading.exchangeBrokerFor(user, exchange, 'testnet')
      for (let poll = 0; poll < 20 && held() !== 0; poll++) await broker.sync()
      await broker.sync()
      expect(held()).toBe(0)
      expect(gone === null || gone.quantity === '0.002').toBe(true)
      expect(await core.context.store.positions.listOpen(user, { broker: exchange, environment: 'testnet' })).toEqual(
        [],
      )
      expect(
        standin()
          .orders()
          .filter((order) => order.kind === 'market' && order.side === 'sell'),
      ).toHaveLength(1)
      expect(resting()).toEqual([])
    })

    it('a part close the exchange refuses changes nothing but its failed order: said in words, and a later close goes', async () => {
      const { core, user, idea, position } = await openProtected('0.004')
      standin().refuseNext(exchange === 'deribit' ? 'private/sell' : standin().routes.buy)
      await expect(
        call(core, 'positions:close', { id: position.id, part: { kind: 'percent', percent: '50' } }),
      ).rejects.toThrow(/refused the order: .+ Nothing was placed\.$/)
      expect(held()).toBeCloseTo(0.004, 8)
      const [stored] = await core.context.store.positions.listOpen(user, { broker: exchange, environment: 'testnet' })
      expect(stored).toMatchObject({ quantity: '0.004', stopLoss: idea.stopLoss })
      expect(levels()).toEqual([`stop 0.004 @ ${idea.stopLoss}`, `take 0.004 @ ${idea.takeProfit}`])
      const [failed] = await rowsOf(core, user, 'order_failed')
      expect(failed!.rationale).toMatch(/Nothing was placed/)
      expect((await core.context.store.orders.get(user, failed!.orderId!))?.status).toBe('failed')
      // The refused close is over: the next one is sent, not refused as "already on its way".
      const { position: left } = await call<{ position: PositionView | null }>(core, 'positions:close', {
        id: position.id,
        part: { kind: 'percent', percent: '50' },
      })
      expect(left).toMatchObject({ quantity: '0.002' })
    })

    it("a strategy's trailing stop moves the exchange's stop, as the strategy's decision", async () => {
      const { core, user, idea, position } = await openProtected('0.002')
      const mark = standin().markPrice(instrument)
      await applyStopRules(
        core.context,
        core.services.trading,
        { userId: user, strategyId: position.strategyId as string, instrument, priceDecimals: 1 },
        String(mark),
        { trailing: { kind: 'distance', distance: '300' }, breakEvenAtR: null },
        null,
      )
      const trailed = String(mark - 300)
      expect(levels()).toEqual([`stop 0.002 @ ${trailed}`, `take 0.002 @ ${idea.takeProfit}`])
      const [row] = await rowsOf(core, user, 'position_modified')
      expect(row).toMatchObject({ actor: 'ai', strategyId: position.strategyId })
      expect(row!.rationale).toContain(`${idea.stopLoss} → ${trailed}: trailing 300 behind the close ${mark}`)
      // The same close again tightens nothing: no new order, no new row.
      const before = standin().orders().length
      await applyStopRules(
        core.context,
        core.services.trading,
        { userId: user, strategyId: position.strategyId as string, instrument, priceDecimals: 1 },
        String(mark),
        { trailing: { kind: 'distance', distance: '300' }, breakEvenAtR: null },
        null,
      )
      expect(standin().orders()).toHaveLength(before)
      expect(await rowsOf(core, user, 'position_modified')).toHaveLength(1)
    })

    it("a trail the trader sets follows the price (Deribit's own trailing stop there, Tradedeck's watcher elsewhere), and its stop closes the position once", async () => {
      const { core, user, idea, position, broker } = await openProtected('0.002')
      const start = standin().markPrice(instrument)
      standin().setMarkPrice(instrument, start)
      const candle = (minutesAfterOpen: number, close: number) => ({
        symbol: instrument,
        timeframe: '1m',
        ts: new Date(Date.parse(position.openedAt) + minutesAfterOpen * 60_000).toISOString(),
        open: String(close),
        high: String(close),
        low: String(close),
        close: String(close),
        volume: '1',
      })
      const stored = async () => (await core.context.store.positions.get(user, position.id))!
      await call(core, 'positions:trail', {
        id: position.id,
        trailing: { kind: 'distance', distance: '300' },
        breakEvenAtR: null,
      })
      // Nothing moves before a close: the stop the idea set still rests.
      expect(levels()).toEqual([`stop 0.002 @ ${idea.stopLoss}`, `take 0.002 @ ${idea.takeProfit}`])

      // The first close whose trail tightens the stop: Deribit's trailing stop takes over (placed before the fixed one
      // is cancelled); elsewhere the watcher moves the resting stop there.
      await broker.onCandle(candle(1, start))
      expect((await stored()).stopLoss).toBe(String(start - 300))
      expect(levels()).toEqual([`stop 0.002 @ ${start - 300}`, `take 0.002 @ ${idea.takeProfit}`])
      const trailing = resting().filter((order) => order.trailOffset !== undefined)
      expect(trailing.map((order) => order.trailOffset)).toEqual(exchange === 'deribit' ? [300] : [])

      // The price rises 500: the exchange's trail moves its trigger itself, and the next check records it; the
      // watcher moves the stop at the close.
      standin().setMarkPrice(instrument, start + 500)
      if (exchange === 'deribit') await broker.sync()
      else await broker.onCandle(candle(2, start + 500))
      expect((await stored()).stopLoss).toBe(String(start + 200))
      expect(levels()).toEqual([`stop 0.002 @ ${start + 200}`, `take 0.002 @ ${idea.takeProfit}`])
      const [moved] = await rowsOf(core, user, 'position_modified')
      expect(moved).toMatchObject({ actor: 'system' })
      expect(moved!.rationale).toContain(`${start - 300} → ${start + 200}`)
      expect(moved!.rationale).toMatch(
        exchange === 'deribit'
          ? /^The trailing stop resting on Deribit testnet, 300 behind the price, has moved/
          : /^Tradedeck's watcher moved/,
      )

      // The price falls through it: the exchange's stop closes the position, once.
      standin().setMarkPrice(instrument, start + 100)
      for (let poll = 0; poll < 20 && (await stored()).status === 'open'; poll++) await broker.sync()
      expect(held()).toBe(0)
      const [trade] = await core.context.store.trades.all(user, { broker: exchange })
      expect(trade).toMatchObject({ positionId: position.id, exitReason: 'stop_loss' })
      expect(resting()).toEqual([])
    })

    it('moves the stop: amended in place where the exchange can, else the new one rests before the old one is cancelled', async () => {
      const { core, user, idea, position } = await openProtected('0.002')
      const oldStop = resting().find((order) => order.kind === 'stop')!
      const raised = String(Number(idea.stopLoss) + 300)
      await call(core, 'positions:modify', { id: position.id, stopLoss: raised })
      expect(levels()).toEqual([`stop 0.002 @ ${raised}`, `take 0.002 @ ${idea.takeProfit}`])
      const orders = standin().orders()
      const stops = orders.filter((order) => order.kind === 'stop')
      const [changed] = await rowsOf(core, user, 'protection_changed')
      if (standin().routes.amend) {
        // The same order, its trigger moved: nothing was cancelled, nothing new placed.
        expect(stops).toMatchObject([{ id: oldStop.id, state: 'untriggered', triggerPrice: Number(raised) }])
        expect(changed!.rationale).toContain(`amended in place from ${idea.stopLoss} to ${raised}`)
      } else {
        const newStop = stops.find((order) => order.state === 'untriggered')!
        expect(orders.find((order) => order.id === oldStop.id)!.state).toBe('cancelled')
        expect(orders.indexOf(newStop)).toBeGreaterThan(
          orders.indexOf(orders.find((order) => order.id === oldStop.id)!),
        )
        expect(changed!.rationale).toContain('no longer matches the position')
      }
      const [row] = await rowsOf(core, user, 'position_modified')
      expect(row).toMatchObject({ actor: `human:${user}` })
      expect(row!.rationale).toContain(`stop-loss ${idea.stopLoss} → ${raised}`)
      expect(row!.rationale).toContain('amended in place where it can be, else a new one is placed before the old one')

      // A level off the market's tick is refused with the nearest one the exchange would hold (Deribit's 0.5).
      if (exchange === 'deribit')
        await expect(
          call(core, 'positions:modify', { id: position.id, stopLoss: `${Math.floor(Number(raised)) + 100}.2` }),
        ).rejects.toThrow(
          `is not a price ${instrument} trades at (its tick is 0.5): the nearest is ${Math.floor(Number(raised)) + 100}.`,
        )
      const above = String(standin().markPrice(instrument) + 100)
      await expect(call(core, 'positions:modify', { id: position.id, stopLoss: above })).rejects.toThrow(
        /would close at once\. Close the position instead, or choose another level\.$/,
      )
      expect(levels()).toEqual([`stop 0.002 @ ${raised}`, `take 0.002 @ ${idea.takeProfit}`])
    })

    it('a moved stop whose reply is lost rests once; one the exchange refuses leaves the old stop resting and the position watched', async () => {
      const { core, user, idea, position, broker } = await openProtected('0.002')
      const protective = standin().routes.protective!
      // Where the exchange amends, the amend's reply is lost (it was carried out): the replacement that follows still
      // leaves one stop, at the new level. Elsewhere the new order's reply is lost.
      const first = String(Number(idea.stopLoss) + 100)
      standin().loseReplyNext(standin().routes.amend ?? protective)
      await call(core, 'positions:modify', { id: position.id, stopLoss: first })
      for (
        let poll = 0;
        poll < 10 && levels().join() !== [`stop 0.002 @ ${first}`, `take 0.002 @ ${idea.takeProfit}`].join();
        poll++
      )
        await broker.sync()
      expect(levels()).toEqual([`stop 0.002 @ ${first}`, `take 0.002 @ ${idea.takeProfit}`])

      const second = String(Number(idea.stopLoss) + 200)
      const amend = standin().routes.amend
      if (amend) standin().refuseNext(amend)
      standin().refuseNext(protective)
      await call(core, 'positions:modify', { id: position.id, stopLoss: second })
      // Never bare: the stop at the earlier level still rests, and Tradedeck watches the new one.
      expect(levels()).toEqual([`stop 0.002 @ ${first}`, `take 0.002 @ ${idea.takeProfit}`])
      const [stored] = await core.context.store.positions.listOpen(user, { broker: exchange, environment: 'testnet' })
      expect(stored).toMatchObject({ stopLoss: second, metadata: { watched: true } })
      const [watched] = await rowsOf(core, user, 'protection_changed')
      expect(watched!.rationale).toContain('Tradedeck watches the position instead')
    })
  },
)

describe("a trail on Deribit's own trailing stop, against its stand-in", () => {
  const instrument = 'BTC_USDC-PERPETUAL'
  const standin = useVenueStandin('deribit', KEY)
  const desk = useExchangeDesks('deribit', instrument, KEY)
  const stops = () =>
    standin()
      .orders()
      .filter((order) => order.kind === 'stop' && order.state === 'untriggered')
      .map((order) =>
        order.trailOffset
          ? `trailing ${order.amount} by ${order.trailOffset}`
          : `stop ${order.amount} @ ${order.triggerPrice}`,
      )

  async function trailed(size: string) {
    const opened = await desk()
    const idea = await proposeWaiting(opened.core, opened.strategyId, instrument, standin().markPrice(instrument), size)
    await call(opened.core, 'ideas:approve', { id: idea.id })
    const [position] = await opened.core.context.store.positions.listOpen(opened.user, { broker: 'deribit' })
    const broker = opened.core.services.trading.exchangeBrokerFor(opened.user, 'deribit', 'testnet')
    const start = standin().markPrice(instrument)
    standin().setMarkPrice(instrument, start)
    await call(opened.core, 'positions:trail', {
      id: position!.id,
      trailing: { kind: 'distance', distance: '300' },
      breakEvenAtR: null,
    })
    const candle = (minute: number, close: number) => ({
      symbol: instrument,
      timeframe: '1m',
      ts: new Date(Date.parse(position!.openedAt) + minute * 60_000).toISOString(),
      open: String(close),
      high: String(close),
      low: String(close),
      close: String(close),
      volume: '1',
    })
    const stored = async () => (await opened.core.context.store.positions.get(opened.user, position!.id))!
    return { ...opened, idea, position: position!, broker, start, candle, stored }
  }

  it('a trailing stop whose reply is lost rests once, found by its label, before the fixed stop goes', async () => {
    const { broker, start, candle } = await trailed('0.002')
    standin().loseReplyNext('private/sell')
    await broker.onCandle(candle(1, start))
    for (let poll = 0; poll < 20 && stops().join() !== 'trailing 0.002 by 300'; poll++) await broker.sync()
    expect(stops()).toEqual(['trailing 0.002 by 300'])
    expect(
      standin()
        .orders()
        .filter((order) => order.trailOffset),
    ).toHaveLength(1)
  })

  it('kill -9 after Deribit took the trailing stop and before it was recorded: found by its label after the restart, never sent again', async () => {
    const { dataDir, close, candle, start } = await trailed('0.002')
    close()
    const child = runTsChild('candle-child.ts', [dataDir, 'deribit', JSON.stringify(candle(1, start))])
    standin().holdReplyNext('private/sell', () => child.process.kill('SIGKILL'))
    expect(await child.exited).toBeNull()
    // The exchange holds the trailing stop beside the fixed one; the desk had not heard back.
    expect(stops().sort()).toEqual([expect.stringMatching(/^stop 0\.002 @ /), 'trailing 0.002 by 300'])

    const again = await desk(dataDir)
    const broker = again.core.services.trading.exchangeBrokerFor(again.user, 'deribit', 'testnet')
    for (let poll = 0; poll < 20 && stops().join() !== 'trailing 0.002 by 300'; poll++) await broker.sync()
    expect(stops()).toEqual(['trailing 0.002 by 300'])
    expect(
      standin()
        .orders()
        .filter((order) => order.trailOffset),
    ).toHaveLength(1)
    const position = (await again.core.context.store.positions.listOpen(again.user, { broker: 'deribit' }))[0]!
    expect(position.stopLoss).toBe(String(start - 300))
  })

  it('one the exchange refuses leaves the fixed stop resting, and the watcher trails the position instead', async () => {
    const { core, user, broker, start, candle, stored } = await trailed('0.002')
    standin().refuseNext('private/sell')
    await broker.onCandle(candle(1, start))
    // Never bare: the stop the idea set still rests, and the watcher has the new level.
    expect(stops()).toHaveLength(1)
    expect(stops()[0]).toMatch(/^stop 0\.002 @ /)
    expect(await stored()).toMatchObject({ stopLoss: String(start - 300), metadata: { watched: true } })
    await broker.onCandle(candle(2, start + 100))
    expect((await stored()).stopLoss).toBe(String(start - 200))
    const [row] = (await core.context.store.decisions.query(user, { actions: ['position_modified'] }, {})).rows
    expect(row!.rationale).toMatch(/^Tradedeck's watcher moved the stop-loss .* → /)
  })

  it('a part closed, or the stop moved by hand, puts a fixed stop at the trailed level; the next tightening close hands it back', async () => {
    const { core, broker, position, start, candle, stored } = await trailed('0.004')
    await broker.onCandle(candle(1, start))
    standin().setMarkPrice(instrument, start + 400)
    await broker.sync()
    expect(stops()).toEqual(['trailing 0.004 by 300'])
    expect((await stored()).stopLoss).toBe(String(start + 100))

    // A new trailing order would start from the price, looser than where this one has trailed to: a fixed stop
    // for the rest holds the trailed level instead.
    await call(core, 'positions:close', { id: position.id, part: { kind: 'percent', percent: '50' } })
    await broker.sync()
    expect(stops()).toEqual([`stop 0.002 @ ${start + 100}`])
    await broker.onCandle(candle(2, start + 500))
    expect(stops()).toEqual(['trailing 0.002 by 300'])
    expect((await stored()).stopLoss).toBe(String(start + 200))

    // The trader's own level rests as typed, and the trail takes over again only where it is tighter.
    const typed = String(start + 350)
    await call(core, 'positions:modify', { id: position.id, stopLoss: typed })
    expect(stops()).toEqual([`stop 0.002 @ ${typed}`])
    await broker.onCandle(candle(3, start + 600))
    expect(stops()).toEqual([`stop 0.002 @ ${typed}`])
    await broker.onCandle(candle(4, start + 700))
    expect(stops()).toEqual(['trailing 0.002 by 300'])
  })
})

describe('tradedeck position (built), against the Bybit stand-in', () => {
  const standin = useVenueStandin('bybit', KEY)
  const desk = useExchangeDesks('bybit', 'BTCUSDT', KEY)
  const cli = runCli

  it('lists, moves the stop of, closes part of and closes a position, each a decision row, and says what it refuses', async () => {
    expectCliBuilt()
    const { core, strategyId, dataDir, close } = await desk()
    const idea = await proposeWaiting(core, strategyId, 'BTCUSDT', standin().markPrice('BTCUSDT'), '0.004')
    await call(core, 'ideas:approve', { id: idea.id })
    // The CLI opens the data folder as the app does: the desk must be closed.
    close()
    const base = ['--data-dir', dataDir]
    const listed = await cli(['position', 'list', ...base, '--json'])
    expect(listed.code, listed.stderr).toBe(0)
    const [position] = (JSON.parse(listed.stdout) as { positions: PositionView[] }).positions
    expect(position).toMatchObject({ symbol: 'BTCUSDT', quantity: '0.004', stopLoss: idea.stopLoss })

    const raised = String(Number(idea.stopLoss) + 250)
    const moved = await cli(['position', 'modify', '--id', position!.id, '--stop-loss', raised, ...base])
    expect(moved.code, moved.stderr).toBe(0)
    expect(moved.stdout).toContain(`stop ${raised}`)
    const stops = () =>
      standin()
        .orders()
        .filter((order) => order.kind === 'stop' && order.state === 'untriggered')
        .map((order) => [order.amount, order.triggerPrice])
    expect(stops()).toEqual([[0.004, Number(raised)]])

    const trail = await cli([
      'position',
      'trail',
      '--id',
      position!.id,
      '--distance',
      '300',
      '--break-even-at',
      '1.5',
      ...base,
    ])
    expect(trail.code, trail.stderr).toBe(0)
    expect(trail.stdout).toContain('Trail set; the stop follows it from the next closed candle')
    expect(trail.stdout).toContain(
      "trail: trailing 300 behind the price, break-even at 1.5R, by Tradedeck's watcher at each closed candle",
    )
    const twoWays = await cli(['position', 'trail', '--id', position!.id, '--distance', '300', '--atr', '2', ...base])
    expect(twoWays.code).not.toBe(0)
    expect(twoWays.stderr).toContain('give one of --distance, --atr or --off')

    const refused = await cli(['position', 'close', '--id', position!.id, '--percent', '120', ...base])
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain('--percent must be above 0 and at most 100')

    const half = await cli(['position', 'close', '--id', position!.id, '--percent', '50', ...base, '--json'])
    expect(half.code, half.stderr).toBe(0)
    expect(JSON.parse(half.stdout)).toMatchObject({ position: { quantity: '0.002' } })
    expect(stops()).toEqual([[0.002, Number(raised)]])

    const all = await cli(['position', 'close', '--id', position!.id, ...base])
    expect(all.code, all.stderr).toBe(0)
    expect(all.stdout.trim()).toBe('Closed.')
    expect(standin().positions()).toEqual([])
    expect(stops()).toEqual([])
  })
})

describe('a part close killed with kill -9 after the exchange took it, against the Bybit stand-in', () => {
  const standin = useVenueStandin('bybit', KEY)
  const desk = useExchangeDesks('bybit', 'BTCUSDT', KEY)

  it('is found by its client id after the restart, recorded once, and never sent again', async () => {
    expectCliBuilt()
    const first = await desk()
    const idea = await proposeWaiting(first.core, first.strategyId, 'BTCUSDT', standin().markPrice('BTCUSDT'), '0.004')
    await call(first.core, 'ideas:approve', { id: idea.id })
    const [position] = await first.core.context.store.positions.listOpen(first.user, {
      broker: 'bybit',
      environment: 'testnet',
    })
    first.close()
    // The CLI's close reaches the exchange, which carries it out; the process is killed before any reply is recorded.
    const child = spawn(process.execPath, [
      CLI_BIN,
      'position',
      'close',
      '--id',
      position!.id,
      '--percent',
      '50',
      '--data-dir',
      first.dataDir,
    ])
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    )
    standin().holdReplyNext('POST /v5/order/create', () => child.kill('SIGKILL'))
    expect(await exited).toBe('SIGKILL')
    expect(standin().positions()).toMatchObject([{ size: 0.002 }])

    const second = await desk(first.dataDir)
    const broker = second.core.services.trading.exchangeBrokerFor(second.user, 'bybit', 'testnet')
    const open = () =>
      second.core.context.store.positions.listOpen(second.user, { broker: 'bybit', environment: 'testnet' })
    for (let poll = 0; poll < 20 && (await open())[0]?.quantity !== '0.002'; poll++) await broker.sync()
    expect(await open()).toMatchObject([{ id: position!.id, quantity: '0.002' }])
    const sells = standin()
      .orders()
      .filter((order) => order.kind === 'market' && order.side === 'sell')
    expect(sells).toHaveLength(1)
    const [closing] = (await second.core.context.store.orders.list(second.user, {})).filter(
      (order) => order.metadata.part === true,
    )
    expect(closing).toMatchObject({ status: 'filled', brokerOrderId: sells[0]!.id })
    expect(await second.core.context.store.trades.all(second.user, { broker: 'bybit' })).toMatchObject([
      { quantity: '0.002', exitReason: 'manual' },
    ])
    // The decision row was written with the order, before it was sent: the kill did not lose it.
    const rows = await second.core.context.store.decisions.query(second.user, { actions: ['position_closed'] }, {})
    expect(rows.rows).toMatchObject([{ orderId: closing!.id }])
    // What is left is protected for its size.
    for (let poll = 0; poll < 10; poll++) await broker.sync()
    expect(
      standin()
        .orders()
        .filter((order) => (order.kind === 'stop' || order.kind === 'take') && order.state === 'untriggered')
        .map((order) => order.amount),
    ).toEqual([0.002, 0.002])
  })
})

describe('position actions on Binance spot, against its stand-in', () => {
  const standin = useVenueStandin('binance', KEY)
  const desk = useExchangeDesks('binance', 'BTCUSDT', KEY)

  it('sells part of the holding, and moves the stop Tradedeck watches there, each a decision row', async () => {
    const { core, user, strategyId } = await desk()
    const idea = await proposeWaiting(core, strategyId, 'BTCUSDT', standin().markPrice('BTCUSDT'), '0.004')
    await call(core, 'ideas:approve', { id: idea.id })
    const [position] = await core.context.store.positions.listOpen(user, { broker: 'binance', environment: 'testnet' })
    // The buy's fee came out of the coin bought: the position is what the wallet received.
    const held = Number(position!.quantity)
    expect(held).toBeLessThan(0.004)
    const { position: left } = await call<{ position: PositionView | null }>(core, 'positions:close', {
      id: position!.id,
      part: { kind: 'percent', percent: '50' },
    })
    const sold = standin()
      .orders()
      .filter((order) => order.side === 'sell' && order.state === 'filled')
    expect(sold).toHaveLength(1)
    expect(sold[0]!.amount).toBeLessThan(held / 2 + 1e-9)
    expect(Number(left!.quantity)).toBeCloseTo(held - sold[0]!.amount, 8)
    expect(left!.protection).toBe('watched')

    const raised = String(Number(idea.stopLoss) + 100)
    const { position: moved } = await call<{ position: PositionView | null }>(core, 'positions:modify', {
      id: position!.id,
      stopLoss: raised,
    })
    expect(moved).toMatchObject({ stopLoss: raised, protection: 'watched' })
    // Nothing rests on spot: Tradedeck watches the level.
    expect(
      standin()
        .orders()
        .filter((order) => order.state === 'untriggered'),
    ).toEqual([])
    const rows = await core.context.store.decisions.query(
      user,
      { actions: ['position_closed', 'position_modified'] },
      { limit: 10 },
    )
    expect(rows.rows.map((row) => row.action).sort()).toEqual(['position_closed', 'position_modified'])
  })
})
