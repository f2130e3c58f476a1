import { expect, test } from '@playwright/test'
import { startBrowserMode } from '../helpers/browser-mode'
import { startDeribitStandin, type DeribitStandin } from '../helpers/deribit-standin'
import { browserModeSuite } from './browser-mode-suite'
import { useStandinTiming } from '../helpers/standin-timing'
import { standinKey } from '../helpers/standin-key'

const KEY = standinKey('e2e-standin-key-7788', 'e2e-secret-that-stays-in-main')

test.describe('exchanges', () => {
  let standin: DeribitStandin | undefined
  let restoreTiming: (() => void) | undefined
  // Browser mode reaches the local Deribit stand-in through the endpoint override, for testnet and live prices alike.
  const suite = browserModeSuite(async (dataDir) => {
    standin = await startDeribitStandin({
      keys: [
        { clientId: KEY.apiKey, clientSecret: KEY.secret, scope: 'account:read trade:read_write wallet:read_write' },
      ],
    })
    process.env.TRADEDECK_EXCHANGE_URL_DERIBIT_TESTNET = standin.url
    process.env.TRADEDECK_EXCHANGE_URL_DERIBIT_LIVE = standin.url
    restoreTiming = useStandinTiming()
    return startBrowserMode(dataDir)
  })
  test.afterAll(async () => {
    restoreTiming?.()
    delete process.env.TRADEDECK_EXCHANGE_URL_DERIBIT_TESTNET
    delete process.env.TRADEDECK_EXCHANGE_URL_DERIBIT_LIVE
    await standin?.close()
  })

  test('Settings → Exchanges: add a Deribit testnet key, test it against the exchange, and download candle history', async ({
    page,
  }) => {
    await page.goto(suite.app.url)
    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    const panel = page.getByRole('region', { name: 'Exchanges' })
    // What the exchange does, not how Tradedeck's tests reach it.
    const deribit = panel
      .getByRole('table', { name: 'What each exchange offers' })
      .getByRole('row', { name: /Deribit/ })
    await expect(deribit).toContainText('streamed as they form')
    await expect(deribit).toContainText('held by the exchange')
    await expect(panel.getByRole('table', { name: 'What each exchange offers' })).not.toContainText('stand-in')

    const form = panel.getByRole('form', { name: 'Add an exchange key' })
    await expect(form.getByLabel('Environment')).toHaveValue('testnet')
    await form.getByLabel('API key').fill(KEY.apiKey)
    await form.getByLabel('Secret').fill('has a space')
    await form.getByRole('button', { name: 'Save key' }).click()
    await expect(form.getByRole('alert')).toContainText('Nothing was saved')
    await expect(form.getByLabel('API key')).toHaveValue(KEY.apiKey)
    await form.getByLabel('Secret').fill(KEY.secret)
    await form.getByRole('button', { name: 'Save key' }).click()
    await expect(form.getByRole('status')).toContainText('Saved, sealed')
    await expect(form.getByLabel('Secret')).toHaveValue('')

    const keys = panel.getByRole('list', { name: 'Exchange keys' })
    await expect(keys).toContainText('key …7788')
    await keys.getByRole('button', { name: 'Test' }).click()
    const result = keys.getByRole('status', { name: 'Key test' })
    await expect(result).toContainText('1.25 BTC')
    await expect(result).toContainText('Can trade: yes. Can withdraw: yes.')
    await expect(result).toContainText('make a key without withdrawal rights')
    await panel.screenshot({ path: 'test-results/exchanges-key-test.png' })
    expect(await page.content()).not.toContain(KEY.secret)

    // Certify, with the key just saved: every step in words, and a round trip with its stop.
    const certify = panel.getByRole('form', { name: 'Certify an exchange' })
    await certify.getByLabel('Instrument').fill('BTC_USDC-PERPETUAL')
    await certify.getByLabel(/With a round trip/).check()
    await certify.getByRole('button', { name: 'Certify' }).click()
    const certified = certify.getByRole('status', { name: 'Certification' })
    await expect(certified).toContainText('Deribit testnet: every step passed.', { timeout: 30_000 })
    for (const step of ['Clock', 'Balance', 'Market', 'Order lookup', 'Resting order', 'Round trip'])
      await expect(certified).toContainText(`✓ ${step}:`)
    await certify.screenshot({ path: 'test-results/exchanges-certify.png' })

    const download = panel.getByRole('form', { name: 'Download candle history' })
    const to = Math.floor(Date.now() / 3_600_000) * 3_600_000
    // Date pickers, in UTC as their labels say.
    await download.getByLabel('From (UTC)').fill(new Date(to - 48 * 3_600_000).toISOString().slice(0, 16))
    await download.getByLabel('To (UTC; empty: now)').fill(new Date(to).toISOString().slice(0, 16))
    await download.getByRole('button', { name: 'Download' }).click()
    await expect(download.getByRole('status')).toContainText(
      '48 1h candles of BTC-PERPETUAL: 48 new, 0 already stored.',
    )
  })
})
