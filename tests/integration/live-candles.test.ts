import { afterEach, describe, expect, it } from 'vitest'
import { entryClientOrderId } from '../../src/main/core/domains/exchanges/client-order-ids'
import { openCore, type Core } from '../../src/main/core/wiring/app'
import { followLiveCandles } from '../../src/main/core/domains/market-data/live-candles'
import type { Candle } from '../../src/main/core/platform/store/repositories/market-snapshots'
import type { StrategyLogEntry, StrategyView, TradeIdea } from '../../src/shared/domain'
import { callAs } from '../helpers/call-as'
import { LINEAR_BTC, standinBar } from '../helpers/deribit-standin'
import { useDeribitStandin } from '../helpers/use-deribit-standin'
import { useVenueStandin, type VenueStandin } from '../helpers/venue-standins'
import { sourceWorkerEntry } from '../helpers/strategy-worker'
import { kinds as testKinds, TEST_KINDS_MODULE } from '../helpers/test-kinds'
import { makeTempDir } from '../helpers/temp-dir'
import { standinKey } from '../helpers/standin-key'

const KEY = standinKey('live-candles-key-9', 'Live-candles-secret')
const MINUTE = 60_000

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let tries = 0; tries < 900; tries++) {
    const value = await read()
    if (done(value)) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await read())}`)
}

async function desk(cleanups: (() => void)[]): Promise<{ core: Core; user: string }> {
  const dir = makeTempDir()
  cleanups.push(() => dir.remove())
  const core = openCore({
    dataDir: dir.path,
    host: 'cli',
    appVersion: 'test',
    strategies: {
      worker: sourceWorkerEntry,
      extraKinds: testKinds,
      kindModules: [TEST_KINDS_MODULE],
      heartbeatMs: 200,
    },
  })
  cleanups.push(() => core.close())
  await core.start()
  return { core, user: core.context.profileId as string }
}

const call = <T>(core: Core, channel: string, input: unknown = {}) =>
  callAs<T>(core, core.context.profileId, channel, input)

describe('live candles from an exchange, against a local Deribit stand-in', () => {
  const standin = useDeribitStandin([
    { clientId: KEY.apiKey, clientSecret: KEY.secret, scope: 'account:read trade:read_write wallet:read' },
  ])
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  })

  it('after a dropped connection, fetches every missed candle, in order, before the next live one; the candle still forming is never sent', async () => {
    const lastClosed = Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE
    const after = lastClosed - 10 * MINUTE
    // The exchange answers nothing but 429s for a while: the feed is down, and ten candles close meanwhile.
    standin().rateLimitNext(3, 'public/get_tradingview_chart_data')
    const delivered: Candle[] = []
    const statuses: string[] = []
    const feed = followLiveCandles({
      exchange: 'deribit',
      environment: 'testnet',
      instrument: LINEAR_BTC,
      timeframe: '1m',
      after: new Date(after).toISOString(),
      history: 0,
      pollOnly: true,
      pollMs: 50,
      deliver: async (candles) => void delivered.push(...candles),
      onStatus: (event) => statuses.push(event.kind === 'lost' ? 'lost' : `restored after ${event.backfilled}`),
    })
    cleanups.push(() => feed.stop())
    await until(
      async () => statuses,
      (seen) => seen.some((status) => status.startsWith('restored')),
      'the feed to come back',
    )
    const expected = Math.round((Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE - after) / MINUTE)
    expect(statuses[0]).toBe('lost')
    expect(statuses[1]).toMatch(/^restored after (10|11)$/)
    expect(delivered.length).toBeGreaterThanOrEqual(expected - 1)
    // In order, one minute apart, starting right after the last one seen, each with the exchange's prices.
    expect(delivered.map((candle) => Date.parse(candle.ts))).toEqual(
      delivered.map((_, index) => after + (index + 1) * MINUTE),
    )
    expect(delivered.every((candle) => Date.parse(candle.ts) + MINUTE <= Date.now())).toBe(true)
    const first = standinBar(LINEAR_BTC, after + MINUTE, MINUTE)
    expect(delivered[0]).toMatchObject({
      symbol: LINEAR_BTC,
      timeframe: '1m',
      open: String(first.open),
      close: String(first.close),
    })
  })

  it('will not create or start a live instance until the exchange and the instrument are typed out', async () => {
    const { core } = await desk(cleanups)
    const live = {
      strategyName: 'test_steady',
      instrument: LINEAR_BTC,
      broker: 'deribit',
      environment: 'live',
      config: { timeframe: '1m' },
    }
    await expect(call(core, 'strategies:create', live)).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining(`Type "deribit ${LINEAR_BTC}" to confirm`),
    })
    await expect(
      call(core, 'strategies:create', { ...live, confirmation: 'deribit BTC-PERPETUAL' }),
    ).rejects.toMatchObject({ code: 'invalid_input' })
    const created = await call<StrategyView>(core, 'strategies:create', {
      ...live,
      confirmation: ` Deribit  ${LINEAR_BTC} `,
    })
    expect(created).toMatchObject({ broker: 'deribit', environment: 'live', status: 'stopped' })
    await expect(call(core, 'strategies:start', { id: created.id })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('real money'),
    })
    expect((await call<StrategyView[]>(core, 'strategies:list'))[0]!.status).toBe('stopped')
    // Confirmed, it needs every live limit first, named in words...
    await expect(
      call(core, 'strategies:start', { id: created.id, confirmation: `deribit ${LINEAR_BTC}` }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(
        /^Live trading needs limits first\. Set the most one order may be worth; .*the largest loss in a day; .*drawdown.* in Settings → Risk\. Nothing was started\.$/,
      ),
    })
    await call(core, 'risk:update', {
      patch: { maxOrderNotional: '5000', maxDailyNotional: '20000', maxDailyLoss: '300' },
    })
    await expect(
      call(core, 'strategies:start', { id: created.id, confirmation: `deribit ${LINEAR_BTC}` }),
    ).rejects.toMatchObject({ message: expect.stringContaining("Set the largest drawdown from the day's peak") })
    await call(core, 'risk:update', { patch: { maxDrawdownAmount: '400', haltOnDrawdown: true } })
    expect((await call<StrategyView[]>(core, 'strategies:list'))[0]!.status).toBe('stopped')
    // ...and a key for live before anything trades.
    await expect(
      call(core, 'strategies:start', { id: created.id, confirmation: `deribit ${LINEAR_BTC}` }),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('no Deribit live key') })
    await expect(
      call(core, 'strategies:create', { ...live, environment: 'testnet', config: { timeframe: '1s' } }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('no candles shorter than a minute'),
    })
  })
})

/**
 * Follows an exchange's candle stream: history first, then a drop mid-stream that is backfilled over
 * REST, then the next minute's candle from the stream itself, with no REST request for it.
 */
async function streamsAndBackfills(
  exchange: VenueStandin['exchange'],
  standin: () => VenueStandin,
  cleanups: (() => void)[],
): Promise<void> {
  const delivered: Candle[] = []
  const statuses: string[] = []
  const feed = followLiveCandles({
    exchange,
    environment: 'testnet',
    instrument: standin().instrument,
    timeframe: '1m',
    after: null,
    history: 5,
    deliver: async (candles) => void delivered.push(...candles),
    onStatus: (event) => statuses.push(event.kind),
  })
  cleanups.push(() => feed.stop())
  expect(feed.mode).toBe('stream')
  await until(
    async () => standin().calls.filter((call) => call === standin().routes.subscribe).length,
    (count) => count === 1,
    'the chart subscription',
  )
  expect(delivered.length).toBeGreaterThanOrEqual(5)

  standin().dropStreams()
  await until(
    async () => statuses,
    (seen) => seen.includes('restored'),
    'the stream to come back',
  )
  expect(statuses).toEqual(['lost', 'restored'])
  await until(
    async () => standin().calls.filter((call) => call === standin().routes.subscribe).length,
    (count) => count === 2,
    'the subscription again',
  )

  // The next minute's candle arrives over the stream, with no REST request for it.
  const restCalls = standin().calls.filter((call) => call === standin().routes.candles).length
  const seen = delivered.length
  await until(
    async () => delivered.length,
    (count) => count > seen,
    'the next candle from the stream',
  )
  expect(standin().calls.filter((call) => call === standin().routes.candles).length).toBe(restCalls)
  expect(delivered.map((candle) => Date.parse(candle.ts))).toEqual(
    delivered.map((_, index) => Date.parse(delivered[0]!.ts) + index * MINUTE),
  )
  const streamed = delivered.at(-1)!
  const bar = standin().bar(standin().instrument, Date.parse(streamed.ts), MINUTE)
  expect(streamed).toMatchObject({ open: String(bar.open), close: String(bar.close) })
  expect(Date.parse(streamed.ts) + MINUTE).toBeLessThanOrEqual(Date.now())
}

describe.each(['deribit', 'binance', 'binanceusdm', 'bybit'] as const)(
  'an instance on %s, against its local stand-in',
  (exchange) => {
    const standin = useVenueStandin(exchange, KEY)
    const cleanups: (() => void)[] = []
    afterEach(() => {
      for (const cleanup of cleanups.splice(0).reverse()) cleanup()
    })

    it('runs an instance on the exchange: reconciles first, warms up on its history, proposes on the live candle, and the approved idea is filled there', async () => {
      const { core, user } = await desk(cleanups)
      await call(core, 'exchanges:saveKey', {
        exchange,
        environment: 'testnet',
        apiKey: KEY.apiKey,
        secret: KEY.secret,
      })
      await call(core, 'risk:update', {
        patch: { aiTradingEnabled: false, watchlist: [standin().instrument], maxLotSize: '1' },
      })
      const instance = await call<StrategyView>(core, 'strategies:create', {
        strategyName: 'test_steady',
        instrument: standin().instrument,
        broker: exchange,
        environment: 'testnet',
        config: { every: 1, history: 30, timeframe: '1m', orderSize: '0.001', priceDecimals: 2 },
      })
      await call(core, 'strategies:start', { id: instance.id })

      const [idea] = await until(
        () => call<TradeIdea[]>(core, 'ideas:list', { statuses: ['needs_approval'] }),
        (ideas) => ideas.length > 0,
        'an idea from the live candle',
      )
      // History proposes nothing: the only idea is the last closed candle's.
      const proposed = await core.context.store.decisions.query(user, { actions: ['ai_proposed'] }, { limit: 10 })
      expect(proposed.rows).toHaveLength(1)
      const stored = await core.context.store.marketSnapshots.lastCandles(standin().instrument, '1m', 100)
      expect(stored.length).toBeGreaterThanOrEqual(30)
      expect(Number(idea!.entryPrice)).toBe(Number(stored.at(-1)!.close))
      const logs = await call<StrategyLogEntry[]>(core, 'strategies:logs', { id: instance.id })
      expect(logs.map((line) => line.message).join('\n')).toContain(
        `Reconciled with ${exchange} testnet: the desk and the exchange agree.`,
      )

      expect((await call<TradeIdea>(core, 'ideas:approve', { id: idea!.id })).status).toBe('executed')
      expect(
        standin()
          .orders()
          .filter((order) => order.clientOrderId === entryClientOrderId(idea!.id)),
      ).toMatchObject([{ state: 'filled', amount: 0.001 }])
      await call(core, 'strategies:stop', { id: instance.id })
    })
  },
)

// One minute's candle has to close during the test: the exchanges are followed side by side, so the wait is paid once.
describe('live candles over WebSocket (watchOHLCV) on every exchange at once, against their local stand-ins', () => {
  const standins = {
    deribit: useVenueStandin('deribit', KEY),
    binance: useVenueStandin('binance', KEY),
    binanceusdm: useVenueStandin('binanceusdm', KEY),
    bybit: useVenueStandin('bybit', KEY),
  }
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  })

  it('delivers a candle when the stream moves past it, and backfills a drop mid-stream over REST, on each exchange', async () => {
    await Promise.all(
      (Object.keys(standins) as (keyof typeof standins)[]).map((exchange) =>
        streamsAndBackfills(exchange, standins[exchange], cleanups),
      ),
    )
  }, 150_000)
})
