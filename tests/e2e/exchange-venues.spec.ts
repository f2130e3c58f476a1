import { expect, test } from '@playwright/test'
import { startBrowserMode } from '../helpers/browser-mode'
import { startBinanceFuturesStandin, type BinanceFuturesStandin } from '../helpers/binance-futures-standin'
import { startBybitStandin, type BybitStandin } from '../helpers/bybit-standin'
import { browserModeSuite } from './browser-mode-suite'

const KEY = { apiKey: 'e2e-venues-key-3141', secret: 'e2e-venues-secret-stays-in-main' }
const ENDPOINTS = { binance: 'TRADEDECK_EXCHANGE_URL_BINANCEUSDM_TESTNET', bybit: 'TRADEDECK_EXCHANGE_URL_BYBIT_TESTNET' }

test.describe('Binance USD-M futures and Bybit', () => {
  let binance: BinanceFuturesStandin | undefined
  let bybit: BybitStandin | undefined
  // Browser mode reaches both local stand-ins through their endpoint overrides.
  const suite = browserModeSuite(async (dataDir) => {
    binance = await startBinanceFuturesStandin({ keys: [KEY] })
    bybit = await startBybitStandin({ keys: [KEY] })
    process.env[ENDPOINTS.binance] = binance.url
    process.env[ENDPOINTS.bybit] = bybit.url
    return startBrowserMode(dataDir)
  })
  test.afterAll(async () => {
    for (const name of Object.values(ENDPOINTS)) delete process.env[name]
    await binance?.close()
    await bybit?.close()
  })

  test('add and test a key on each, see that Tradedeck trades there, and start a Bybit testnet instance that takes its candles from the exchange', async ({ page }) => {
    test.setTimeout(120_000)
    await page.goto(suite.app.url)
    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    const panel = page.getByRole('region', { name: 'Exchanges' })
    const offers = panel.getByRole('table', { name: 'What each exchange offers' })
    for (const name of ['Deribit', 'Binance USD-M futures', 'Bybit']) await expect(offers.getByRole('row', { name: new RegExp(`^${name}`) })).toContainText('yes: market orders; stop-loss and take-profit held by the exchange')
    await expect(offers.getByRole('row', { name: /^Binance \(spot\)/ })).toContainText('not yet')

    const form = panel.getByRole('form', { name: 'Add an exchange key' })
    for (const exchange of ['Bybit', 'Binance USD-M futures']) {
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
    await expect(binanceKey.getByRole('status', { name: 'Key test' })).toContainText("cannot read this key's permissions")
    expect(await page.content()).not.toContain(KEY.secret)
    await page.screenshot({ path: 'test-results/exchange-venues-keys.png', fullPage: true })

    await page.getByRole('button', { name: 'Strategies', exact: true }).click()
    const create = page.getByRole('form', { name: 'New strategy instance' })
    await create.getByLabel('Strategy kind').selectOption({ label: 'EMA crossover' })
    await create.getByLabel('Instrument').fill('BTCUSDT')
    await expect(create.getByLabel('Venue').locator('option')).toContainText(['Binance USD-M futures testnet', 'Bybit testnet'])
    await create.getByLabel('Venue').selectOption({ label: 'Bybit testnet' })
    await create.getByLabel('Candle length').selectOption('1m')
    await create.getByLabel('Size of each idea').fill('0.001')
    await create.getByRole('button', { name: 'Create instance' }).click()
    const instances = page.getByRole('table', { name: 'Strategy instances' })
    await expect(instances).toContainText('bybit · testnet')
    await instances.getByRole('button', { name: 'Start EMA crossover on BTCUSDT' }).click()
    await expect(instances).toContainText('active')
    // Reconciled with the exchange before it started, and its candles come from Bybit's kline stream.
    await expect.poll(() => bybit!.calls.includes('GET /v5/position/list') && bybit!.calls.includes('ws subscribe')).toBe(true)
    await page.screenshot({ path: 'test-results/exchange-venues-instance.png', fullPage: true })
  })
})
