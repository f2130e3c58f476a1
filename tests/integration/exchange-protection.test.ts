import { describe, expect, it } from 'vitest'
import type { Core } from '../../src/main/core/wiring/app'
import type { AccountSummary, Decision, NotificationNotice, ReconcileView, TradeIdea } from '../../src/shared/domain'
import type { PositionView } from '../../src/shared/contract'
import { callCore as call, useExchangeDesks, waitingIdea as proposeWaiting } from '../helpers/exchange-desk'
import { useVenueStandin, type StandinOrderView } from '../helpers/venue-standins'
import { runTsChild } from '../helpers/child-process'
import { standinKey } from '../helpers/standin-key'
import Database from 'better-sqlite3'
import Decimal from 'decimal.js'
import { riskBudget, sizeForRisk } from '../../src/main/core/domains/trading/sizing'
import { join } from 'node:path'

const KEY = standinKey('protect-key-0042', 'Pr0tect-secret-kept-sealed')

/*
 * The protection invariant on every exchange that holds stops: each open position of the desk has its
 * stop-loss and take-profit resting on the exchange for its whole size, whatever happens to them there,
 * and every repair is a decision row and a notification.
 */
describe.each(['deribit', 'binanceusdm', 'bybit'] as const)(
  'protection of positions on %s, against its local stand-in',
  (exchange) => {
    const standin = useVenueStandin(exchange, KEY)
    const instrument = exchange === 'deribit' ? 'BTC_USDC-PERPETUAL' : 'BTCUSDT'
    const desk = useExchangeDesks(exchange, instrument, KEY)
    const waitingIdea = (core: Core, strategyId: string, size: string) =>
      proposeWaiting(core, strategyId, instrument, standin().markPrice(instrument), size)

    const resting = (): StandinOrderView[] =>
      standin()
        .orders()
        .filter((order) => order.kind !== 'market' && order.state === 'untriggered')
    const openPositions = (core: Core, user: string) =>
      core.context.store.positions.listOpen(user, { broker: exchange, environment: 'testnet' })
    const rowsOf = async (core: Core, user: string, action: Decision['action']) =>
      (await core.context.store.decisions.query(user, { actions: [action] }, { limit: 20 })).rows
    const noticesOf = (core: Core) => {
      const notices: NotificationNotice[] = []
      core.context.events.subscribe((event, payload) => {
        if (event === 'notifications:new') notices.push(payload as NotificationNotice)
      })
      return notices
    }
    /** Polls until `check` holds, or ten seconds have passed; the broker's own poll does the work. */
    const eventually = async (check: () => boolean | Promise<boolean>) => {
      for (let tries = 0; tries < 100 && !(await check()); tries++)
        await new Promise((resolve) => setTimeout(resolve, 100))
      return check()
    }
    const protectedAt = (quantity: number, idea: TradeIdea) =>
      [...resting()]
        .sort((a, b) => a.kind.localeCompare(b.kind))
        .map((order) => [order.kind, order.amount, order.triggerPrice, order.reduceOnly])
        .join() ===
      [
        ['stop', quantity, Number(idea.stopLoss), true],
        ['take', quantity, Number(idea.takeProfit), true],
      ].join()

    async function openProtected(size: string) {
      const opened = await desk()
      const idea = await waitingIdea(opened.core, opened.strategyId, size)
      await call(opened.core, 'ideas:approve', { id: idea.id })
      expect(protectedAt(Number(size), idea)).toBe(true)
      const [position] = await openPositions(opened.core, opened.user)
      const broker = opened.core.services.trading.exchangeBrokerFor(opened.user, exchange, 'testnet')
      return { ...opened, idea, position: position!, broker }
    }

    it('a position grown on the exchange keeps its stop: the stop and target are replaced for the new size, the new ones placed before the old go', async () => {
      const { core, user, idea, position, broker } = await openProtected('0.002')
      const before = resting()
      const held = standin()
        .positions()
        .find((candidate) => candidate.instrument === instrument)!
      // The trader adds 0.001 on the exchange's own screen.
      standin().setPosition(instrument, 0.003, held.averagePrice)
      expect((await broker.reconcile()).differences).toHaveLength(1)
      expect(await openPositions(core, user)).toMatchObject([
        { id: position.id, quantity: '0.003', stopLoss: idea.stopLoss, takeProfit: idea.takeProfit },
      ])
      expect(protectedAt(0.003, idea)).toBe(true)
      // The first stop and target were cancelled only once their replacements rested.
      const orders = standin().orders()
      for (const old of before) {
        expect(orders.find((order) => order.id === old.id)?.state).toBe('cancelled')
        const replacement = orders.find(
          (order) => order.kind === old.kind && order.state === 'untriggered' && order.id !== old.id,
        )!
        expect(orders.indexOf(replacement)).toBeGreaterThan(orders.indexOf(orders.find((o) => o.id === old.id)!))
      }
      expect((await rowsOf(core, user, 'reconciled'))[0]!.rationale).toContain('keeping its stop-loss and take-profit')
      expect((await rowsOf(core, user, 'protection_changed'))[0]!.rationale).toContain('no longer matches the position')
    })

    it("a stop that fired while the exchange's order reads lagged its position read is recorded as the stop's close, not guessed", async () => {
      const { core, user, idea, position, broker } = await openProtected('0.002')
      broker.stopPolling()
      // The stop and target have rested a while; the price falls through the stop, which fires at the next request.
      await new Promise((resolve) => setTimeout(resolve, 300))
      standin().setMarkPrice(instrument, Number(idea.stopLoss) - 100)
      // The sync's read of each order answers as the account was 200 ms before; the position read is current.
      const reads = standin().routes.orderReads
      standin().lagNext(reads, 200, 2 * reads.length)
      await broker.reconcile()
      expect(await openPositions(core, user)).toEqual([])
      const trades = await core.context.store.trades.all(user, { broker: exchange })
      expect(trades).toMatchObject([{ positionId: position.id, exitReason: 'stop_loss', quantity: '0.002' }])
      expect(await rowsOf(core, user, 'reconciled')).toEqual([])
    })

    it('a reconciliation rides out a 429 and a dropped connection on its reads, and an order the exchange cannot find yet is read again, never failed', async () => {
      const { core, user, idea, broker } = await openProtected('0.002')
      broker.stopPolling()
      const reads = standin().routes.orderReads
      standin().rateLimitNext(1, reads)
      standin().dropNext(reads[0]!)
      expect((await broker.reconcile()).differences).toEqual([])
      // Reads that see the account as it was a minute ago, before the stop and target existed: "no such order".
      standin().lagNext(reads, 60_000, 2 * reads.length)
      await broker.sync()
      expect(protectedAt(0.002, idea)).toBe(true)
      const orders = await core.context.store.orders.list(user, {})
      expect(orders.filter((order) => order.metadata.native).map((order) => order.status)).toEqual(['open', 'open'])
    })

    it('polls faster than the exchange answers share one sync: a backlog never builds for a flatten to wait behind', async () => {
      const { broker } = await openProtected('0.002')
      broker.stopPolling()
      let requests = standin().calls.length
      await broker.sync()
      const oneSync = standin().calls.length - requests
      expect(oneSync).toBeGreaterThan(0)
      requests = standin().calls.length
      await Promise.all(Array.from({ length: 20 }, () => broker.sync()))
      // The sync running, and one more that every later caller shares.
      expect(standin().calls.length - requests).toBeLessThanOrEqual(2 * oneSync)
    })

    it('a position cut on the exchange (a partial liquidation) keeps what is left protected at the same levels, and the cut is a trade', async () => {
      const { core, user, idea, position, broker } = await openProtected('0.003')
      const held = standin()
        .positions()
        .find((candidate) => candidate.instrument === instrument)!
      standin().setPosition(instrument, 0.001, held.averagePrice)
      await broker.reconcile()
      expect(await openPositions(core, user)).toMatchObject([{ id: position.id, quantity: '0.001' }])
      expect(protectedAt(0.001, idea)).toBe(true)
      const trades = await core.context.store.trades.all(user, { broker: exchange })
      expect(trades).toMatchObject([{ positionId: position.id, quantity: '0.002' }])
    })

    it('a stop cancelled on the exchange is placed again at once, with a decision row and a notification', async () => {
      const { core, user, idea, position, broker } = await openProtected('0.002')
      const notices = noticesOf(core)
      const stop = resting().find((order) => order.kind === 'stop')!
      standin().cancelDirectly(stop.clientOrderId)
      expect(resting().map((order) => order.kind)).toEqual(['take'])
      await broker.sync()
      expect(protectedAt(0.002, idea)).toBe(true)
      const replacement = resting().find((order) => order.kind === 'stop')!
      expect(replacement.clientOrderId).not.toBe(stop.clientOrderId)
      expect(replacement.clientOrderId).toMatch(/^tds-/)
      const [row] = await rowsOf(core, user, 'protection_changed')
      expect(row).toMatchObject({ actor: 'system', symbol: instrument, strategyId: position.strategyId })
      expect(row!.rationale).toContain('was cancelled or expired on the exchange')
      await eventually(() => notices.length > 0)
      expect(notices).toMatchObject([
        { event: 'protection', title: expect.stringContaining('protection placed again') },
      ])
    })

    it('a stop whose every send is cut before the exchange takes it stays pending, and the next poll places it: never bare', async () => {
      const { core, user, strategyId } = await desk()
      const idea = await waitingIdea(core, strategyId, '0.002')
      const protective = standin().routes.protective!
      // Every try of the stop's send (five) is lost on the way, before the exchange acts; the entry goes first where it shares the route.
      standin().dropNext(protective, 5, protective === standin().routes.buy ? 1 : 0)
      expect((await call<TradeIdea>(core, 'ideas:approve', { id: idea.id })).status).toBe('executed')
      expect(await eventually(() => protectedAt(0.002, idea))).toBe(true)
      const [position] = await openPositions(core, user)
      expect(position!.metadata.exits).toBe('native')
      expect(resting()).toHaveLength(2)
    })

    it('a stop the exchange refuses leaves the position watched by Tradedeck, said in a decision row and a notification', async () => {
      const { core, user, strategyId } = await desk()
      const notices = noticesOf(core)
      const idea = await waitingIdea(core, strategyId, '0.002')
      const protective = standin().routes.protective!
      standin().refuseNext(protective, 1, protective === standin().routes.buy ? 1 : 0)
      await call(core, 'ideas:approve', { id: idea.id })
      const [position] = await openPositions(core, user)
      expect(position!.metadata).toMatchObject({ exits: 'managed', watched: true })
      const [row] = await rowsOf(core, user, 'protection_changed')
      expect(row!.rationale).toContain('Tradedeck watches the position instead')
      await eventually(() => notices.some((notice) => notice.event === 'protection'))
      expect(notices.find((notice) => notice.event === 'protection')!.title).toContain('watched by Tradedeck')
    })

    it('a partly filled entry is protected for what has filled at once, and its protection grows with each part', async () => {
      const { core, user, strategyId } = await desk()
      const idea = await waitingIdea(core, strategyId, '0.003')
      standin().fillInPartsNext(3)
      await call(core, 'ideas:approve', { id: idea.id })
      expect(await openPositions(core, user)).toMatchObject([{ quantity: '0.001' }])
      expect(protectedAt(0.001, idea)).toBe(true)
      const broker = core.services.trading.exchangeBrokerFor(user, exchange, 'testnet')
      await broker.sync()
      await broker.sync()
      expect(await openPositions(core, user)).toMatchObject([{ quantity: '0.003' }])
      expect(protectedAt(0.003, idea)).toBe(true)
    })

    it('an entry cancelled after a partial fill keeps the part that filled, protected', async () => {
      const { core, user, strategyId } = await desk()
      const idea = await waitingIdea(core, strategyId, '0.003')
      standin().fillInPartsNext(3)
      await call(core, 'ideas:approve', { id: idea.id })
      const entry = standin()
        .orders()
        .find((order) => order.kind === 'market')!
      standin().cancelDirectly(entry.clientOrderId)
      await core.services.trading.exchangeBrokerFor(user, exchange, 'testnet').sync()
      const [order] = (await core.context.store.orders.list(user, { tradeIdeaId: idea.id })).filter(
        (candidate) => !candidate.metadata.closes,
      )
      expect(order!.status).toBe('cancelled')
      expect(await openPositions(core, user)).toMatchObject([{ quantity: '0.001' }])
      expect(protectedAt(0.001, idea)).toBe(true)
      expect((await core.context.store.tradeIdeas.get(user, idea.id))!.status).toBe('executed')
    })

    it('a close that partly fills and is then cancelled closes that part only; the rest stays open and protected', async () => {
      const { core, user, idea, position, broker } = await openProtected('0.003')
      standin().fillInPartsNext(3)
      await broker.closePosition(position, 'manual')
      const close = standin()
        .orders()
        .find((order) => order.clientOrderId.startsWith('tdc-'))!
      expect(close).toMatchObject({ filled: 0.001, state: 'open' })
      standin().cancelDirectly(close.clientOrderId)
      await broker.sync()
      expect(await openPositions(core, user)).toMatchObject([{ id: position.id, quantity: '0.002' }])
      expect(await core.context.store.trades.all(user, { broker: exchange })).toMatchObject([
        { positionId: position.id, quantity: '0.001', exitReason: 'manual' },
      ])
      expect(protectedAt(0.002, idea)).toBe(true)
      // Closing the rest is a close of its own, with a client id of its own.
      const [rest] = await openPositions(core, user)
      await broker.closePosition(rest!, 'manual')
      expect(await openPositions(core, user)).toEqual([])
      expect(standin().positions()).toEqual([])
      expect(
        (await core.context.store.trades.all(user, { broker: exchange })).map((trade) => trade.quantity).sort(),
      ).toEqual(['0.001', '0.002'])
    })

    it("losses on testnet that reach the maximum daily loss halt the profile: limits read the venue's account, not the paper one", async () => {
      const { core, user, strategyId } = await desk()
      await call(core, 'risk:update', { patch: { maxDailyLoss: '5' } })
      const idea = await waitingIdea(core, strategyId, '0.01')
      await call(core, 'ideas:approve', { id: idea.id })
      // The market falls through the stop: the exchange closes the position at a loss of more than 6.
      standin().setMarkPrice(instrument, Number(idea.stopLoss) - 100)
      await core.services.trading.exchangeBrokerFor(user, exchange, 'testnet').sync()
      const [trade] = await core.context.store.trades.all(user, { broker: exchange })
      expect(Number(trade!.realizedPnl) - Number(trade!.fees)).toBeLessThan(-5)
      // The venue's own account shows the day's loss; the paper account does not.
      const [venue, ...others] = await call<AccountSummary[]>(core, 'account:venues')
      expect(others).toEqual([])
      expect(venue).toMatchObject({ broker: exchange, environment: 'testnet', openPositions: 0 })
      expect(Number(venue!.todayRealisedPnl)).toBeCloseTo(Number(trade!.realizedPnl) - Number(trade!.fees), 6)
      expect((await call<AccountSummary>(core, 'account:summary')).todayRealisedPnl).toBe('0')
      // The sync that recorded the loss halted the profile at once, before any new idea.
      expect((await core.context.store.riskConfig.get(user))!).toMatchObject({
        halted: true,
        lastHaltReason: expect.stringMatching(/^Today's loss on .* testnet is [\d.]+ .*maximum daily loss of 5/),
      })
      await call(core, 'trading:resume', { reason: 'checking the proposal path too' })
      // The paper account is untouched and calm; the next idea on this venue meets the limit.
      const { decision } = await core.services.trading.for(user).service.propose(user, {
        strategyId,
        symbol: instrument,
        direction: 'long',
        entryPrice: String(Number(idea.stopLoss) - 100),
        stopLoss: String(Number(idea.stopLoss) - 700),
        takeProfit: String(Number(idea.stopLoss) + 1100),
        size: '0.001',
        confidence: 0.8,
        rationale: 'after the loss',
      })
      expect(decision).toMatchObject({ route: 'reject', status: 'halted_by_risk' })
      expect(decision.reasons.map((reason) => reason.code)).toEqual(['max_daily_loss'])
      expect((await core.context.store.riskConfig.get(user))!).toMatchObject({
        halted: true,
        lastHaltReason: expect.stringContaining('maximum daily loss of 5'),
      })
    })

    it("sizes by risk from the exchange account's equity in the settlement currency, rounded down to the market's step", async () => {
      const { core, user } = await desk()
      const sizing = await core.services.trading.exchangeBrokerFor(user, exchange, 'testnet').sizing(instrument)
      expect(sizing.equity).toBe('10000')
      // 0.5% of 10,000 at risk with the stop 600 away: 0.0833…, which is 0.083 in steps of 0.001.
      expect(sizing.wholeSteps(sizeForRisk(riskBudget('0.5%', sizing.equity), 60_000, 59_400))).toBe('0.083')
      expect(sizing.wholeSteps(new Decimal('0.0009'))).toBe('0')
    })

    it("a position opened outside Tradedeck is the trader's: shown without a stop, left alone, and protected at their click", async () => {
      const { core, user } = await desk()
      const mark = standin().markPrice(instrument)
      standin().setPosition(instrument, 0.004, mark)
      const broker = core.services.trading.exchangeBrokerFor(user, exchange, 'testnet')
      await broker.reconcile()
      await broker.sync()
      const [position] = await openPositions(core, user)
      expect(position!.metadata).toMatchObject({ outside: true })
      expect(resting()).toEqual([])
      const shownBefore = await call<{ open: PositionView[] }>(core, 'account:positions', { tradeLimit: 5 })
      expect(shownBefore.open).toMatchObject([{ id: position!.id, protection: 'none' }])
      // Its prices and sizes are shown at the market's places (one decimal) and step (0.001), read from ccxt's loaded
      // markets; Deribit's tick of 0.5 is not a number of places, so it is carried as it is.
      expect(shownBefore.open[0]!.precision).toEqual({
        price: 1,
        quantity: 3,
        ...(exchange === 'deribit' ? { priceTick: '0.5' } : {}),
      })

      // A stop the market has already passed would close it at once: refused in words, nothing changed.
      await expect(
        call(core, 'positions:protect', { id: position!.id, stopLoss: String(mark + 3000) }),
      ).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('would close this long at once') })
      expect(resting()).toEqual([])
      expect(await rowsOf(core, user, 'protection_changed')).toEqual([])

      const shown = await call<PositionView>(core, 'positions:protect', {
        id: position!.id,
        stopLoss: String(mark - 3000),
        takeProfit: String(mark + 3000),
      })
      expect(shown).toMatchObject({ protection: 'exchange', stopLoss: String(mark - 3000) })
      expect(
        resting()
          .map((order) => [order.kind, order.amount, order.triggerPrice])
          .sort(),
      ).toEqual([
        ['stop', 0.004, mark - 3000],
        ['take', 0.004, mark + 3000],
      ])
      const [row] = await rowsOf(core, user, 'protection_changed')
      expect(row).toMatchObject({
        actor: `human:${user}`,
        rationale: expect.stringContaining('opened outside Tradedeck'),
      })
    })

    it('refuses an entry the free funds cannot carry, in words, before anything is sent', async () => {
      const { core, strategyId } = await desk()
      await call(core, 'risk:update', { patch: { maxLotSize: '100' } })
      const idea = await waitingIdea(core, strategyId, '50')
      const failed = await call<TradeIdea>(core, 'ideas:approve', { id: idea.id })
      expect(failed.status).toBe('failed')
      expect(failed.decisionNote).toMatch(
        / has (9800|10000) (USDT|USDC) free; this order needs at least [\d.]+ (USDT|USDC) \(.*\)\. Nothing was sent\.$/,
      )
      expect(standin().orders()).toEqual([])
    })

    it("refuses an entry in words while this machine's clock is further off the exchange's than it accepts, and sends it once the clock agrees", async () => {
      const { core, user, strategyId } = await desk()
      const broker = core.services.trading.exchangeBrokerFor(user, exchange, 'testnet')
      // Measured at reconciliation (and every minute of syncing): 30 s off, beyond any venue's receive window.
      standin().setClockOffset(30_000)
      const [report] = await call<ReconcileView[]>(core, 'exchanges:reconcile')
      expect(report!.clockSkewMs).toBeGreaterThan(29_000)
      expect(report!.receiveWindowMs).toBeLessThanOrEqual(10_000)
      const idea = await waitingIdea(core, strategyId, '0.002')
      const failed = await call<TradeIdea>(core, 'ideas:approve', { id: idea.id })
      expect(failed.status).toBe('failed')
      // Measured before sending; or, where the exchange refuses even the signed requests that open it (Bybit reads
      // its coins signed), said as the exchange's refusal of this machine's clock.
      expect(failed.decisionNote).toMatch(
        /^This machine's clock is 30\.\d s behind .+'s, and .+ refuses a request more than (5|10) s off: nothing was sent\. Turn on automatic \(network\) time|refused a request signed by this machine's clock, which is further off the exchange's than it accepts\. Turn on automatic \(network\) time/,
      )
      expect(standin().orders()).toEqual([])

      standin().setClockOffset(0)
      await broker.reconcile()
      const next = await waitingIdea(core, strategyId, '0.002')
      expect((await call<TradeIdea>(core, 'ideas:approve', { id: next.id })).status).toBe('executed')
    })

    it('kill -9 after the entry is recorded and before its stop is sent: protected after the restart', async () => {
      const first = await desk()
      const idea = await waitingIdea(first.core, first.strategyId, '0.002')
      first.close()
      const child = runTsChild('approve-child.ts', [first.dataDir, idea.id])
      // The lookup before the stop's send is the last thing the killed process does. The entry's own lookups go
      // first: one before its send, and on Bybit one more after it (its reply to an order carries only the ids).
      const entryLookups = exchange === 'bybit' ? 2 : 1
      standin().holdReplyNext(standin().routes.lookup, () => child.process.kill('SIGKILL'), entryLookups)
      expect(await child.exited).toBeNull()
      expect(standin().positions()).toMatchObject([{ instrument, size: 0.002 }])
      expect(resting()).toEqual([])
      // The entry was recorded as filled, its stop and target as on their way: the kill came between the two.
      const db = new Database(join(first.dataDir, 'tradedeck.sqlite'), { readonly: true })
      const recorded = db
        .prepare(`SELECT status, json_extract(metadata, '$.native') AS native FROM orders ORDER BY created_at, id`)
        .all()
      db.close()
      expect(recorded).toEqual([
        { status: 'filled', native: null },
        { status: 'pending', native: 1 },
        { status: 'pending', native: 1 },
      ])

      const second = await desk(first.dataDir)
      expect(await eventually(() => protectedAt(0.002, idea))).toBe(true)
      expect(await openPositions(second.core, second.user)).toMatchObject([
        { quantity: '0.002', metadata: expect.objectContaining({ exits: 'native' }) },
      ])
    })
  },
)

describe('watched exits on Binance spot, against its local stand-in', () => {
  const standin = useVenueStandin('binance', KEY)
  const instrument = 'BTCUSDT'
  const desk = useExchangeDesks('binance', instrument, KEY)

  it("the venue's watcher closes a position at its stop from the exchange's own candles, with no instance running", async () => {
    const first = await desk()
    const { user, strategyId } = first
    expect((await first.core.context.store.strategies.get(user, strategyId))!.status).not.toBe('active')
    const idea = await proposeWaiting(first.core, strategyId, instrument, standin().markPrice(instrument), '0.002')
    await call(first.core, 'ideas:approve', { id: idea.id })
    const [position] = await first.core.context.store.positions.listOpen(user, {
      broker: 'binance',
      environment: 'testnet',
    })
    expect(position!.metadata.exits).toBe('managed')
    first.close()
    // Opened five minutes ago, with a stop the market has since traded through while the app was closed.
    const db = new Database(join(first.dataDir, 'tradedeck.sqlite'))
    db.prepare(`UPDATE positions SET opened_at = ?, stop_loss = ? WHERE id = ?`).run(
      new Date(Date.now() - 5 * 60_000).toISOString(),
      String(standin().markPrice(instrument) * 2),
      position!.id,
    )
    db.close()
    // The app starts again; the instance stays stopped, and the venue's watcher alone closes the position.
    const { core } = await desk(first.dataDir)
    const open = () => core.context.store.positions.listOpen(user, { broker: 'binance', environment: 'testnet' })
    for (let tries = 0; tries < 100 && (await open()).length > 0; tries++)
      await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await open()).toEqual([])
    expect(await core.context.store.trades.all(user, { broker: 'binance' })).toMatchObject([
      { positionId: position!.id, exitReason: 'stop_loss', quantity: expect.any(String) },
    ])
    expect(
      standin()
        .orders()
        .filter((order) => order.clientOrderId.startsWith('tdc-')),
    ).toMatchObject([{ side: 'sell', state: 'filled' }])
  })

  it('stopping an instance, or quitting, with a watched position open says in words that nothing watches it while Tradedeck is closed', async () => {
    const { core, strategyId } = await desk()
    expect(await core.quitWarning()).toBeNull()
    const idea = await proposeWaiting(core, strategyId, instrument, standin().markPrice(instrument), '0.002')
    await call(core, 'ideas:approve', { id: idea.id })
    const note =
      '1 position on Binance (spot) testnet has no stop on the exchange: Tradedeck watches it while it runs, and while Tradedeck is closed nothing watches it.'
    expect(await core.quitWarning()).toBe(note)
    expect(await call<{ warning: string | null }>(core, 'strategies:stop', { id: strategyId })).toMatchObject({
      warning: note,
    })
  })
})
