import { expect, test } from '@playwright/test'
import { startBrowserMode } from '../helpers/browser-mode'
import { startBinanceFuturesStandin, type BinanceFuturesStandin } from '../helpers/binance-futures-standin'
import { startBybitStandin, type BybitStandin } from '../helpers/bybit-standin'
import { startBinanceSpotStandin, type BinanceSpotStandin } from '../helpers/binance-spot-standin'
import { browserModeSuite } from './browser-mode-suite'
import { useStandinTiming } from '../helpers/standin-timing'
import { standinKey } from '../helpers/standin-key'

const KEY = standinKey('e2e-venues-key-3141', 'e2e-venues-secret-stays-in-main')
const ENDPOINTS = {
  spot: 'TRADEDECK_EXCHANGE_URL_BINANCE_TESTNET',
  binance: 'TRADEDECK_EXCHANGE_URL_BINANCEUSDM_TESTNET',
  bybit: 'TRADEDECK_EXCHANGE_URL_BYBIT_TESTNET',
}

test.describe('Binance spot, Binance USD-M futures and Bybit', () => {
  let spot: BinanceSpotStandin | undefined
  let binance: BinanceFuturesStandin | undefined
  let bybit: BybitStandin | undefined
  let restoreTiming: (() => void) | undefined
  // Browser mode reaches the local stand-ins through their endpoint overrides.
  const suite = browserModeSuite(async (dataDir) => {
    spot = await startBinanceSpotStandin({ keys: [KEY] })
    binance = await startBinanceFuturesStandin({ keys: [KEY] })
    bybit = await startBybitStandin({ keys: [KEY] })
    process.env[ENDPOINTS.spot] = spot.url
    process.env[ENDPOINTS.binance] = binance.url
    process.env[ENDPOINTS.bybit] = bybit.url
    restoreTiming = useStandinTiming()
    return startBrowserMode(dataDir)
  })
  test.afterAll(async () => {
    for (const name of Object.values(ENDPOINTS)) delete process.env[name]
    restoreTiming?.()
    await spot?.close()
    await binance?.close()
    await bybit?.close()
  })

  test('add and test a key on each, see that Tradedeck trades there, and start a Bybit testnet instance and a Binance spot one, each taking its candles from the exchange', async ({
    page,
  }) => {
    test.setTimeout(120_000)
    await page.goto(suite.app.url)
    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    const panel = page.getByRole('region', { name: 'Exchanges' })
    const offers = panel.getByRole('table', { name: 'What each exchange offers' })
    for (const name of ['Deribit', 'Binance USD-M futures', 'Bybit'])
      await expect(offers.getByRole('row', { name: new RegExp(`^${name}`) })).toContainText(
        'yes: market orders; stop-loss and take-profit held by the exchange',
      )
    await expect(offers.getByRole('row', { name: /^Binance \(spot\)/ })).toContainText(
      'yes: market orders; stop-loss and take-profit watched by Tradedeck',
    )
    await expect(offers.getByRole('row', { name: /^Binance \(spot\)/ })).toContainText('long-only')

    const form = panel.getByRole('form', { name: 'Add an exchange key' })
    for (const exchange of ['Bybit', 'Binance USD-M futures', 'Binance (spot)']) {
      await form.getByLabel('Exchange').selectOption({ label: exchange })
      await form.getByLabel('API key').fill(KEY.apiKey)
      await form.getByLabel('Secret').fill(KEY.secret)
      await form.getByRole('button', { name: 'Save key' }).click()
      await expect(form.getByRole('status')).toContainText('Saved, sealed')
    }
    const keys = panel.getByRole('list', { name: 'Exchange keys' })
    const bybitKey = keys.getByRole('listitem').filter({ hasText: 'Bybit' })
    await bybitKey.getByRole('button', { name: 'Test' }).click()
    await expect(bybitKey.getByRole('status', { name: 'Key test' })).toContainText('Can trade: yes. Can withdraw: no.')
    const binanceKey = keys.getByRole('listitem').filter({ hasText: 'Binance USD-M futures' })
    await binanceKey.getByRole('button', { name: 'Test' }).click()
    await expect(binanceKey.getByRole('status', { name: 'Key test' })).toContainText('10000 USDT')
    await expect(binanceKey.getByRole('status', { name: 'Key test' })).toContainText(
      "cannot read this key's permissions",
    )
    const spotKey = keys.getByRole('listitem').filter({ hasText: 'Binance (spot)' })
    await spotKey.getByRole('button', { name: 'Test' }).click()
    await expect(spotKey.getByRole('status', { name: 'Key test' })).toContainText('354937868')
    await expect(spotKey.getByRole('status', { name: 'Key test' })).toContainText('10000 USDT')
    await expect(spotKey.getByRole('status', { name: 'Key test' })).toContainText(
      "Binance's testnets do not say what a key may do",
    )
    expect(await page.content()).not.toContain(KEY.secret)
    await page.screenshot({ path: 'test-results/exchange-venues-keys.png', fullPage: true })

    await page.getByRole('button', { name: 'Strategies', exact: true }).click()
    const create = page.getByRole('form', { name: 'New strategy instance' })
    await create.getByLabel('Strategy kind').selectOption({ label: 'EMA crossover' })
    await create.getByLabel('Instrument').fill('BTCUSDT')
    await expect(create.getByLabel('Venue').locator('option')).toContainText([
      'Binance (spot) testnet',
      'Binance USD-M futures testnet',
      'Bybit testnet',
    ])
    await create.getByLabel('Venue').selectOption({ label: 'Bybit testnet' })
    await create.getByLabel('Candle length').selectOption('1m')
    await create.getByLabel('Size of each idea').fill('0.001')
    await create.getByRole('button', { name: 'Create instance' }).click()
    const instances = page.getByRole('table', { name: 'Strategy instances' })
    await expect(instances).toContainText('Bybit')
    await instances.getByRole('button', { name: 'Start EMA crossover BTCUSDT 1m', exact: true }).click()
    await expect(instances).toContainText('active')
    // Reconciled with the exchange before it started, and its candles come from Bybit's kline stream.
    await expect
      .poll(() => bybit!.calls.includes('GET /v5/position/list') && bybit!.calls.includes('ws subscribe'))
      .toBe(true)

    await create.getByLabel('Strategy kind').selectOption({ label: 'EMA crossover' })
    await create.getByLabel('Instrument').fill('BTCUSDT')
    await create.getByLabel('Venue').selectOption({ label: 'Binance (spot) testnet' })
    await expect(create.getByText('Tradedeck watches stop-loss and take-profit on each candle')).toBeVisible()
    await expect(create.getByText('Binance (spot) is long-only: short ideas are refused')).toBeVisible()
    await create.getByLabel('Candle length').selectOption('1m')
    await create.getByLabel('Size of each idea').fill('0.001')
    await create.getByRole('button', { name: 'Create instance' }).click()
    await expect(instances).toContainText('Binance (spot)')
    await instances
      .getByRole('row')
      .filter({ hasText: 'Binance (spot)' })
      .getByRole('button', { name: 'Start EMA crossover BTCUSDT 1m (binance testnet)' })
      .click()
    await expect(instances.getByRole('row').filter({ hasText: 'Binance (spot)' })).toContainText('active')
    // Reconciled against the spot wallet, and its candles come from Binance's kline stream.
    await expect
      .poll(() => spot!.calls.includes('GET /api/v3/account') && spot!.calls.includes('ws SUBSCRIBE'))
      .toBe(true)
    await page.screenshot({ path: 'test-results/exchange-venues-instance.png', fullPage: true })
  })
})
