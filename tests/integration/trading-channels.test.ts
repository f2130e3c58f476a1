import { sourceWorkerEntry } from '../helpers/strategy-worker'
import { existsSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../src/main/core/wiring/app'
import { dispatch } from '../../src/main/core/wiring/dispatch'
import { makeTempDir } from '../helpers/temp-dir'

describe('trading channels through the contract', () => {
  const dir = makeTempDir()
  let core: Core
  const events: [string, unknown][] = []
  const call = (channel: string, input: unknown = {}) => dispatch(core.handlers, channel, input)

  beforeAll(async () => {
    core = openCore({
      dataDir: dir.path,
      host: 'browser',
      appVersion: 'test',
      strategies: { worker: sourceWorkerEntry },
      expiryCheckMs: 50,
      snapshotEveryMs: 50,
    })
    core.events.subscribe((event, payload) => events.push([event, payload]))
    await core.start()
  })
  afterAll(() => {
    core.close()
    dir.remove()
  })

  it('validates risk config changes, changes nothing on bad input, and audits good ones', async () => {
    const before = await call('risk:get')
    expect(before).toMatchObject({ ok: true, value: { aiTradingEnabled: false, minConfidenceThreshold: 0.8 } })
    const bad = await call('risk:update', {
      patch: { minConfidenceThreshold: 1.5, dayBoundaryTimezone: 'Mars/Olympus' },
    })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    if (bad.ok) return
    expect(bad.error.issues?.map((issue) => issue.message)).toEqual(
      expect.arrayContaining(['must be between 0 and 1', 'must be an IANA time zone such as Europe/Amsterdam']),
    )
    expect(await call('risk:get')).toEqual(before)
    expect(await call('risk:update', { patch: {} })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('change at least one setting') },
    })
    const good = await call('risk:update', {
      patch: { minConfidenceThreshold: 0.65, watchlist: ['BTC-PERP'], dayBoundaryTimezone: 'Europe/Amsterdam' },
    })
    expect(good).toMatchObject({ ok: true, value: { minConfidenceThreshold: 0.65, watchlist: ['BTC-PERP'] } })
    const profileId = core.context.profileId as string
    const [audit] = await core.context.store.auditLog.list(profileId)
    expect(audit).toMatchObject({
      subject: 'risk_config',
      actor: `human:${profileId}`,
      details: { minConfidenceThreshold: { from: 0.8, to: 0.65 } },
    })
  })

  it('names where each idea trades, reads the last price of its market, and lists withdrawn ideas with their reasons', async () => {
    const profileId = core.context.profileId as string
    const store = core.context.store
    const { service } = core.services.trading.for(profileId)
    const live = await store.strategies.create(profileId, {
      strategyName: 'ema_crossover',
      instrument: 'BTC-PERPETUAL',
      broker: 'deribit',
      environment: 'live',
      config: {},
    })
    await store.marketSnapshots.insertMany(
      ['100', '101.5'].map((close, i) => ({
        symbol: 'BTC-PERPETUAL',
        timeframe: '1m',
        ts: new Date(Date.UTC(2026, 11, 5, 9, i)).toISOString(),
        open: close,
        high: close,
        low: close,
        close,
        volume: '1',
      })),
    )
    const [snapshotId] = [
      ...(
        await store.marketSnapshots.idsAt([
          {
            symbol: 'BTC-PERPETUAL',
            timeframe: '1m',
            timestamps: [new Date(Date.UTC(2026, 11, 5, 9, 0)).toISOString()],
          },
        ])
      ).values(),
    ]
    const { idea } = await service.propose(profileId, {
      strategyId: live.id,
      snapshotId,
      symbol: 'BTC-PERPETUAL',
      direction: 'long',
      entryPrice: '100',
      stopLoss: '95',
      takeProfit: '110',
      size: '0.5',
      confidence: 0.9,
      rationale: 'live breakout',
    })
    expect(await call('ideas:get', { id: idea.id })).toMatchObject({
      ok: true,
      value: { venue: { broker: 'deribit', environment: 'live', label: 'Deribit' } },
    })
    expect(await call('ideas:marks', { ids: [idea.id] })).toEqual({
      ok: true,
      value: [{ id: idea.id, price: '101.5', at: new Date(Date.UTC(2026, 11, 5, 9, 1)).toISOString() }],
    })
    expect(await call('ideas:marks', { ids: ['not an id'] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })

    const { idea: paper } = await service.propose(profileId, {
      symbol: 'ETH-PERP',
      direction: 'short',
      entryPrice: '3000',
      stopLoss: '3100',
      takeProfit: '2800',
      size: '1',
      confidence: 0.6,
      rationale: 'fade',
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    })
    expect(await call('ideas:get', { id: paper.id })).toMatchObject({
      ok: true,
      value: { venue: { environment: 'paper', label: 'Paper' } },
    })
    await expect
      .poll(async () =>
        ((await call('ideas:withdrawn', {})) as { ok: true; value: { id: string }[] }).value.map((row) => row.id),
      )
      .toContain(paper.id)
    const withdrawn = (await call('ideas:withdrawn', { limit: 1 })) as {
      ok: true
      value: { id: string; status: string; decisionNote: string }[]
    }
    expect(withdrawn.value).toEqual([
      expect.objectContaining({
        id: paper.id,
        status: 'expired',
        decisionNote: expect.stringMatching(/^Its time to decide ran out at \d\d:\d\d:\d\d UTC\.$/),
      }),
    ])
    expect(await call('ideas:reject', { id: idea.id, note: null })).toMatchObject({ ok: true })
  })

  it('lists, shows and approves ideas once, and reports refusals in plain words', async () => {
    const profileId = core.context.profileId as string
    const { service } = core.services.trading.for(profileId)
    const { idea } = await service.propose(profileId, {
      symbol: 'BTC-PERP',
      direction: 'long',
      entryPrice: '100',
      stopLoss: '95',
      takeProfit: '110',
      size: '0.5',
      confidence: 0.9,
      rationale: 'breakout',
    })
    expect(idea.status).toBe('needs_approval')
    expect(await call('ideas:list', { statuses: ['needs_approval'] })).toMatchObject({
      ok: true,
      value: [{ id: idea.id }],
    })
    expect(await call('ideas:get', { id: idea.id })).toMatchObject({
      ok: true,
      value: { idea: { id: idea.id }, history: [{ action: 'ai_proposed' }] },
    })
    expect(await call('ideas:approve', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(await call('ideas:approve', { id: '0193a6b0-0000-7000-8000-000000000999' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })

    expect(await call('trading:halt', { reason: 'News in 5 minutes' })).toMatchObject({
      ok: true,
      value: { halted: true },
    })
    const refused = await call('ideas:approve', { id: idea.id })
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: expect.stringContaining('Trading is halted (News in 5 minutes)'),
        issues: [{ path: ['halted_by_risk'] }],
      },
    })
    expect(await call('trading:resume', { reason: 'ok' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    expect(await call('trading:resume', { reason: 'News is out' })).toMatchObject({
      ok: true,
      value: { halted: false },
    })

    const approved = await call('ideas:approve', { id: idea.id, note: 'looks right' })
    expect(approved).toMatchObject({ ok: true, value: { status: 'approved', decisionNote: 'looks right' } })
    expect(await call('ideas:approve', { id: idea.id })).toMatchObject({ ok: true, value: { status: 'approved' } })
    expect(await call('ideas:reject', { id: idea.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('it is approved') },
    })
    expect(events.map(([event]) => event)).toEqual(
      expect.arrayContaining(['trading:halted', 'trading:resumed', 'ideas:changed', 'account:changed']),
    )
  })

  it('expires waiting ideas in the background and tells the windows', async () => {
    const profileId = core.context.profileId as string
    const { service } = core.services.trading.for(profileId)
    const { idea } = await service.propose(profileId, {
      symbol: 'ETH-PERP',
      direction: 'short',
      entryPrice: '100',
      stopLoss: '105',
      takeProfit: '90',
      size: '0.5',
      confidence: 0.9,
      rationale: 'fading',
      expiresAt: new Date(Date.now() + 100).toISOString(),
    })
    expect(idea.status).toBe('needs_approval')
    await expect
      .poll(async () => (await core.context.store.tradeIdeas.get(profileId, idea.id))?.status, { timeout: 5000 })
      .toBe('expired')
    expect(events).toContainEqual(['ideas:changed', { ideaId: null }])
  })

  it('snapshots the account every tick while a strategy is active, and not otherwise', async () => {
    const profileId = core.context.profileId as string
    const since = new Date(Date.now() - 1000).toISOString()
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(await core.context.store.accountSnapshots.since(profileId, since)).toEqual([])
    const strategy = await core.context.store.strategies.create(profileId, {
      strategyName: 'ema_cross',
      instrument: 'BTC-PERP',
      environment: 'paper',
    })
    await core.context.store.strategies.update(profileId, strategy.id, { status: 'active' })
    await expect
      .poll(async () => (await core.context.store.accountSnapshots.since(profileId, since)).length, { timeout: 5000 })
      .toBeGreaterThan(1)
    await core.context.store.strategies.update(profileId, strategy.id, { status: 'stopped' })
  })

  it('summarises the account and queries and exports decision history', async () => {
    expect(await call('account:summary')).toMatchObject({
      ok: true,
      value: { startingBalance: '10000', equity: '10000', openPositions: 0 },
    })
    expect(
      await call('decisions:query', { filter: { from: '2026-02-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' } }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    const page = await call('decisions:query', {
      filter: { actions: ['human_approved', 'ai_halted', 'ai_resumed'] },
      limit: 10,
    })
    expect(page).toMatchObject({ ok: true, value: { nextCursor: null } })
    if (!page.ok) return
    expect((page.value as { rows: { action: string }[] }).rows.map((row) => row.action)).toEqual([
      'human_approved',
      'ai_resumed',
      'ai_halted',
    ])
    expect(await call('decisions:query', { cursor: 'garbage' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('cursor is not valid') },
    })
    const exported = await call('decisions:export', { filter: { symbol: 'BTC-PERP' } })
    expect(exported).toMatchObject({ ok: true, value: { rows: 2 } })
    if (!exported.ok) return
    const { path } = exported.value as { path: string }
    expect(existsSync(path)).toBe(true)
    expect(readFileSync(path, 'utf8').split('\r\n')[0]).toBe(
      'occurred_at,symbol,action,actor,confidence,rationale,strategy_id,trade_idea_id,order_id,snapshot_id,human_override,risk_check,id',
    )
  })
})
