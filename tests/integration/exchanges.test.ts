import { readdirSync, readFileSync } from 'node:fs'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../src/main/core/wiring/app'
import { backupDirFor } from '../../src/main/core/platform/backups/sqlite-backup'
import type { CandleDownloadResult, ExchangeKeyTest, ExchangeKeyView } from '../../src/shared/domain'
import { callAs } from '../helpers/call-as'
import { openTestDesk } from '../helpers/exchange-desk'
import { standinBar } from '../helpers/deribit-standin'
import { useDeribitStandin } from '../helpers/use-deribit-standin'
import { startBinanceFuturesStandin, type BinanceFuturesStandin } from '../helpers/binance-futures-standin'
import { startBinanceSpotStandin, type BinanceSpotStandin } from '../helpers/binance-spot-standin'
import { startBybitStandin, type BybitStandin } from '../helpers/bybit-standin'
import { standinKey } from '../helpers/standin-key'

const run = promisify(execFile)
const BIN = join(__dirname, '..', '..', 'bin', 'tradedeck.cjs')

const KEY = standinKey('standin-key-0001', 'Sx9-secret-never-stored-plain')
const READ_ONLY = standinKey('standin-key-0002', 'Qw7-another-secret-value')

describe('exchanges through ccxt, against a local Deribit stand-in', () => {
  const standin = useDeribitStandin([
    { clientId: KEY.apiKey, clientSecret: KEY.secret, scope: 'account:read trade:read_write wallet:read_write' },
    { clientId: READ_ONLY.apiKey, clientSecret: READ_ONLY.secret, scope: 'account:read trade:read wallet:read' },
  ])
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  })

  const desk = () => openTestDesk(cleanups)

  const call = <T>(core: Core, channel: string, input: unknown = {}) =>
    callAs<T>(core, core.context.profileId, channel, input)

  /** Every byte the desk keeps on disk: the database, its WAL and its backups. */
  function diskBytes(dataDir: string): string {
    const files = readdirSync(dataDir)
      .filter((name) => name.startsWith('tradedeck.sqlite'))
      .map((name) => join(dataDir, name))
    const backups = readdirSync(backupDirFor(dataDir)).map((name) => join(backupDirFor(dataDir), name))
    return [...files, ...backups].map((path) => readFileSync(path).toString('latin1')).join('')
  }

  it('seals a key per profile, exchange and environment, tests it against the exchange, and never lets it out', async () => {
    const { core, dataDir, user } = await desk()
    const saved = await call<ExchangeKeyView>(core, 'exchanges:saveKey', {
      exchange: 'deribit',
      apiKey: KEY.apiKey,
      secret: KEY.secret,
    })
    expect(saved).toMatchObject({ exchange: 'deribit', environment: 'testnet', label: 'key …0001' })
    const listed = await call<{ exchanges: { id: string }[]; keys: ExchangeKeyView[] }>(core, 'exchanges:list')
    expect(listed.exchanges.map((exchange) => exchange.id)).toEqual(['deribit', 'binance', 'binanceusdm', 'bybit'])
    expect(listed.keys).toEqual([saved])
    expect(JSON.stringify([saved, listed])).not.toContain(KEY.secret)

    const test = await call<ExchangeKeyTest>(core, 'exchanges:testKey', { id: saved.id })
    expect(test).toMatchObject({
      canTrade: true,
      canWithdraw: true,
      balances: [
        { currency: 'BTC', total: '1.25', free: '1.2' },
        { currency: 'ETH', total: '10', free: '9.5' },
        { currency: 'USDC', total: '10000', free: '9800' },
      ],
    })
    expect(test.accountId).toMatch(/^\d+$/)
    expect(test.warnings.join(' ')).toContain('can also withdraw')
    // The signed requests carried the key; the secret itself never went over the wire.
    expect(standin().calls).toEqual(expect.arrayContaining(['private/get_account_summaries', 'public/auth']))

    // A second key for the same exchange and environment replaces the first.
    const readOnly = await call<ExchangeKeyView>(core, 'exchanges:saveKey', {
      exchange: 'deribit',
      environment: 'testnet',
      apiKey: READ_ONLY.apiKey,
      secret: READ_ONLY.secret,
    })
    expect((await call<{ keys: ExchangeKeyView[] }>(core, 'exchanges:list')).keys.map((key) => key.id)).toEqual([
      readOnly.id,
    ])
    const limited = await call<ExchangeKeyTest>(core, 'exchanges:testKey', { id: readOnly.id })
    expect(limited).toMatchObject({ canTrade: false, canWithdraw: false })
    expect(limited.warnings.join(' ')).toContain('cannot trade')

    await core.services.backups.create('manual', 'system')
    const bytes = diskBytes(dataDir)
    for (const secret of [KEY.secret, READ_ONLY.secret, KEY.apiKey, READ_ONLY.apiKey])
      expect(bytes).not.toContain(secret)
    const audit = JSON.stringify(await core.context.store.auditLog.list(user))
    expect(audit).toContain('key …0002')
    expect(audit).not.toContain(READ_ONLY.secret)
    expect(audit).not.toContain(READ_ONLY.apiKey)
  })

  it('says in words when the exchange refuses a key, and refuses malformed keys without saving anything', async () => {
    const { core } = await desk()
    const wrong = await call<ExchangeKeyView>(core, 'exchanges:saveKey', {
      exchange: 'deribit',
      apiKey: KEY.apiKey,
      secret: standinKey('', 'not-the-secret').secret,
    })
    await expect(call(core, 'exchanges:testKey', { id: wrong.id })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('Deribit refused the key'),
    })
    for (const bad of [
      { exchange: 'kraken', apiKey: 'a', secret: 'b' },
      { exchange: 'deribit', apiKey: '', secret: 'b' },
      { exchange: 'deribit', apiKey: 'has space', secret: 'b' },
      { exchange: 'deribit', environment: 'paper', apiKey: 'a', secret: 'b' },
      { exchange: 'deribit', apiKey: 'a', secret: 'b', extra: true },
    ]) {
      await expect(call(core, 'exchanges:saveKey', bad)).rejects.toMatchObject({ code: 'invalid_input' })
    }
    // Shorter than the exchange ever issues: a paste gone wrong, refused with both lengths and nothing stored.
    const lengths = { deribit: [8, 32], binance: [64, 64], binanceusdm: [64, 64], bybit: [18, 36] } as const
    for (const [exchange, [keyLength, secretLength]] of Object.entries(lengths)) {
      const short = { exchange, apiKey: 'k'.repeat(keyLength - 1), secret: 's'.repeat(secretLength) }
      await expect(call(core, 'exchanges:saveKey', short)).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringMatching(
          new RegExp(
            `^Nothing was saved: .+ API keys have at least ${keyLength} characters; this one has ${keyLength - 1}\\.`,
          ),
        ),
      })
      const shortSecret = { exchange, apiKey: 'k'.repeat(keyLength), secret: 's'.repeat(secretLength - 1) }
      await expect(call(core, 'exchanges:saveKey', shortSecret)).rejects.toThrow(
        `secrets have at least ${secretLength} characters; this one has ${secretLength - 1}.`,
      )
    }
    expect((await call<{ keys: ExchangeKeyView[] }>(core, 'exchanges:list')).keys.map((key) => key.id)).toEqual([
      wrong.id,
    ])
    await call(core, 'exchanges:deleteKey', { id: wrong.id })
    expect((await call<{ keys: ExchangeKeyView[] }>(core, 'exchanges:list')).keys).toEqual([])
  })

  it('keeps the key out of the error a window sees when the exchange never answers the key check (public/auth)', async () => {
    const { core } = await desk()
    const saved = await call<ExchangeKeyView>(core, 'exchanges:saveKey', { exchange: 'deribit', ...KEY })
    standin().loseReplyNext('public/auth')
    const refusal = await call(core, 'exchanges:testKey', { id: saved.id }).catch((error: Error) => error)
    expect(refusal).toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('Deribit could not be reached'),
    })
    expect((refusal as Error).message).toContain('client_id=[redacted]')
    expect((refusal as Error).message).not.toContain(KEY.apiKey)
  })

  it('downloads candle history page by page, backing off when the exchange answers 429, and stores each candle once', async () => {
    const { core } = await desk()
    const to = Math.floor(Date.now() / 60_000) * 60_000 - 100 * 60_000
    const from = to - 2_400 * 60_000
    standin().rateLimitNext(2, 'public/get_tradingview_chart_data')
    const request = {
      exchange: 'deribit',
      environment: 'testnet',
      symbol: 'BTC-PERPETUAL',
      timeframe: '1m',
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
    }
    const first = await call<CandleDownloadResult>(core, 'marketData:download', request)
    expect(first).toMatchObject({ received: 2_400, inserted: 2_400, retries: 2 })
    expect(first.requests).toBeGreaterThanOrEqual(3)
    expect(await core.context.store.marketSnapshots.count('BTC-PERPETUAL', '1m')).toBe(2_400)
    const [stored] = await core.context.store.marketSnapshots.range(
      'BTC-PERPETUAL',
      '1m',
      new Date(from).toISOString(),
      new Date(from + 60_000).toISOString(),
    )
    const bar = standinBar('BTC-PERPETUAL', from, 60_000)
    expect(stored).toMatchObject({
      ts: new Date(from).toISOString(),
      open: String(bar.open),
      close: String(bar.close),
      volume: String(bar.volume),
    })

    const again = await call<CandleDownloadResult>(core, 'marketData:download', request)
    expect(again).toMatchObject({ received: 2_400, inserted: 0 })
    await expect(call(core, 'marketData:download', { ...request, symbol: 'DOGE-PERPETUAL' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('no such instrument'),
    })
    await expect(call(core, 'marketData:download', { ...request, timeframe: '1s' })).rejects.toMatchObject({
      code: 'invalid_input',
    })
  })
  it('downloads from the command line: tradedeck data download, progress on stderr, one JSON object on stdout', async () => {
    const { dataDir, close } = await desk()
    close()
    const to = Math.floor(Date.now() / 3_600_000) * 3_600_000
    const args = [
      BIN,
      'data',
      'download',
      '--data-dir',
      dataDir,
      '--exchange',
      'deribit',
      '--symbol',
      'ETH/USD:ETH',
      '--timeframe',
      '1h',
      '--from',
      new Date(to - 48 * 3_600_000).toISOString(),
      '--to',
      new Date(to).toISOString(),
      '--json',
    ]
    const { stdout, stderr } = await run(process.execPath, args, {
      env: { ...process.env, TRADEDECK_EXCHANGE_URL_DERIBIT_LIVE: standin().url },
    })
    expect(JSON.parse(stdout)).toMatchObject({
      exchange: 'deribit',
      symbol: 'ETH/USD:ETH',
      timeframe: '1h',
      received: 48,
      inserted: 48,
    })
    expect(stderr).toContain('progress: 48 candles, 100%')
    await expect(run(process.execPath, [...args.slice(0, -1), '--timeframe', '2h'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('timeframe'),
    })
  })
})

describe('keys and candle history on Binance spot, Binance USD-M futures and Bybit, against their local stand-ins', () => {
  const TRADER = standinKey('standin-key-0003', 'Zp4-futures-secret-value')
  const WITHDRAWER = standinKey('standin-key-0004', 'Kc2-withdrawing-secret')
  const WATCHER = standinKey('standin-key-0005', 'Rd7-reading-only-secret')
  const standins: { spot?: BinanceSpotStandin; binance?: BinanceFuturesStandin; bybit?: BybitStandin } = {}
  const binanceKeys = [
    TRADER,
    { ...WITHDRAWER, restrictions: { enableWithdrawals: true } },
    { ...WATCHER, restrictions: { enableSpotAndMarginTrading: false, enableFutures: false } },
  ]
  const endpoints: Record<string, () => string> = {
    TRADEDECK_EXCHANGE_URL_BINANCE_TESTNET: () => standins.spot!.url,
    TRADEDECK_EXCHANGE_URL_BINANCE_LIVE: () => standins.spot!.url,
    TRADEDECK_EXCHANGE_URL_BINANCEUSDM_TESTNET: () => standins.binance!.url,
    TRADEDECK_EXCHANGE_URL_BINANCEUSDM_LIVE: () => standins.binance!.url,
    TRADEDECK_EXCHANGE_URL_BYBIT_TESTNET: () => standins.bybit!.url,
  }
  beforeAll(async () => {
    standins.spot = await startBinanceSpotStandin({ keys: binanceKeys })
    standins.binance = await startBinanceFuturesStandin({ keys: binanceKeys })
    standins.bybit = await startBybitStandin({
      keys: [
        TRADER,
        {
          ...WITHDRAWER,
          permissions: { ContractTrade: ['Order', 'Position'], Wallet: ['AccountTransfer', 'Withdraw'] },
        },
      ],
    })
    for (const [name, url] of Object.entries(endpoints)) process.env[name] = url()
  })
  afterAll(async () => {
    for (const name of Object.keys(endpoints)) delete process.env[name]
    await standins.spot?.close()
    await standins.binance?.close()
    await standins.bybit?.close()
  })
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  })

  const desk = async () => (await openTestDesk(cleanups)).core
  const call = <T>(core: Core, channel: string, input: unknown = {}) =>
    callAs<T>(core, core.context.profileId, channel, input)

  it('keeps the key, the secret and the signature out of what the window, the logs and the audit see when Binance or Bybit loses the reply', async () => {
    const core = await desk()
    for (const [exchange, standin] of [
      ['binance', standins.spot!],
      ['binanceusdm', standins.binance!],
      ['bybit', standins.bybit!],
    ] as const) {
      const saved = await call<ExchangeKeyView>(core, 'exchanges:saveKey', {
        exchange,
        environment: 'testnet',
        ...TRADER,
      })
      standin.calls.length = 0
      await call(core, 'exchanges:testKey', { id: saved.id })
      const signedRoutes = [...new Set(standin.calls)]
      standin.faults.loseReplyNext(signedRoutes, 20)
      const refusal = await call(core, 'exchanges:testKey', { id: saved.id }).catch((error: Error) => error)
      standin.faults.reset()
      expect(refusal, exchange).toBeInstanceOf(Error)
      const message = (refusal as Error).message
      expect(message, exchange).not.toContain(TRADER.apiKey)
      expect(message, exchange).not.toContain(TRADER.secret)
      // An HMAC-SHA256 signature in hex: it proves the secret for that one request, and is no one else's business.
      expect(message, exchange).not.toMatch(/[0-9a-f]{64}/)
    }
    // Every row of every table, as text: the key is only ever there sealed.
    const tables = core.context.db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
      .pluck()
      .all() as string[]
    const stored = tables
      .map((table) => JSON.stringify(core.context.db.prepare(`SELECT * FROM "${table}"`).all()))
      .join()
    expect(stored).not.toContain(TRADER.apiKey)
    expect(stored).not.toContain(TRADER.secret)
  })

  it("tests a Binance spot key: the account and its coins; on live, what the key may do from its API restrictions, which Binance's testnet does not say", async () => {
    const core = await desk()
    const testnet = await call<ExchangeKeyView>(core, 'exchanges:saveKey', {
      exchange: 'binance',
      environment: 'testnet',
      apiKey: TRADER.apiKey,
      secret: TRADER.secret,
    })
    const onTestnet = await call<ExchangeKeyTest>(core, 'exchanges:testKey', { id: testnet.id })
    expect(onTestnet).toMatchObject({
      accountId: '354937868',
      canTrade: null,
      canWithdraw: null,
      balances: [{ currency: 'USDT', total: '10000', free: '10000' }],
    })
    expect(onTestnet.warnings.join(' ')).toContain("Binance's testnets do not say what a key may do")
    expect(standins.spot!.calls).not.toContain('GET /sapi/v1/account/apiRestrictions')

    const live = await call<ExchangeKeyView>(core, 'exchanges:saveKey', {
      exchange: 'binance',
      environment: 'live',
      apiKey: TRADER.apiKey,
      secret: TRADER.secret,
    })
    expect(await call<ExchangeKeyTest>(core, 'exchanges:testKey', { id: live.id })).toMatchObject({
      accountId: '354937868',
      canTrade: true,
      canWithdraw: false,
      warnings: [],
    })
    const withdrawer = await call<ExchangeKeyView>(core, 'exchanges:saveKey', {
      exchange: 'binance',
      environment: 'live',
      apiKey: WITHDRAWER.apiKey,
      secret: WITHDRAWER.secret,
    })
    const risky = await call<ExchangeKeyTest>(core, 'exchanges:testKey', { id: withdrawer.id })
    expect(risky).toMatchObject({ canTrade: true, canWithdraw: true })
    expect(risky.warnings.join(' ')).toContain('can also withdraw funds (Enable Withdrawals)')
    const watcher = await call<ExchangeKeyView>(core, 'exchanges:saveKey', {
      exchange: 'binance',
      environment: 'live',
      apiKey: WATCHER.apiKey,
      secret: WATCHER.secret,
    })
    const reading = await call<ExchangeKeyTest>(core, 'exchanges:testKey', { id: watcher.id })
    expect(reading).toMatchObject({ canTrade: false, canWithdraw: false })
    expect(reading.warnings.join(' ')).toContain('lacks Enable Spot & Margin Trading')
  })

  it('tests a Binance USD-M key: the futures balance; on live, whether the key may trade futures', async () => {
    const core = await desk()
    const saved = await call<ExchangeKeyView>(core, 'exchanges:saveKey', {
      exchange: 'binanceusdm',
      apiKey: TRADER.apiKey,
      secret: TRADER.secret,
    })
    const test = await call<ExchangeKeyTest>(core, 'exchanges:testKey', { id: saved.id })
    expect(test).toMatchObject({
      canTrade: null,
      canWithdraw: null,
      balances: [{ currency: 'USDT', total: '10000', free: '9800' }],
    })
    expect(test.warnings.join(' ')).toContain("cannot read this key's permissions")
    const live = await call<ExchangeKeyView>(core, 'exchanges:saveKey', {
      exchange: 'binanceusdm',
      environment: 'live',
      apiKey: WATCHER.apiKey,
      secret: WATCHER.secret,
    })
    const reading = await call<ExchangeKeyTest>(core, 'exchanges:testKey', { id: live.id })
    expect(reading).toMatchObject({ canTrade: false, canWithdraw: false })
    expect(reading.warnings.join(' ')).toContain('lacks Enable Futures')
    const wrong = await call<ExchangeKeyView>(core, 'exchanges:saveKey', {
      exchange: 'binanceusdm',
      apiKey: TRADER.apiKey,
      secret: standinKey('', 'not-the-secret').secret,
    })
    await expect(call(core, 'exchanges:testKey', { id: wrong.id })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('refused the key'),
    })
  })

  it("tests a Bybit key with Bybit's own record of its permissions, and warns when it can withdraw", async () => {
    const core = await desk()
    const trader = await call<ExchangeKeyView>(core, 'exchanges:saveKey', {
      exchange: 'bybit',
      apiKey: TRADER.apiKey,
      secret: TRADER.secret,
    })
    const test = await call<ExchangeKeyTest>(core, 'exchanges:testKey', { id: trader.id })
    expect(test).toMatchObject({
      canTrade: true,
      canWithdraw: false,
      accountId: '24617703',
      balances: [{ currency: 'USDT', total: '10000' }],
    })
    expect(test.warnings).toEqual([])
    const withdrawer = await call<ExchangeKeyView>(core, 'exchanges:saveKey', {
      exchange: 'bybit',
      apiKey: WITHDRAWER.apiKey,
      secret: WITHDRAWER.secret,
    })
    const risky = await call<ExchangeKeyTest>(core, 'exchanges:testKey', { id: withdrawer.id })
    expect(risky).toMatchObject({ canTrade: true, canWithdraw: true })
    expect(risky.warnings.join(' ')).toContain('can also withdraw')
  })

  it.each([
    ['binance', () => standins.spot!, 'GET /api/v3/klines'],
    ['binanceusdm', () => standins.binance!, 'GET /fapi/v1/klines'],
    ['bybit', () => standins.bybit!, 'GET /v5/market/kline'],
  ] as const)(
    'downloads %s candle history by its own instrument id, page by page, through 429s',
    async (exchange, standin, klines) => {
      const core = await desk()
      const to = Math.floor(Date.now() / 60_000) * 60_000 - 100 * 60_000
      const from = to - 2_400 * 60_000
      standin().faults.rateLimitNext(2, klines)
      const request = {
        exchange,
        environment: 'testnet',
        symbol: 'BTCUSDT',
        timeframe: '1m',
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
      }
      const result = await call<CandleDownloadResult>(core, 'marketData:download', request)
      expect(result).toMatchObject({ received: 2_400, inserted: 2_400, retries: 2 })
      const [stored] = await core.context.store.marketSnapshots.range(
        'BTCUSDT',
        '1m',
        new Date(from).toISOString(),
        new Date(from + 60_000).toISOString(),
      )
      const bar = standin().bar('BTCUSDT', from, 60_000)
      expect(stored).toMatchObject({
        ts: new Date(from).toISOString(),
        open: String(bar.open),
        close: String(bar.close),
      })
    },
  )
})
