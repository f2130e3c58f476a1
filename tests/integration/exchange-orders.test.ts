import { describe, expect, it } from 'vitest'
import { entryClientOrderId } from '../../src/main/core/domains/exchanges/client-order-ids'
import type { Core } from '../../src/main/core/wiring/app'
import type { Decision, FlattenReport, ReconcileView, TradeIdea } from '../../src/shared/domain'
import { callCore, useExchangeDesks, waitingIdea as proposeWaiting } from '../helpers/exchange-desk'
import { useVenueStandin } from '../helpers/venue-standins'
import { EXCHANGES } from '../../src/main/core/domains/exchanges/registry'
import { runTsChild } from '../helpers/child-process'
import Database from 'better-sqlite3'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { backupDirFor } from '../../src/main/core/platform/backups/sqlite-backup'
import { reconcilePositions } from '../../src/main/core/domains/exchanges/reconciliation'
import { standinKey } from '../helpers/standin-key'

const KEY = standinKey('orders-key-0042', 'Ord3rs-secret-kept-sealed')

describe.each(['deribit', 'binanceusdm', 'bybit'] as const)(
  'orders on %s through ccxt, placed exactly once, against its local stand-in',
  (exchange) => {
    const standin = useVenueStandin(exchange, KEY)
    const instrument = exchange === 'deribit' ? 'BTC_USDC-PERPETUAL' : 'BTCUSDT'
    const venueLabel = `${EXCHANGES[exchange].label} testnet`
    const desk = useExchangeDesks(exchange, instrument, KEY)
    const call = callCore
    const waitingIdea = (core: Core, strategyId: string, size: string) =>
      proposeWaiting(core, strategyId, instrument, standin().markPrice(instrument), size)

    const ordersLabelled = (clientOrderId: string) =>
      standin()
        .orders()
        .filter((order) => order.clientOrderId === clientOrderId)
    /** The idea's status once the poll has settled its order, or after ten seconds of polls. */
    const statusOncePolled = async (core: Core, user: string, ideaId: string) => {
      const status = async () => (await core.context.store.tradeIdeas.get(user, ideaId))!.status
      for (let tries = 0; tries < 100 && (await status()) !== 'executed'; tries++)
        await new Promise((resolve) => setTimeout(resolve, 100))
      return status()
    }
    const actionsOf = async (core: Core, ideaId: string) =>
      (await call<{ history: Decision[] }>(core, 'ideas:get', { id: ideaId })).history.map((row) => row.action)

    it('places an approved idea once, with a client id derived from the idea, and records the fill, the position and the decision rows', async () => {
      const { core, user, strategyId } = await desk()
      const idea = await waitingIdea(core, strategyId, '0.002')
      const executed = await call<TradeIdea>(core, 'ideas:approve', { id: idea.id })
      expect(executed.status).toBe('executed')
      const [placed, ...others] = ordersLabelled(entryClientOrderId(idea.id))
      expect(others).toEqual([])
      expect(placed).toMatchObject({
        side: 'buy',
        kind: 'market',
        amount: 0.002,
        state: 'filled',
        instrument: instrument,
      })
      const [order] = await core.context.store.orders.list(user, { tradeIdeaId: idea.id })
      expect(order).toMatchObject({
        broker: exchange,
        environment: 'testnet',
        status: 'filled',
        brokerOrderId: placed!.id,
        metadata: expect.objectContaining({ clientOrderId: entryClientOrderId(idea.id), exits: 'managed' }),
      })
      const [position] = await core.context.store.positions.listOpen(user, { broker: exchange, environment: 'testnet' })
      expect(position).toMatchObject({
        symbol: instrument,
        direction: 'long',
        quantity: '0.002',
        averagePrice: String(placed!.average),
        stopLoss: idea.stopLoss,
        takeProfit: idea.takeProfit,
      })
      expect(await actionsOf(core, idea.id)).toEqual(['ai_proposed', 'human_approved', 'order_filled'])
      // The fee is the exchange's (on Binance, summed from the order's trades).
      const [fill] = await core.context.store.orders.fills(user, order!.id)
      expect(placed!.fee).toBeGreaterThan(0)
      expect(Number(fill!.fee)).toBeCloseTo(placed!.fee, 6)
      // Approving again is the same approval: nothing more is sent.
      await call(core, 'ideas:approve', { id: idea.id })
      expect(ordersLabelled(entryClientOrderId(idea.id))).toHaveLength(1)
    })

    it('after a reply lost on the way back, finds the order by its client id instead of sending it again', async () => {
      const { core, user, strategyId } = await desk()
      const idea = await waitingIdea(core, strategyId, '0.001')
      standin().loseReplyNext(standin().routes.buy)
      const executed = await call<TradeIdea>(core, 'ideas:approve', { id: idea.id })
      expect(executed.status).toBe('executed')
      expect(ordersLabelled(entryClientOrderId(idea.id))).toHaveLength(1)
      const entries = (await core.context.store.orders.list(user, { tradeIdeaId: idea.id })).filter(
        (order) => !order.metadata.closes,
      )
      expect(entries.map((order) => order.status)).toEqual(['filled'])
    })

    it('when no reply and no lookup gets through, leaves the order pending, and the poll finds it by its client id', async () => {
      const { core, user, strategyId } = await desk()
      const idea = await waitingIdea(core, strategyId, '0.001')
      // The first send is taken but its reply is lost; every lookup after it is lost too.
      standin().loseReplyNext(standin().routes.buy)
      standin().loseReplyNext(standin().routes.lookup, 4, 1)
      const approved = await call<TradeIdea>(core, 'ideas:approve', { id: idea.id })
      // Pending while its fate is open. On a loaded machine the stand-in may carry out the held send only after ccxt
      // has given up on it, so a lookup before the 429s begin may already find it: executed, never failed.
      expect(['approved', 'executed']).toContain(approved.status)
      if (approved.status === 'approved')
        expect((await core.context.store.orders.list(user, { tradeIdeaId: idea.id }))[0]!.status).toBe('pending')
      expect(await statusOncePolled(core, user, idea.id)).toBe('executed')
      expect((await core.context.store.orders.list(user, { tradeIdeaId: idea.id }))[0]!.status).toBe('filled')
      expect(ordersLabelled(entryClientOrderId(idea.id))).toHaveLength(1)
    })

    it('after a send that times out and a 429 on every lookup that follows, keeps the order pending, never "nothing was placed", and the poll records it once', async () => {
      const { core, user, strategyId } = await desk()
      const idea = await waitingIdea(core, strategyId, '0.001')
      // The send is taken but its reply never comes (the request times out); from then on, each of the
      // four tries left is refused with a 429 at its lookup.
      standin().holdReplyNext(standin().routes.buy, () => standin().rateLimitNext(4, standin().routes.lookup))
      const approved = await call<TradeIdea>(core, 'ideas:approve', { id: idea.id })
      // Pending while its fate is open. On a loaded machine the stand-in may carry out the held send only after ccxt
      // has given up on it, so a lookup before the 429s begin may already find it: executed, never failed.
      expect(['approved', 'executed']).toContain(approved.status)
      if (approved.status === 'approved')
        expect((await core.context.store.orders.list(user, { tradeIdeaId: idea.id }))[0]!.status).toBe('pending')
      expect(await statusOncePolled(core, user, idea.id)).toBe('executed')
      expect(ordersLabelled(entryClientOrderId(idea.id))).toHaveLength(1)
      const [position, ...more] = await core.context.store.positions.listOpen(user, {
        broker: exchange,
        environment: 'testnet',
      })
      expect(more).toEqual([])
      expect(position).toMatchObject({ symbol: instrument, quantity: '0.001' })
      expect(await actionsOf(core, idea.id)).not.toContain('order_failed')
    })

    it('backs off on 429s and still places the order once', async () => {
      const { core, strategyId } = await desk()
      const idea = await waitingIdea(core, strategyId, '0.001')
      standin().rateLimitNext(2, standin().routes.buy)
      expect((await call<TradeIdea>(core, 'ideas:approve', { id: idea.id })).status).toBe('executed')
      expect(ordersLabelled(entryClientOrderId(idea.id))).toHaveLength(1)
    })

    it('maps partial fills part by part, and a state seen twice records nothing twice', async () => {
      const { core, user, strategyId } = await desk()
      const idea = await waitingIdea(core, strategyId, '0.003')
      standin().fillInPartsNext(3)
      await call(core, 'ideas:approve', { id: idea.id })
      const [order] = await core.context.store.orders.list(user, { tradeIdeaId: idea.id })
      expect(order!.status).toBe('partially_filled')
      const position = () =>
        core.context.store.positions
          .listOpen(user, { broker: exchange, environment: 'testnet' })
          .then((open) => open.find((candidate) => candidate.metadata.orderId === order!.id))
      expect((await position())!.quantity).toBe('0.001')
      const broker = core.services.trading.exchangeBrokerFor(user, exchange, 'testnet')
      await Promise.all([broker.sync(), broker.sync()])
      await broker.sync()
      expect((await core.context.store.orders.get(user, order!.id))!.status).toBe('filled')
      expect((await core.context.store.orders.fills(user, order!.id)).map((fill) => fill.quantity)).toEqual([
        '0.001',
        '0.001',
        '0.001',
      ])
      expect((await position())!.quantity).toBe('0.003')
      await broker.sync()
      expect(await core.context.store.orders.fills(user, order!.id)).toHaveLength(3)
      expect((await actionsOf(core, idea.id)).filter((action) => action === 'order_filled')).toHaveLength(3)
    })

    it.runIf(EXCHANGES[exchange].nativeStopLoss)(
      'places the stop-loss and take-profit on the exchange once the entry fills; the stop triggers, the position closes, and the take-profit is cancelled',
      async () => {
        const { core, user, strategyId } = await desk()
        const idea = await waitingIdea(core, strategyId, '0.002')
        await call(core, 'ideas:approve', { id: idea.id })
        const [position] = await core.context.store.positions.listOpen(user, {
          broker: exchange,
          environment: 'testnet',
        })
        expect(position!.metadata.exits).toBe('native')
        const stop = standin()
          .orders()
          .find((order) => order.clientOrderId === `tds-${position!.id.replaceAll('-', '')}`)
        const target = standin()
          .orders()
          .find((order) => order.clientOrderId === `tdt-${position!.id.replaceAll('-', '')}`)
        expect(stop).toMatchObject({
          kind: 'stop',
          state: 'untriggered',
          side: 'sell',
          reduceOnly: true,
          amount: 0.002,
          triggerPrice: Number(idea.stopLoss),
        })
        expect(target).toMatchObject({
          kind: 'take',
          state: 'untriggered',
          side: 'sell',
          reduceOnly: true,
          amount: 0.002,
          triggerPrice: Number(idea.takeProfit),
        })
        // Tradedeck does not also close it on a candle: the exchange holds the stop.
        const broker = core.services.trading.exchangeBrokerFor(user, exchange, 'testnet')
        const stopPrice = Number(idea.stopLoss)
        await broker.onCandle({
          symbol: instrument,
          timeframe: '1m',
          ts: new Date(Date.now() + 1000).toISOString(),
          open: String(stopPrice + 100),
          high: String(stopPrice + 150),
          low: String(stopPrice - 50),
          close: String(stopPrice + 20),
          volume: '3',
        })
        expect(
          standin()
            .orders()
            .filter((order) => order.clientOrderId.startsWith('tdc-')),
        ).toEqual([])

        standin().setMarkPrice(instrument, stopPrice - 5)
        await broker.sync()
        expect(
          standin()
            .orders()
            .find((order) => order.clientOrderId === `tds-${position!.id.replaceAll('-', '')}`),
        ).toMatchObject({ state: 'filled', average: stopPrice - 5 })
        expect(
          standin()
            .orders()
            .find((order) => order.clientOrderId === `tdt-${position!.id.replaceAll('-', '')}`),
        ).toMatchObject({ state: 'cancelled' })
        expect(standin().positions()).toEqual([])
        expect(await core.context.store.positions.listOpen(user, { broker: exchange, environment: 'testnet' })).toEqual(
          [],
        )
        const [trade] = await core.context.store.trades.all(user, { broker: exchange })
        expect(trade).toMatchObject({
          positionId: position!.id,
          exitReason: 'stop_loss',
          exitPrice: String(stopPrice - 5),
          tradeIdeaId: idea.id,
        })
        expect(
          await core.context.store.orders.list(user, { statuses: ['pending', 'open', 'partially_filled'] }),
        ).toEqual([])
      },
    )

    it('watches the stop-loss itself where the exchange does not hold it: a closed candle through the stop closes the position once, with a reduce-only market order', async () => {
      const { core, user, strategyId } = await desk()
      const idea = await waitingIdea(core, strategyId, '0.002')
      const protective = standin().routes.protective
      // Where the exchange would hold them, it refuses them; elsewhere Tradedeck watches them anyway.
      if (protective) standin().refuseNext(protective, 2, protective === standin().routes.buy ? 1 : 0)
      await call(core, 'ideas:approve', { id: idea.id })
      expect(
        (await core.context.store.positions.listOpen(user, { broker: exchange, environment: 'testnet' }))[0]!.metadata
          .exits,
      ).toBe('managed')
      const [position] = await core.context.store.positions.listOpen(user, { broker: exchange, environment: 'testnet' })
      const broker = core.services.trading.exchangeBrokerFor(user, exchange, 'testnet')
      const stop = Number(idea.stopLoss)
      const candle = {
        symbol: instrument,
        timeframe: '1m',
        ts: new Date().toISOString(),
        open: String(stop + 100),
        high: String(stop + 150),
        low: String(stop - 50),
        close: String(stop + 20),
        volume: '3',
      }
      await broker.onCandle(candle)
      await broker.onCandle(candle)
      const closes = standin()
        .orders()
        .filter((order) => order.clientOrderId === `tdc-${position!.id.replaceAll('-', '')}`)
      expect(closes).toMatchObject([{ side: 'sell', reduceOnly: true, kind: 'market', amount: 0.002, state: 'filled' }])
      expect(await core.context.store.positions.listOpen(user, { broker: exchange, environment: 'testnet' })).toEqual(
        [],
      )
      const [trade] = await core.context.store.trades.all(user, { broker: exchange })
      expect(trade).toMatchObject({
        positionId: position!.id,
        exitReason: 'stop_loss',
        exitPrice: String(closes[0]!.average),
        tradeIdeaId: idea.id,
      })
      expect(standin().positions()).toEqual([])
    })

    it('refuses an order the exchange refuses, and the idea fails with its reason', async () => {
      const { core, strategyId } = await desk()
      const idea = await waitingIdea(core, strategyId, '0.0015')
      const failed = await call<TradeIdea>(core, 'ideas:approve', { id: idea.id })
      expect(failed.status).toBe('failed')
      expect(failed.decisionNote).toContain(`not a multiple of ${instrument}'s step`)
      expect(ordersLabelled(entryClientOrderId(idea.id))).toEqual([])
    })

    it('reconciles after a restart: a position changed on the exchange is taken as the truth, with a reconciled row', async () => {
      const first = await desk()
      const idea = await waitingIdea(first.core, first.strategyId, '0.002')
      await call(first.core, 'ideas:approve', { id: idea.id })
      const held = standin()
        .positions()
        .find((position) => position.instrument === instrument)!
      first.close()
      // While the desk was closed, part of the position was closed on the exchange's own screen.
      standin().setPosition(instrument, Number((held.size - 0.001).toFixed(3)), held.averagePrice)

      const second = await desk(first.dataDir)
      const rows = (
        await second.core.context.store.decisions.query(second.user, { actions: ['reconciled'] }, { limit: 10 })
      ).rows
      expect(rows).toHaveLength(1)
      expect(rows[0]!.rationale).toContain(
        `The desk had long ${held.size} ${instrument}; ${venueLabel} has long ${(held.size - 0.001).toFixed(3)}`,
      )
      const open = await second.core.context.store.positions.listOpen(second.user, {
        broker: exchange,
        environment: 'testnet',
      })
      expect(open.reduce((sum, position) => sum + Number(position.quantity), 0)).toBeCloseTo(held.size - 0.001, 9)

      // Once they agree, reconciling again changes nothing and writes nothing.
      const reports = await call<ReconcileView[]>(second.core, 'exchanges:reconcile')
      expect(reports).toEqual([
        expect.objectContaining({ exchange, environment: 'testnet', differences: [], error: null }),
      ])
      expect(typeof reports[0]!.clockSkewMs).toBe('number')
      expect(
        (await second.core.context.store.decisions.query(second.user, { actions: ['reconciled'] }, { limit: 10 })).rows,
      ).toHaveLength(1)
    })

    /** Approves in a child process that is killed with SIGKILL the moment the stand-in has carried out `method`. */
    async function approveAndKill(dataDir: string, ideaId: string, method: string): Promise<void> {
      const child = runTsChild('approve-child.ts', [dataDir, ideaId])
      standin().holdReplyNext(method, () => child.process.kill('SIGKILL'))
      expect(await child.exited).toBeNull()
      expect(child.stderr()).toContain('approving')
      expect(child.stderr()).not.toContain('approved')
    }

    it('kill -9 after the exchange took the order but before the desk recorded it: the restart finds it by its client id and sends nothing again', async () => {
      const first = await desk()
      const idea = await waitingIdea(first.core, first.strategyId, '0.002')
      first.close()
      await approveAndKill(first.dataDir, idea.id, standin().routes.buy)
      expect(ordersLabelled(entryClientOrderId(idea.id))).toMatchObject([{ state: 'filled' }])

      const second = await desk(first.dataDir)
      const [order] = await second.core.context.store.orders.list(second.user, { tradeIdeaId: idea.id })
      expect(order).toMatchObject({
        status: 'filled',
        brokerOrderId: ordersLabelled(entryClientOrderId(idea.id))[0]!.id,
      })
      expect((await second.core.context.store.tradeIdeas.get(second.user, idea.id))!.status).toBe('executed')
      expect(await actionsOf(second.core, idea.id)).toEqual(['ai_proposed', 'human_approved', 'order_filled'])
      expect(
        await second.core.context.store.positions.listOpen(second.user, { broker: exchange, environment: 'testnet' }),
      ).toMatchObject([{ quantity: '0.002' }])
      expect(ordersLabelled(entryClientOrderId(idea.id))).toHaveLength(1)
      // Nothing differed once the order was adopted.
      expect(
        (await second.core.context.store.decisions.query(second.user, { actions: ['reconciled'] }, { limit: 5 })).rows,
      ).toEqual([])
    })

    it('kill -9 before the order was sent: after the restart it is known never to have been taken, fails, and a retry places it once', async () => {
      const first = await desk()
      const idea = await waitingIdea(first.core, first.strategyId, '0.001')
      first.close()
      // The lookup that comes before the send is the last thing the killed process does.
      await approveAndKill(first.dataDir, idea.id, standin().routes.lookup)
      expect(ordersLabelled(entryClientOrderId(idea.id))).toEqual([])
      // A restart a minute later: long past any reply the exchange could still give.
      const db = new Database(join(first.dataDir, 'tradedeck.sqlite'))
      db.prepare(`UPDATE orders SET metadata = json_set(metadata, '$.sentAt', ?) WHERE trade_idea_id = ?`).run(
        new Date(Date.now() - 60_000).toISOString(),
        idea.id,
      )
      db.close()

      const second = await desk(first.dataDir)
      const failed = (await second.core.context.store.tradeIdeas.get(second.user, idea.id))!
      expect(failed).toMatchObject({ status: 'failed', decisionNote: expect.stringContaining('it was never taken') })
      expect(await actionsOf(second.core, idea.id)).toEqual(['ai_proposed', 'human_approved', 'order_failed'])
      expect((await call<TradeIdea>(second.core, 'ideas:retry', { id: idea.id })).status).toBe('executed')
      expect(ordersLabelled(entryClientOrderId(idea.id))).toHaveLength(1)
    })

    it('leaves an instrument whose order is still on its way to that order: a reconciliation meanwhile adopts nothing, and the position opens once', async () => {
      const { core, user, strategyId } = await desk()
      const idea = await waitingIdea(core, strategyId, '0.002')
      const broker = core.services.trading.exchangeBrokerFor(user, exchange, 'testnet')
      let meanwhile: Promise<{ differences: string[] }> | undefined
      // The exchange has taken the entry and holds the position; its reply has not reached the desk yet.
      standin().holdReplyNext(standin().routes.buy, () => (meanwhile = broker.reconcile()))
      expect((await call<TradeIdea>(core, 'ideas:approve', { id: idea.id })).status).toBe('executed')
      expect((await meanwhile!).differences).toEqual([])
      expect(
        await core.context.store.positions.listOpen(user, { broker: exchange, environment: 'testnet' }),
      ).toMatchObject([{ quantity: '0.002', metadata: expect.objectContaining({ tradeIdeaId: idea.id }) }])
      expect((await core.context.store.decisions.query(user, { actions: ['reconciled'] }, { limit: 5 })).rows).toEqual(
        [],
      )
      expect((await broker.reconcile()).differences).toEqual([])
    }, 60_000)

    it('adopts a position only the exchange holds once, however many reconciliations run at the same time', async () => {
      const { core, user } = await desk()
      standin().setPosition(instrument, -0.004, 61_000)
      const broker = core.services.trading.exchangeBrokerFor(user, exchange, 'testnet')
      const reports = await Promise.all([
        broker.reconcile(),
        broker.reconcile(),
        call<unknown>(core, 'exchanges:reconcile'),
      ])
      expect(reports[0].differences).toEqual([
        `The desk had no position in ${instrument}; ${venueLabel} has short 0.004 ${instrument}.`,
      ])
      expect(reports[1].differences).toEqual([])
      // Two comparisons against the same reading of the exchange, side by side, without the broker's queue: still one adoption.
      const scope = {
        store: core.context.store,
        userId: user,
        broker: exchange,
        environment: 'testnet' as const,
        label: venueLabel,
        now: () => new Date(),
        lastPrice: () => null,
      }
      const held = [
        {
          instrument: instrument,
          direction: 'short' as const,
          quantity: '0.004',
          averagePrice: '61000',
          markPrice: null,
        },
      ]
      await core.context.store.transaction(async (tx) => {
        for (const position of await tx.positions.listOpen(user))
          await tx.positions.close(user, position.id, new Date().toISOString())
      })
      const rerun = await Promise.all([reconcilePositions(scope, held), reconcilePositions(scope, held)])
      expect(rerun.flat()).toHaveLength(1)
      const open = await core.context.store.positions.listOpen(user, { broker: exchange, environment: 'testnet' })
      expect(open).toMatchObject([
        {
          symbol: instrument,
          direction: 'short',
          quantity: '0.004',
          averagePrice: '61000',
          stopLoss: null,
          strategyId: null,
          metadata: expect.objectContaining({ reconciled: true, outside: true }),
        },
      ])
      const rows = (await core.context.store.decisions.query(user, { actions: ['reconciled'] }, { limit: 5 })).rows
      expect(rows).toHaveLength(2)
      expect(
        rows.every((row) =>
          row.rationale.includes(
            "The exchange is the truth: recorded the exchange's short 0.004 at 61000 as the trader's own",
          ),
        ),
      ).toBe(true)
    })

    it("flatten and halt: halts and closes every position of the desk, cancels only the desk's own orders, each stop only after its close", async () => {
      const { core, user, strategyId } = await desk()
      const idea = await waitingIdea(core, strategyId, '0.002')
      await call(core, 'ideas:approve', { id: idea.id })
      // The trader's own stop on the account, placed outside Tradedeck: not the desk's to cancel.
      const mark = standin().markPrice(instrument)
      standin().placeDirectly({
        instrument,
        side: 'buy',
        amount: 0.001,
        clientOrderId: 'my-own-stop',
        kind: 'stop',
        reduceOnly: false,
        triggerPrice: Math.round(mark * 1.5),
      })
      await expect(call(core, 'trading:flattenAndHalt', { reason: 'going home' })).rejects.toMatchObject({
        code: 'invalid_input',
      })
      const report = await call<FlattenReport>(core, 'trading:flattenAndHalt', { reason: 'going home', confirm: true })
      expect(report).toMatchObject({
        halted: true,
        openPositions: 0,
        // The stop and the target, where the exchange holds them; on spot-like watching, none.
        venues: [
          {
            exchange,
            environment: 'testnet',
            cancelled: standin().routes.protective ? 2 : 0,
            closed: 1,
            failed: [],
            error: null,
          },
        ],
      })
      expect(
        standin()
          .positions()
          .filter((position) => position.instrument === instrument),
      ).toEqual([])
      expect(await core.context.store.positions.listOpen(user, { broker: exchange, environment: 'testnet' })).toEqual(
        [],
      )
      const closes = standin()
        .orders()
        .filter((order) => order.reduceOnly && order.kind === 'market')
      expect(closes.length).toBeGreaterThan(0)
      expect(closes.every((order) => order.clientOrderId.startsWith('tdc-'))).toBe(true)
      // The desk's stop and target went once the position closed; the trader's own order is as it was.
      const resting = standin()
        .orders()
        .filter((order) => order.kind !== 'market')
      for (const order of resting.filter((order) => order.clientOrderId.startsWith('td')))
        expect([order.clientOrderId, order.state]).toEqual([order.clientOrderId, 'cancelled'])
      expect(resting.find((order) => order.clientOrderId === 'my-own-stop')?.state).toBe('untriggered')
      const [trade] = (await core.context.store.trades.all(user, { broker: exchange })).filter(
        (row) => row.tradeIdeaId === idea.id,
      )
      expect(trade).toMatchObject({ exitReason: 'manual', quantity: '0.002' })
      expect((await core.context.store.riskConfig.get(user))!.halted).toBe(true)
      const halts = (await core.context.store.decisions.query(user, { actions: ['ai_halted'] }, { limit: 5 })).rows
      expect(halts[0]).toMatchObject({ actor: `human:${user}`, rationale: 'Flatten and halt: going home' })
    })

    it('flatten with a close the exchange refuses: reports that position with the reason and keeps its stop', async () => {
      const { core, user, strategyId } = await desk()
      const idea = await waitingIdea(core, strategyId, '0.002')
      await call(core, 'ideas:approve', { id: idea.id })
      const protectiveBefore = standin()
        .orders()
        .filter((order) => order.kind !== 'market' && order.state === 'untriggered').length
      // The next order request is the close (Deribit takes sells apart from buys).
      standin().refuseNext(exchange === 'deribit' ? 'private/sell' : standin().routes.buy, 1)
      const report = await call<FlattenReport>(core, 'trading:flattenAndHalt', { reason: 'going home', confirm: true })
      expect(report.openPositions).toBe(1)
      expect(report.venues[0]).toMatchObject({ closed: 0, error: null })
      expect(report.venues[0]!.failed).toEqual([{ symbol: instrument, reason: expect.stringMatching(/refused/) }])
      expect(
        await core.context.store.positions.listOpen(user, { broker: exchange, environment: 'testnet' }),
      ).toHaveLength(1)
      // Nothing of its protection was taken away.
      expect(
        standin()
          .orders()
          .filter((order) => order.kind !== 'market' && order.state === 'untriggered').length,
      ).toBe(protectiveBefore)
    })

    it('keeps the key sealed through trading: not in the database, its WAL, a backup, or any log row', async () => {
      const { core, dataDir, strategyId } = await desk()
      const idea = await waitingIdea(core, strategyId, '0.001')
      await call(core, 'ideas:approve', { id: idea.id })
      await call(core, 'trading:flattenAndHalt', { reason: 'end of test', confirm: true })
      await call(core, 'backups:create', {})
      const files = [
        ...readdirSync(dataDir)
          .filter((name) => name.startsWith('tradedeck.sqlite'))
          .map((name) => join(dataDir, name)),
        ...readdirSync(backupDirFor(dataDir)).map((name) => join(backupDirFor(dataDir), name)),
      ]
      expect(files.some((path) => path.includes('backups'))).toBe(true)
      const bytes = files.map((path) => readFileSync(path).toString('latin1')).join('')
      expect(bytes).not.toContain(KEY.secret)
      expect(bytes).not.toContain(KEY.apiKey)
      expect(bytes).toContain(entryClientOrderId(idea.id))
    })
  },
)
