import { describe, expect, it } from 'vitest'
import { certifyExchange } from '../../src/main/core/domains/exchanges/certification'
import { EXCHANGES } from '../../src/main/core/domains/exchanges/registry'
import { certifyOnTestnet, useExchangeDesks } from '../helpers/exchange-desk'
import { useVenueStandin } from '../helpers/venue-standins'
import { standinKey } from '../helpers/standin-key'
import { expectCliBuilt, runCli } from '../helpers/built-cli'

const KEY = standinKey('certify-key-0042', 'C3rtify-secret-kept-sealed')
const VENUES = [
  ['deribit', 'BTC_USDC-PERPETUAL'],
  ['binanceusdm', 'BTCUSDT'],
  ['bybit', 'BTCUSDT'],
  ['binance', 'BTCUSDT'],
] as const

describe.each(VENUES)('certifying %s with the profile’s key, against its local stand-in', (exchange, instrument) => {
  const standin = useVenueStandin(exchange, KEY)
  const desk = useExchangeDesks(exchange, instrument, KEY)

  it('passes every step, trading only when asked, and leaves nothing open', async () => {
    const { core } = await desk()
    const quiet = await certifyOnTestnet(core, exchange, instrument, false)
    expect(
      quiet.steps.map((step) => [step.name, step.ok]),
      JSON.stringify(quiet.steps),
    ).toEqual([
      ['Clock', true],
      ['Balance', true],
      ['Market', true],
      ['Order lookup', true],
      ['Resting order', true],
    ])
    expect(quiet.passed).toBe(true)
    // Nothing filled without --trade: one post-only buy rested far below the price, and was cancelled.
    expect(
      standin()
        .orders()
        .filter((order) => order.state === 'filled'),
    ).toEqual([])
    const limits = standin()
      .orders()
      .filter((order) => order.kind === 'limit')
    expect(limits).toMatchObject([{ side: 'buy', state: 'cancelled', filled: 0 }])
    const resting = quiet.steps.find((step) => step.name === 'Resting order')!
    expect(resting.detail).toMatch(
      /^A post-only buy of [\d.]+ at [\d.]+ \((50|4)% below the last price\) rested, was found by its client id (tdx-[0-9a-f]{12}), and was cancelled\.$/,
    )
    expect(resting.detail).toContain(limits[0]!.clientOrderId)
    // Binance futures take no buy below 95% of the price: the order goes just inside that band.
    const last = standin().bar(instrument, Math.floor(Date.now() / 60_000) * 60_000 - 120_000, 60_000).close
    expect(limits[0]!.limitPrice! / last).toBeGreaterThan(exchange === 'binanceusdm' ? 0.9 : 0.4)

    const traded = await certifyOnTestnet(core, exchange, instrument, true)
    expect(traded.passed, JSON.stringify(traded.steps)).toBe(true)
    expect(traded.steps.at(-1)).toMatchObject({
      name: 'Round trip',
      ok: true,
      detail: expect.stringMatching(/^Bought /),
    })
    // Flat, and no order of the certification still rests.
    if (exchange !== 'binance') expect(standin().positions()).toEqual([])
    expect(
      standin()
        .orders()
        .filter((order) => order.state === 'open' || order.state === 'untriggered'),
    ).toEqual([])
    if (EXCHANGES[exchange].nativeStopLoss)
      expect(traded.steps.at(-1)!.detail).toMatch(
        /Its stop at \d+ rested on the exchange, was found by its client id tdx-[0-9a-f]{12}, and was cancelled after the close\.$/,
      )
  })

  it('finds a resting order whose reply was lost by its client id, sends it once, and cancels it', async () => {
    const { core } = await desk()
    // On Deribit the resting buy goes to private/buy like any buy; elsewhere too, to the one order route.
    standin().loseReplyNext(standin().routes.buy)
    const quiet = await certifyOnTestnet(core, exchange, instrument, false)
    expect(quiet.passed, JSON.stringify(quiet.steps)).toBe(true)
    expect(
      standin()
        .orders()
        .filter((order) => order.kind === 'limit'),
    ).toMatchObject([{ state: 'cancelled', filled: 0 }])
  })

  it('says so when the exchange will not rest the order because it would take at once', async () => {
    const { core } = await desk()
    // The price falls below where the certification puts its buy (from the last closed candle): a post-only buy
    // there would take, so the exchange refuses it (Deribit, Binance) or takes and cancels it (Bybit).
    const last = standin().bar(instrument, Math.floor(Date.now() / 60_000) * 60_000 - 120_000, 60_000).close
    standin().setMarkPrice(instrument, last * (exchange === 'binanceusdm' ? 0.93 : 0.45))
    const quiet = await certifyOnTestnet(core, exchange, instrument, false)
    expect(quiet.passed).toBe(false)
    expect(quiet.steps.at(-1)).toMatchObject({
      name: 'Resting order',
      ok: false,
      detail: expect.stringMatching(
        exchange === 'bybit'
          ? /^A post-only buy of .+ reads cancelled instead of resting: the exchange would not rest it\.$/
          : /^A post-only buy of .+ was refused\. .*(post_only_reject|Post Only order will be rejected|would immediately match and take)/,
      ),
    })
    expect(
      standin()
        .orders()
        .filter((order) => order.state === 'open' || order.state === 'filled'),
    ).toEqual([])
  })

  it('settles a buy whose reply was lost by its client id, buying once, and still closes what it bought', async () => {
    const { core } = await desk()
    standin().loseReplyNext(standin().routes.buy)
    const traded = await certifyOnTestnet(core, exchange, instrument, true)
    expect(traded.passed, JSON.stringify(traded.steps)).toBe(true)
    const buys = standin()
      .orders()
      .filter((order) => order.side === 'buy' && order.state === 'filled')
    expect(buys).toHaveLength(1)
    if (exchange !== 'binance') expect(standin().positions()).toEqual([])
  })

  if (EXCHANGES[exchange].nativeStopLoss)
    it('closes the position again when the exchange refuses its stop, and says why', async () => {
      const { core } = await desk()
      const protective = standin().routes.protective as string
      // Where the stop goes to the one order route, the resting buy and the market buy go before it.
      standin().refuseNext(protective, 1, protective === standin().routes.buy ? 2 : 0)
      const traded = await certifyOnTestnet(core, exchange, instrument, true)
      expect(traded.passed).toBe(false)
      expect(traded.steps.at(-1)).toMatchObject({
        name: 'Round trip',
        ok: false,
        detail: expect.stringMatching(/ The position was closed again\.$/),
      })
      // Nothing left behind: no position, no order resting.
      expect(standin().positions()).toEqual([])
      expect(
        standin()
          .orders()
          .filter((order) => order.state === 'open' || order.state === 'untriggered'),
      ).toEqual([])
    })

  if (exchange === 'bybit')
    it('when the close is refused, leaves the stop resting and tells the trader to close the position', async () => {
      const { core } = await desk()
      // The resting buy, the buy, the stop and the close all go to order/create: the fourth is the close.
      standin().refuseNext(standin().routes.buy, 1, 3)
      const traded = await certifyOnTestnet(core, exchange, instrument, true)
      expect(traded.steps.at(-1)).toMatchObject({
        name: 'Round trip',
        ok: false,
        detail: expect.stringMatching(
          /did not go through \(.+\), and its stop still rests on the exchange: close the position on Bybit testnet yourself\.$/,
        ),
      })
      // The position is still stopped on the exchange.
      expect(standin().positions()).toHaveLength(1)
      expect(
        standin()
          .orders()
          .filter((order) => order.state === 'untriggered'),
      ).toHaveLength(1)
    })

  it("stops at the clock when this machine's is further off than the exchange accepts, and refuses live without the words", async () => {
    const { core, user } = await desk()
    standin().setClockOffset(-60_000)
    const off = await certifyOnTestnet(core, exchange, instrument, true)
    expect(off.passed).toBe(false)
    expect(off.steps).toEqual([
      {
        name: 'Clock',
        ok: false,
        detail: expect.stringMatching(
          / behind this machine's; it accepts (5|10) s\. Set this machine's clock \(automatic time\) before trading: nothing more was tried\.$/,
        ),
      },
    ])
    expect(standin().orders()).toEqual([])
    await expect(
      certifyExchange(core.context, user, {
        exchange,
        environment: 'live',
        instrument,
        trade: false,
        understandsRealMoney: false,
      }),
    ).rejects.toThrow(/trades real money/)
  })
})

describe('tradedeck exchange certify (built)', () => {
  const standin = useVenueStandin('bybit', KEY)
  const desk = useExchangeDesks('bybit', 'BTCUSDT', KEY)
  const cli = runCli

  it('prints each step in words, exits 0 when all pass and 1 when one fails, and refuses live without the words', async () => {
    expectCliBuilt()
    const { dataDir, close } = await desk()
    // The CLI opens the data folder as the app does: the desk must be closed.
    close()
    const base = ['exchange', 'certify', '--exchange', 'bybit', '--symbol', 'BTCUSDT', '--data-dir', dataDir]
    const passed = await cli([...base, '--trade'])
    expect(passed.code, passed.stderr).toBe(0)
    expect(passed.stdout).toMatch(
      /^ok {4}Clock: Bybit testnet's clock is \d+ ms (ahead of|behind) this machine's; it accepts 5 s\.$/m,
    )
    expect(passed.stdout).toMatch(/^ok {4}Round trip: Bought /m)
    expect(passed.stdout.trim()).toMatch(/Bybit testnet: every step passed\.$/)
    // Without --trade it says what was left untried: the stop, which rests only beside a position.
    const quiet = await cli(base)
    expect(quiet.code, quiet.stderr).toBe(0)
    expect(quiet.stdout.trim()).toMatch(
      /Bybit testnet: every step passed; nothing was bought or sold, so no stop rested on the exchange \(.+\): add --trade for a round trip with its stop\.$/,
    )

    standin().setClockOffset(120_000)
    const failed = await cli([...base, '--json'])
    expect(failed.code).toBe(1)
    expect(JSON.parse(failed.stdout)).toMatchObject({ passed: false, steps: [{ name: 'Clock', ok: false }] })

    const live = await cli([...base, '--environment', 'live'])
    expect(live.code).toBe(1)
    expect(live.stderr).toContain('trades real money')
    expect(
      standin()
        .orders()
        .filter((order) => order.state === 'open' || order.state === 'untriggered'),
    ).toEqual([])
  })
})
