import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { User } from '../../src/main/core/platform/store/repositories/users'
import { postgresStore, sqliteStore, type StoreHarness } from '../helpers/store-harness'
import type { NewDecision } from '../../src/main/core/platform/store/repositories/decision-history'
import { actorGroupOf, type DecisionActorGroup } from '../../src/shared/domain'

function storeContract(name: string, open: () => Promise<StoreHarness>) {
  describe(`repositories on ${name}`, () => {
    let h: StoreHarness
    let alice: User
    let bob: User

    beforeAll(async () => {
      h = await open()
      alice = await h.store.users.ensureDefault()
      bob = await h.store.users.create({ displayName: 'Bob', email: 'bob@example.com' })
    })
    afterAll(async () => {
      await h.close()
    })

    it('creates one default local profile with safe risk defaults', async () => {
      expect(alice.displayName).toBe('Local profile')
      expect((await h.store.users.ensureDefault()).id).toBe(alice.id)
      expect(alice.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      const risk = await h.store.riskConfig.get(alice.id)
      expect(risk).toMatchObject({ aiTradingEnabled: false, halted: false, watchlist: [], dayBoundaryTimezone: 'UTC' })
      await expect(h.store.users.create({ displayName: 'Dup', email: 'bob@example.com' })).rejects.toThrow(/unique/i)
    })

    it('round-trips risk config booleans, decimals and JSON, per user', async () => {
      const updated = await h.store.riskConfig.update(alice.id, {
        aiTradingEnabled: true,
        maxLotSize: '0.25',
        dailyProfitTarget: '1500.75',
        watchlist: ['BTC-PERP', 'ETH-PERP'],
        minConfidenceThreshold: 0.7,
      })
      expect(updated).toMatchObject({
        aiTradingEnabled: true,
        maxLotSize: '0.25',
        dailyProfitTarget: '1500.75',
        watchlist: ['BTC-PERP', 'ETH-PERP'],
        minConfidenceThreshold: 0.7,
      })
      expect((await h.store.riskConfig.get(bob.id))?.aiTradingEnabled).toBe(false)
    })

    it('creates, reads, updates and deletes strategy instances, scoped by user', async () => {
      const created = await h.store.strategies.create(alice.id, {
        strategyName: 'ema_cross',
        instrument: 'BTC-PERP',
        environment: 'paper',
        config: { fast: 12, slow: 26, nested: { rsi: [30, 70] } },
      })
      expect(created).toMatchObject({
        broker: 'paper',
        status: 'stopped',
        autoReconnect: false,
        errorCount: 0,
        config: { fast: 12, slow: 26, nested: { rsi: [30, 70] } },
      })
      await expect(
        h.store.strategies.create(alice.id, {
          strategyName: 'ema_cross',
          instrument: 'BTC-PERP',
          environment: 'paper',
        }),
      ).rejects.toThrow(/unique/i)
      await h.raw("UPDATE strategies SET updated_at = '2000-01-01T00:00:00.000Z' WHERE id = ?", [created.id])
      const started = await h.store.strategies.update(alice.id, created.id, {
        status: 'active',
        autoReconnect: true,
        lastAction: 'start',
        connectedAt: '2026-11-22T10:00:00.000Z',
      })
      expect(started).toMatchObject({ status: 'active', autoReconnect: true, connectedAt: '2026-11-22T10:00:00.000Z' })
      expect(started?.updatedAt.startsWith('2000')).toBe(false)
      expect(
        (await h.store.strategies.list(alice.id, { status: 'active', autoReconnect: true })).map((s) => s.id),
      ).toEqual([created.id])

      // Bob cannot see, change or delete Alice's instance, even with its id.
      expect(await h.store.strategies.get(bob.id, created.id)).toBeNull()
      expect(await h.store.strategies.list(bob.id)).toEqual([])
      expect(await h.store.strategies.update(bob.id, created.id, { status: 'stopped' })).toBeNull()
      expect(await h.store.strategies.delete(bob.id, created.id)).toBe(false)
      expect((await h.store.strategies.get(alice.id, created.id))?.status).toBe('active')

      const spare = await h.store.strategies.create(alice.id, {
        strategyName: 'rsi_reversion',
        instrument: 'ETH-PERP',
        environment: 'testnet',
        broker: 'deribit',
      })
      expect(await h.store.strategies.delete(alice.id, spare.id)).toBe(true)
      expect(await h.store.strategies.get(alice.id, spare.id)).toBeNull()
    })

    it('stores trade ideas with exact decimals and decides each one once', async () => {
      const [strategy] = await h.store.strategies.list(alice.id)
      const idea = await h.store.tradeIdeas.create(alice.id, {
        strategyId: strategy?.id ?? null,
        symbol: 'BTC-PERP',
        direction: 'long',
        entryPrice: '67123.123456789012345678',
        stopLoss: '66000.5',
        takeProfit: '70000.25',
        size: '0.00000001',
        rationale: 'EMA 12 crossed above EMA 26 with RSI 55',
        confidence: 0.82,
        status: 'needs_approval',
      })
      expect(idea).toMatchObject({
        entryPrice: '67123.123456789012345678',
        size: '0.00000001',
        confidence: 0.82,
        status: 'needs_approval',
      })
      await expect(h.store.tradeIdeas.create(alice.id, { ...idea, entryPrice: '1e5' })).rejects.toThrow(/Not a decimal/)
      expect(
        await h.store.tradeIdeas.transition(bob.id, idea.id, { from: ['needs_approval'], to: 'approved' }),
      ).toBeNull()
      const approved = await h.store.tradeIdeas.transition(alice.id, idea.id, {
        from: ['needs_approval'],
        to: 'approved',
        decidedAt: '2026-11-22T10:05:00.000Z',
        decidedBy: `human:${alice.id}`,
        decisionNote: 'ok',
      })
      expect(approved).toMatchObject({ status: 'approved', decidedBy: `human:${alice.id}`, decisionNote: 'ok' })
      expect(
        await h.store.tradeIdeas.transition(alice.id, idea.id, { from: ['needs_approval'], to: 'rejected' }),
      ).toBeNull()
      expect((await h.store.tradeIdeas.list(alice.id, { statuses: ['approved'] })).map((i) => i.id)).toEqual([idea.id])
      expect(await h.store.tradeIdeas.list(bob.id)).toEqual([])
    })

    it('commits a state change and its decision together, or neither', async () => {
      const [strategy] = await h.store.strategies.list(alice.id)
      const before = (await h.store.decisions.query(alice.id)).rows.length
      await expect(
        h.store.transaction(async (tx) => {
          await tx.strategies.update(alice.id, strategy!.id, { status: 'error', errorMessage: 'boom' })
          await tx.decisions.append(alice.id, {
            action: 'strategy_error',
            actor: 'system',
            strategyId: strategy!.id,
            rationale: 'boom',
          })
          throw new Error('crash before commit')
        }),
      ).rejects.toThrow('crash before commit')
      expect((await h.store.strategies.get(alice.id, strategy!.id))?.status).toBe('active')
      expect((await h.store.decisions.query(alice.id)).rows.length).toBe(before)
      await h.store.transaction(async (tx) => {
        await tx.strategies.update(alice.id, strategy!.id, { status: 'stopped', autoReconnect: false })
        await tx.decisions.append(alice.id, {
          action: 'strategy_stopped',
          actor: `human:${alice.id}`,
          strategyId: strategy!.id,
        })
      })
      expect((await h.store.strategies.get(alice.id, strategy!.id))?.status).toBe('stopped')
      expect((await h.store.decisions.query(alice.id, { actions: ['strategy_stopped'] })).rows).toHaveLength(1)
    })

    it('filters decision history and pages it by keyset, stable at equal timestamps', async () => {
      const at = '2026-11-20T12:00:00.000Z'
      for (let i = 0; i < 25; i++) {
        await h.store.decisions.append(alice.id, {
          action: i % 2 ? 'human_rejected' : 'ai_proposed',
          actor: i % 2 ? `human:${alice.id}` : 'ai',
          symbol: i % 3 ? 'ETH-PERP' : 'SOL-PERP',
          occurredAt: at,
          rationale: `batch ${i} 100% sure_thing`,
          confidence: 0.5,
          riskCheck: { route: 'needs_approval', reasons: ['below_threshold'] },
        })
      }
      await h.store.decisions.append(bob.id, {
        action: 'ai_proposed',
        actor: 'ai',
        symbol: 'SOL-PERP',
        occurredAt: at,
        rationale: 'bob batch',
      })
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const page = await h.store.decisions.query(
          alice.id,
          { from: at, to: '2026-11-20T12:00:00.001Z' },
          { cursor, limit: 10 },
        )
        seen.push(...page.rows.map((row) => row.id))
        cursor = page.nextCursor
      } while (cursor)
      expect(seen).toHaveLength(25)
      expect(new Set(seen).size).toBe(25)
      expect(seen).toEqual([...seen].sort().reverse())

      const sol = await h.store.decisions.query(
        alice.id,
        { symbol: 'SOL-PERP', actions: ['ai_proposed'], actor: 'strategy' },
        { limit: 100 },
      )
      expect(sol.rows.length).toBe(5)
      // The symbol is matched whatever case the trader typed it in.
      for (const typed of ['sol-perp', 'Sol-Perp'])
        expect((await h.store.decisions.query(alice.id, { symbol: typed, actions: ['ai_proposed'] })).rows).toEqual(
          sol.rows,
        )
      expect(
        sol.rows.every((row) => row.symbol === 'SOL-PERP' && row.action === 'ai_proposed' && row.userId === alice.id),
      ).toBe(true)
      expect(sol.rows[0]?.riskCheck).toEqual({ route: 'needs_approval', reasons: ['below_threshold'] })
      expect((await h.store.decisions.query(alice.id, { text: '100%' })).rows).toHaveLength(25)
      expect((await h.store.decisions.query(alice.id, { text: 'BATCH 1' })).rows.length).toBe(11)
      expect((await h.store.decisions.query(alice.id, { text: 'b_tch' })).rows).toHaveLength(0)
      expect((await h.store.decisions.query(alice.id, { text: 'e_t' })).rows).toHaveLength(25)
      expect((await h.store.decisions.query(alice.id, { text: 'bob' })).rows).toHaveLength(0)
      const bobRow = (await h.store.decisions.query(bob.id)).rows[0]
      expect(await h.store.decisions.get(alice.id, bobRow!.id)).toBeNull()
      await expect(h.store.decisions.query(alice.id, {}, { cursor: 'not-a-cursor' })).rejects.toThrow(
        /cursor is not valid/,
      )
    })

    it('filters by who the table says acted: a person, a strategy, the risk engine, an import, a reconciliation or Tradedeck', async () => {
      const at = '2026-11-21T12:00:00.000Z'
      const written: [DecisionActorGroup, NewDecision][] = [
        ['person', { action: 'human_approved', actor: `human:${alice.id}`, rationale: 'approved' }],
        ['import', { action: 'imported', actor: `human:${alice.id}`, rationale: 'imported 3 trades' }],
        ['strategy', { action: 'ai_proposed', actor: 'ai', rationale: 'proposed' }],
        ['risk engine', { action: 'risk_rejected', actor: 'risk', rationale: 'too large' }],
        ['reconciliation', { action: 'reconciled', actor: 'system', rationale: 'resized' }],
        ['Tradedeck', { action: 'protection_changed', actor: 'system', rationale: 'stop placed again' }],
      ]
      for (const [, decision] of written) await h.store.decisions.append(alice.id, { ...decision, occurredAt: at })
      for (const [group, decision] of written) {
        const rows = (
          await h.store.decisions.query(alice.id, { actor: group, from: at, to: '2026-11-21T12:00:00.001Z' })
        ).rows
        expect(
          rows.map((row) => row.rationale),
          group,
        ).toEqual([decision.rationale])
        expect(actorGroupOf(rows[0]!)).toBe(group)
      }
    })

    it('refuses to change decision history', async () => {
      await expect(h.raw("UPDATE decision_history SET rationale = 'x'")).rejects.toThrow(/append-only/)
      await expect(h.raw('DELETE FROM decision_history')).rejects.toThrow(/append-only/)
    })

    it('streams decision history as CSV with safe quoting', async () => {
      await h.store.decisions.append(alice.id, {
        action: 'human_approved',
        actor: `human:${alice.id}`,
        symbol: 'BTC-PERP',
        rationale: '=HYPERLINK("x"), with "quotes"\nand a newline',
        occurredAt: '2026-11-21T00:00:00.000Z',
      })
      const out = new PassThrough()
      const chunks: Buffer[] = []
      out.on('data', (chunk: Buffer) => chunks.push(chunk))
      const count = await h.store.decisions.exportCsv(alice.id, { symbol: 'BTC-PERP' }, out, 7)
      out.end()
      const text = Buffer.concat(chunks).toString('utf8')
      expect(text.startsWith('occurred_at,symbol,action,actor,confidence,rationale,')).toBe(true)
      expect(count).toBe((await h.store.decisions.query(alice.id, { symbol: 'BTC-PERP' }, { limit: 1000 })).rows.length)
      expect(text).toContain(`"'=HYPERLINK(""x""), with ""quotes""\nand a newline"`)
    })

    it('ingests candles once per (symbol, timeframe, ts) and reads a range', async () => {
      const candles = Array.from({ length: 1200 }, (_, i) => ({
        symbol: 'BTC-PERP',
        timeframe: '1m',
        ts: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
        open: '100.5',
        high: '101',
        low: '99.25',
        close: `100.${i}`,
        volume: '12.000001',
      }))
      expect(await h.store.marketSnapshots.insertMany(candles)).toBe(1200)
      expect(await h.store.marketSnapshots.insertMany(candles.slice(0, 10))).toBe(0)
      const range = await h.store.marketSnapshots.range('BTC-PERP', '1m', candles[10]!.ts, candles[20]!.ts)
      expect(range.map((c) => c.close)).toEqual(candles.slice(10, 20).map((c) => c.close))
      expect(range[0]).toMatchObject({ volume: '12.000001', low: '99.25' })
    })

    it('records orders, fills, positions and trades per user', async () => {
      const order = await h.store.orders.create(alice.id, {
        broker: 'paper',
        environment: 'paper',
        symbol: 'BTC-PERP',
        side: 'buy',
        quantity: '0.5',
        metadata: { reason: 'test' },
      })
      expect(order).toMatchObject({ status: 'pending', type: 'market', quantity: '0.5', metadata: { reason: 'test' } })
      expect(await h.store.orders.get(bob.id, order.id)).toBeNull()
      expect(await h.store.orders.setStatus(bob.id, order.id, 'cancelled')).toBeNull()
      expect((await h.store.orders.get(alice.id, order.id))?.status).toBe('pending')
      await h.store.orders.addFill(alice.id, {
        orderId: order.id,
        broker: 'paper',
        symbol: 'BTC-PERP',
        side: 'buy',
        quantity: '0.5',
        price: '67000.25',
        fee: '16.750063',
        filledAt: '2026-11-22T10:00:00.000Z',
      })
      expect((await h.store.orders.setStatus(alice.id, order.id, 'filled'))?.status).toBe('filled')
      expect((await h.store.orders.fills(alice.id, order.id)).map((f) => [f.price, f.fee])).toEqual([
        ['67000.25', '16.750063'],
      ])
      expect(await h.store.orders.fills(bob.id, order.id)).toEqual([])

      const position = await h.store.positions.open(alice.id, {
        strategyId: null,
        broker: 'paper',
        environment: 'paper',
        symbol: 'BTC-PERP',
        direction: 'long',
        quantity: '0.5',
        averagePrice: '67000.25',
        stopLoss: '66000',
        takeProfit: '69000',
        openedAt: '2026-11-22T10:00:00.000Z',
      })
      expect((await h.store.positions.listOpen(alice.id)).map((p) => p.id)).toContain(position.id)
      expect(await h.store.positions.listOpen(bob.id)).toEqual([])
      expect(await h.store.positions.close(bob.id, position.id, '2026-11-22T11:00:00.000Z')).toBe(false)
      expect(await h.store.positions.close(alice.id, position.id, '2026-11-22T11:00:00.000Z')).toBe(true)
      expect(await h.store.positions.close(alice.id, position.id, '2026-11-22T11:00:00.000Z')).toBe(false)

      const trade = await h.store.trades.record(alice.id, {
        strategyId: null,
        positionId: position.id,
        tradeIdeaId: null,
        broker: 'paper',
        symbol: 'BTC-PERP',
        direction: 'long',
        quantity: '0.5',
        entryPrice: '67000.25',
        exitPrice: '69000',
        realizedPnl: '999.875',
        fees: '34.000063',
        exitReason: 'take_profit',
        openedAt: '2026-11-22T10:00:00.000Z',
        closedAt: '2026-11-22T11:00:00.000Z',
      })
      expect(
        (await h.store.trades.closedBetween(alice.id, '2026-11-22T00:00:00.000Z', '2026-11-23T00:00:00.000Z')).map(
          (t) => [t.id, t.realizedPnl, t.fees],
        ),
      ).toEqual([[trade.id, '999.875', '34.000063']])
      expect(await h.store.trades.all(bob.id)).toEqual([])
    })

    it('keeps account snapshots, notifications, credentials and audit entries per user', async () => {
      await h.store.accountSnapshots.record(alice.id, {
        broker: 'paper',
        environment: 'paper',
        balance: '10000',
        equity: '10012.5',
        marginUsed: '0',
        marginFree: '10012.5',
        openPl: '12.5',
        openPositions: 1,
        capturedAt: '2026-11-22T00:00:00.000Z',
      })
      expect(
        (await h.store.accountSnapshots.since(alice.id, '2026-11-21T00:00:00.000Z')).map((s) => [
          s.equity,
          s.marginFree,
        ]),
      ).toEqual([['10012.5', '10012.5']])
      expect(await h.store.accountSnapshots.since(bob.id, '2026-01-01T00:00:00.000Z')).toEqual([])
      // The peak ranks by value, not by text ('9500' sorts after '10012.5' as text).
      await h.store.accountSnapshots.record(alice.id, {
        broker: 'paper',
        environment: 'paper',
        balance: '9500',
        equity: '9500',
        marginUsed: '0',
        marginFree: '9500',
        openPl: '0',
        openPositions: 0,
        capturedAt: '2026-11-22T01:00:00.000Z',
      })
      expect(await h.store.accountSnapshots.peakEquitySince(alice.id, '2026-11-21T00:00:00.000Z')).toBe('10012.5')
      expect(await h.store.accountSnapshots.peakEquitySince(alice.id, '2026-11-22T00:30:00.000Z')).toBe('9500')
      expect(await h.store.accountSnapshots.peakEquitySince(bob.id, '2026-01-01T00:00:00.000Z')).toBeNull()

      const note = await h.store.notifications.create(alice.id, { level: 'warning', title: 'Heartbeat stale' })
      expect(await h.store.notifications.markRead(bob.id, note.id)).toBe(false)
      expect((await h.store.notifications.unread(alice.id)).map((n) => n.id)).toEqual([note.id])
      expect(await h.store.notifications.markRead(alice.id, note.id)).toBe(true)
      expect(await h.store.notifications.unread(alice.id)).toEqual([])

      const secret = Buffer.from([0, 1, 2, 250, 255])
      const credential = await h.store.credentials.save(alice.id, {
        broker: 'deribit',
        environment: 'testnet',
        label: 'main',
        secretCiphertext: secret,
      })
      expect(credential).not.toHaveProperty('secretCiphertext')
      expect(await h.store.credentials.ciphertext(alice.id, credential.id)).toEqual(secret)
      expect(await h.store.credentials.ciphertext(bob.id, credential.id)).toBeNull()
      expect(await h.store.credentials.list(bob.id)).toEqual([])
      expect(await h.store.credentials.delete(bob.id, credential.id)).toBe(false)

      await h.store.auditLog.record({
        userId: alice.id,
        actor: `human:${alice.id}`,
        subject: 'risk_config',
        action: 'update',
        details: { aiTradingEnabled: true },
      })
      await h.store.auditLog.record({
        userId: null,
        actor: 'system',
        subject: 'backup',
        action: 'create',
        details: { reason: 'manual' },
      })
      await h.store.auditLog.record({
        userId: bob.id,
        actor: `human:${bob.id}`,
        subject: 'settings',
        action: 'update',
        details: {},
      })
      expect((await h.store.auditLog.list(alice.id)).map((e) => e.subject).sort()).toEqual(['backup', 'risk_config'])

      await h.store.settings.set('theme', { mode: 'dark' })
      await h.store.settings.set('theme', { mode: 'darker' })
      expect(await h.store.settings.get('theme')).toEqual({ mode: 'darker' })
      expect(await h.store.settings.get('missing')).toBeNull()
    })
  })
}

storeContract('SQLite', sqliteStore)
storeContract('PostgreSQL', postgresStore)
