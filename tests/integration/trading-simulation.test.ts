import Decimal from 'decimal.js'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TradeIdeaStatus } from '../../src/main/core/platform/store/repositories/trade-ideas'
import type { User } from '../../src/main/core/platform/store/repositories/users'
import { BrokerError, type Broker } from '../../src/main/core/domains/trading/broker'
import { TradingService } from '../../src/main/core/domains/trading/trading-service'
import { TradingError } from '../../src/main/core/domains/trading/trading-error'
import { postgresStore, sqliteStore, type StoreHarness } from '../helpers/store-harness'
import { paperTrading } from '../../src/main/core/domains/trading/paper-trading'

const WATCHLIST = ['BTC-PERP', 'ETH-PERP']
const SYMBOLS = [...WATCHLIST, 'DOGE-PERP']
const IDEAS = 1000

interface GeneratedIdea {
  symbol: string
  confidence: number
  size: string
  direction: 'long' | 'short'
}

const ideasArbitrary = fc.array(
  fc.record({
    symbol: fc.constantFrom(...SYMBOLS),
    confidence: fc.integer({ min: 0, max: 100 }).map((n) => n / 100),
    size: fc.integer({ min: 1, max: 300 }).map((n) => new Decimal(n).div(100).toString()),
    direction: fc.constantFrom('long' as const, 'short' as const),
  }),
  { minLength: IDEAS, maxLength: IDEAS },
)

function simulation(name: string, open: () => Promise<StoreHarness>) {
  describe(`trading simulation on ${name}`, () => {
    let h: StoreHarness
    let user: User
    beforeAll(async () => {
      h = await open()
      user = await h.store.users.ensureDefault()
      await h.store.riskConfig.update(user.id, {
        aiTradingEnabled: true,
        minConfidenceThreshold: 0.6,
        maxLotSize: '2',
        maxConcurrentTrades: 100_000,
        watchlist: WATCHLIST,
      })
    })
    afterAll(async () => {
      await h.close()
    })

    it('routes 1,000 proposed ideas by the rules, records them in order, and keeps the paper account exact to the cent', async () => {
      const [generated] = fc.sample(ideasArbitrary, { numRuns: 1, seed: 20261122 }) as [GeneratedIdea[]]
      let clock = Date.UTC(2026, 10, 22, 9, 0, 0)
      const { service, broker } = paperTrading(h.store, user.id, {
        slippage: '0.0005',
        feeRate: '0.0004',
        moneyScale: 2,
        now: () => new Date(clock),
      })

      const expected: Record<string, number> = { auto_executed: 0, needs_approval: 0, rejected: 0 }
      const proposed: { id: string; expectedStatus: string }[] = []
      for (const idea of generated) {
        const entry = idea.symbol === 'BTC-PERP' ? 100 : idea.symbol === 'ETH-PERP' ? 50 : 10
        const sign = idea.direction === 'long' ? 1 : -1
        const result = await service.propose(user.id, {
          symbol: idea.symbol,
          direction: idea.direction,
          entryPrice: String(entry),
          stopLoss: String(entry - sign * entry * 0.02),
          takeProfit: String(entry + sign * entry * 0.03),
          size: idea.size,
          confidence: idea.confidence,
          rationale: `simulated ${idea.direction} on ${idea.symbol}`,
        })
        const expectedStatus = new Decimal(idea.size).gt(2)
          ? 'rejected'
          : !WATCHLIST.includes(idea.symbol) || idea.confidence < 0.6
            ? 'needs_approval'
            : 'auto_executed'
        expected[expectedStatus]!++
        proposed.push({ id: result.idea.id, expectedStatus })
        expect(result.decision.status).toBe(expectedStatus)
        clock += 1000
      }
      const counts: Record<string, number> = { auto_executed: 0, needs_approval: 0, rejected: 0 }
      for (const status of ['auto_executed', 'needs_approval', 'rejected'] as TradeIdeaStatus[]) {
        counts[status] = (await h.store.tradeIdeas.list(user.id, { statuses: [status], limit: 10_000 })).length
      }
      expect(counts).toEqual(expected)
      expect(expected.auto_executed).toBeGreaterThan(100)

      const rowsFor = {
        auto_executed: ['ai_proposed', 'ai_auto_executed'],
        needs_approval: ['ai_proposed'],
        rejected: ['ai_proposed', 'risk_rejected'],
      }
      for (const idea of proposed.filter((_, i) => i % 10 === 0)) {
        expect((await service.history(user.id, idea.id)).map((row) => row.action)).toEqual(
          rowsFor[idea.expectedStatus as keyof typeof rowsFor],
        )
      }

      // Drive the market: every auto-executed order fills at the next open, then stops or targets close the positions.
      const candle = (symbol: string, open: number, high: number, low: number, close: number) => {
        clock += 60_000
        return {
          symbol,
          timeframe: '1m',
          ts: new Date(clock).toISOString(),
          open: String(open),
          high: String(high),
          low: String(low),
          close: String(close),
          volume: '1',
        }
      }
      for (const symbol of WATCHLIST) {
        const base = symbol === 'BTC-PERP' ? 100 : 50
        await broker.onCandle(candle(symbol, base + 0.1, base + 0.2, base - 0.1, base))
        await broker.onCandle(candle(symbol, base, base * 1.05, base * 0.99, base * 1.04))
        await broker.onCandle(candle(symbol, base * 1.04, base * 1.05, base * 0.9, base * 0.95))
      }
      expect(await broker.getPositions()).toEqual([])
      const executed = await h.store.tradeIdeas.list(user.id, { statuses: ['executed'], limit: 10_000 })
      expect(executed.length).toBe(expected.auto_executed)
      const trades = await h.store.trades.all(user.id)
      expect(trades.length).toBe(expected.auto_executed)
      expect(new Set(trades.map((t) => t.exitReason))).toEqual(new Set(['take_profit', 'stop_loss']))

      // Recompute every trade from its prices, independently of the broker's arithmetic.
      let expectedEquity = new Decimal('10000')
      for (const t of trades) {
        const sign = t.direction === 'long' ? 1 : -1
        const pnl = new Decimal(t.exitPrice).minus(t.entryPrice).times(t.quantity).times(sign)
        const fees = new Decimal(t.entryPrice)
          .times(t.quantity)
          .times('0.0004')
          .toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN)
          .plus(new Decimal(t.exitPrice).times(t.quantity).times('0.0004').toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN))
        expect(new Decimal(t.realizedPnl).toFixed(2)).toBe(pnl.toFixed(2))
        expect(new Decimal(t.fees).toFixed(2)).toBe(fees.toFixed(2))
        expectedEquity = expectedEquity.plus(pnl.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN)).minus(fees)
      }
      const account = await service.book.account(user.id)
      expect(account.startingBalance).toBe('10000')
      expect(new Decimal(account.equity).toFixed(2)).toBe(expectedEquity.toFixed(2))
      expect(account.openPositions).toBe(0)
      const filled = await h.store.decisions.query(user.id, { actions: ['order_filled'] }, { limit: 5000 })
      expect(filled.rows.length).toBe(expected.auto_executed)
    })

    it('executes once when the same idea is approved twice at the same moment', async () => {
      const { service } = paperTrading(h.store, user.id)
      const waiting = (await h.store.tradeIdeas.list(user.id, { statuses: ['needs_approval'], limit: 1 }))[0]!
      const [a, b] = await Promise.all([
        service.approve(user.id, waiting.id, 'first'),
        service.approve(user.id, waiting.id, 'second'),
      ])
      expect(a.id).toBe(b.id)
      expect(await h.store.orders.list(user.id, { tradeIdeaId: waiting.id })).toHaveLength(1)
      expect(
        (await service.history(user.id, waiting.id)).filter((row) => row.action === 'human_approved'),
      ).toHaveLength(1)
      await expect(service.reject(user.id, waiting.id)).rejects.toThrow(
        /it is approved, and reject is only possible from needs_approval/,
      )
    })

    it('refuses approvals while halted, and resumes only through a person', async () => {
      const { service } = paperTrading(h.store, user.id)
      const waiting = (await h.store.tradeIdeas.list(user.id, { statuses: ['needs_approval'], limit: 1 }))[0]!
      await service.risk.halt(user.id, 'Flash crash, standing aside')
      const refused = await service.approve(user.id, waiting.id).catch((error: unknown) => error)
      expect(refused).toBeInstanceOf(TradingError)
      expect((refused as TradingError).reason).toBe('refused_by_risk')
      expect((refused as TradingError).message).toContain('Flash crash, standing aside')
      expect((await h.store.tradeIdeas.get(user.id, waiting.id))?.status).toBe('needs_approval')
      const resumed = await service.risk.resume(user.id, 'Volatility normal again')
      expect(resumed.halted).toBe(false)
      const actions = (await h.store.decisions.query(user.id, { actions: ['ai_halted', 'ai_resumed'] })).rows.map(
        (row) => [row.action, row.actor],
      )
      expect(actions.slice(0, 2)).toEqual([
        ['ai_resumed', `human:${user.id}`],
        ['ai_halted', `human:${user.id}`],
      ])
      await expect(service.risk.resume(user.id, 'again')).rejects.toThrow('Trading is not halted.')
    })

    it('keeps an approval when the broker fails, and lets the trader retry', async () => {
      let failures = 1
      const flaky: Broker = {
        name: 'paper',
        environment: 'paper',
        async placeOrder() {
          if (failures-- > 0) throw new BrokerError('The exchange is unreachable (connection reset).')
        },
        cancelOrder: async () => false,
        getPositions: async () => [],
        getBalance: async () => '0',
        onFill: () => () => {},
        lastPrice: () => null,
        closePosition: async () => {},
      }
      const service = new TradingService(h.store, { brokerFor: () => flaky })
      const waiting = (await h.store.tradeIdeas.list(user.id, { statuses: ['needs_approval'], limit: 1 }))[0]!
      const failed = await service.approve(user.id, waiting.id, 'go')
      expect(failed).toMatchObject({
        status: 'failed',
        decisionNote: 'The exchange is unreachable (connection reset).',
      })
      expect((await service.history(user.id, waiting.id)).map((row) => row.action)).toEqual([
        'ai_proposed',
        'human_approved',
        'order_failed',
      ])
      const retried = await service.retry(user.id, waiting.id)
      expect(retried.status).toBe('approved')
      expect((await h.store.orders.list(user.id, { tradeIdeaId: waiting.id })).map((o) => o.status)).toEqual([
        'failed',
        'pending',
      ])
      await expect(service.retry(user.id, waiting.id)).rejects.toThrow(
        /it is approved, and retry is only possible from failed/,
      )
    })

    it('counts a protected trade once: its resting stop and target are neither open trades nor the day’s notional', async () => {
      const other = await h.store.users.create({ displayName: 'Protected desk' })
      const venue = { broker: 'deribit', environment: 'testnet' as const, symbol: 'BTC_USDC-PERPETUAL' }
      const position = await h.store.positions.open(other.id, {
        ...venue,
        strategyId: null,
        direction: 'long',
        quantity: '0.01',
        averagePrice: '60000',
        stopLoss: '59000',
        takeProfit: '62000',
        openedAt: new Date().toISOString(),
      })
      const entry = await h.store.orders.create(other.id, {
        ...venue,
        side: 'buy',
        quantity: '0.01',
        limitPrice: '60000',
      })
      await h.store.orders.setStatus(other.id, entry.id, 'filled')
      for (const [reason, price] of [
        ['stop_loss', '59000'],
        ['take_profit', '62000'],
      ] as const) {
        const protective = await h.store.orders.create(other.id, {
          ...venue,
          side: 'sell',
          quantity: '0.01',
          limitPrice: price,
          metadata: { closes: position.id, reason, native: true, triggerPrice: price },
        })
        await h.store.orders.setStatus(other.id, protective.id, 'open')
      }
      const { service } = paperTrading(h.store, other.id)
      const state = await h.store.transaction((tx) => service.riskStateWithin(tx, other.id))
      expect(state.exposure).toHaveLength(1)
      expect(state.orderedNotionalToday.toString()).toBe('600')
    })

    it('refuses to retry a failed idea once its time to decide has passed, sending nothing', async () => {
      let clock = Date.parse('2026-12-05T10:00:00Z')
      const failing: Broker = {
        name: 'paper',
        environment: 'paper',
        async placeOrder() {
          throw new BrokerError('The exchange refused the order: insufficient margin. Nothing was placed.')
        },
        cancelOrder: async () => false,
        getPositions: async () => [],
        getBalance: async () => '0',
        onFill: () => () => {},
        lastPrice: () => null,
        closePosition: async () => {},
      }
      const service = new TradingService(h.store, { brokerFor: () => failing, now: () => new Date(clock) })
      const { idea } = await service.propose(user.id, {
        symbol: 'ADA-PERP',
        direction: 'long',
        entryPrice: '1',
        stopLoss: '0.9',
        takeProfit: '1.2',
        size: '1',
        confidence: 0.3,
        rationale: 'valid for one minute',
        expiresAt: new Date(clock + 60_000).toISOString(),
      })
      expect((await service.approve(user.id, idea.id)).status).toBe('failed')
      clock += 120_000
      await expect(service.retry(user.id, idea.id)).rejects.toMatchObject({
        reason: 'expired',
        message: expect.stringContaining('a retry would trade a moment that has passed. Nothing was sent.'),
      })
      expect((await h.store.orders.list(user.id, { tradeIdeaId: idea.id })).map((order) => order.status)).toEqual([
        'failed',
      ])
    })

    it('executes through the broker of the proposing strategy instance, and keeps the approval when none exists', async () => {
      const live = await h.store.strategies.create(user.id, {
        strategyName: 'ema_cross',
        instrument: 'BTC-PERP',
        broker: 'deribit',
        environment: 'live',
      })
      const { service } = paperTrading(h.store, user.id)
      const { idea } = await service.propose(user.id, {
        strategyId: live.id,
        symbol: 'DOGE-PERP',
        direction: 'long',
        entryPrice: '10',
        stopLoss: '9',
        takeProfit: '12',
        size: '1',
        confidence: 0.9,
        rationale: 'live venue',
      })
      const failed = await service.approve(user.id, idea.id)
      expect(failed.status).toBe('failed')
      expect(failed.decisionNote).toContain('No adapter for deribit (live) is installed')
      expect((await h.store.orders.list(user.id, { tradeIdeaId: idea.id }))[0]).toMatchObject({
        broker: 'deribit',
        environment: 'live',
        status: 'failed',
      })
    })

    it('halts by itself when the daily target is reached, and records why', async () => {
      const other = await h.store.users.create({ displayName: 'Target desk' })
      await h.store.riskConfig.update(other.id, {
        aiTradingEnabled: true,
        minConfidenceThreshold: 0.5,
        dailyProfitTarget: '100',
        stopAfterTarget: true,
        watchlist: ['BTC-PERP'],
      })
      const now = new Date()
      await h.store.trades.record(other.id, {
        strategyId: null,
        positionId: null,
        tradeIdeaId: null,
        broker: 'paper',
        symbol: 'BTC-PERP',
        direction: 'long',
        quantity: '1',
        entryPrice: '100',
        exitPrice: '250',
        realizedPnl: '150',
        fees: '0',
        exitReason: 'take_profit',
        openedAt: now.toISOString(),
        closedAt: now.toISOString(),
      })
      const { service } = paperTrading(h.store, other.id)
      const result = await service.propose(other.id, {
        symbol: 'BTC-PERP',
        direction: 'long',
        entryPrice: '100',
        stopLoss: '95',
        takeProfit: '110',
        size: '1',
        confidence: 0.9,
        rationale: 'after target',
      })
      expect(result.idea.status).toBe('halted_by_risk')
      expect(result.decision.reasons.map((r) => r.code)).toEqual(['daily_target_reached'])
      expect(await h.store.riskConfig.get(other.id)).toMatchObject({
        halted: true,
        lastHaltReason: expect.stringContaining('daily target of 100'),
      })
      expect((await service.history(other.id, result.idea.id)).map((row) => row.action)).toEqual([
        'ai_proposed',
        'risk_rejected',
        'ai_halted',
      ])
      expect((await h.store.riskConfig.get(user.id))?.halted).toBe(false)
    })

    it('expires ideas past their expiry and refuses to approve them', async () => {
      let clock = Date.UTC(2026, 10, 23, 9, 0, 0)
      const { service } = paperTrading(h.store, user.id, { now: () => new Date(clock) })
      const idea = (
        await service.propose(user.id, {
          symbol: 'DOGE-PERP',
          direction: 'long',
          entryPrice: '10',
          stopLoss: '9',
          takeProfit: '12',
          size: '1',
          confidence: 0.9,
          rationale: 'off watchlist',
          expiresAt: new Date(clock + 60_000).toISOString(),
        })
      ).idea
      expect(idea.status).toBe('needs_approval')
      clock += 120_000
      await expect(service.approve(user.id, idea.id)).rejects.toThrow(/expired/)
      expect((await h.store.tradeIdeas.get(user.id, idea.id))?.status).toBe('expired')
      expect((await service.history(user.id, idea.id)).map((row) => row.action)).toEqual([
        'ai_proposed',
        'idea_expired',
      ])
      const later = (
        await service.propose(user.id, {
          symbol: 'DOGE-PERP',
          direction: 'short',
          entryPrice: '10',
          stopLoss: '11',
          takeProfit: '8',
          size: '1',
          confidence: 0.9,
          rationale: 'off watchlist',
          expiresAt: new Date(clock + 1_000).toISOString(),
        })
      ).idea
      clock += 10_000
      expect(await service.expireDue(user.id)).toBe(1)
      expect((await h.store.tradeIdeas.get(user.id, later.id))?.status).toBe('expired')
    })
  })
}

simulation('SQLite', sqliteStore)
simulation('PostgreSQL', postgresStore)
