import { expect, test } from '@playwright/test'
import { browserModeSuite } from './browser-mode-suite'

test.describe('a rules strategy', () => {
  const suite = browserModeSuite()

  test('its rule is checked as it is typed, and a started instance proposes ideas whose rationale names the conditions that held', async ({
    page,
  }) => {
    test.setTimeout(180_000)
    await page.goto(suite.app.url)
    await page.getByRole('button', { name: 'Strategies', exact: true }).click()
    const form = page.getByRole('form', { name: 'New strategy instance' })
    await form.getByLabel('Strategy kind').selectOption({ label: 'Rules' })
    await form.getByLabel('Candle length').selectOption('1s')

    // A rule that does not read says why and where, before anything is sent; what was typed stays.
    const long = form.getByLabel(/^Go long when/)
    await long.fill('crosses_above(ema(3), ema(8)) and volum > 0')
    await expect(form.locator('.field.invalid')).toContainText('Unknown name “volum”')
    await expect(form.locator('.field.invalid')).toContainText('(at character 35)')
    await long.fill('crosses_above(ema(3), ema(8)) and')
    await expect(form.locator('.field.invalid')).toContainText(
      '“and” needs a condition on each side. (at character 31)',
    )
    await form.getByLabel(/^Propose only in these windows/).fill('Mon–Fri 08:00–16:30 Mars/Olympus')
    await expect(form.locator('.field.invalid').last()).toContainText('“Mars/Olympus” is not a time zone')
    await page.screenshot({ path: 'test-results/rules-form.png', fullPage: true })
    await form.getByLabel(/^Propose only in these windows/).fill('')
    await long.fill('crosses_above(ema(3), ema(8)) and close > open')
    await form.getByLabel(/^Go short when/).fill('crosses_below(ema(3), ema(8))')
    await expect(form.locator('.field.invalid')).toHaveCount(0)
    await form.getByRole('button', { name: 'Create instance' }).click()

    const instances = page.getByRole('table', { name: 'Strategy instances' })
    await expect(instances).toContainText('Rules')
    await page.getByRole('button', { name: 'Start Rules BTC-USD 1s' }).click()
    await expect(instances).toContainText('active')

    await page.getByRole('button', { name: 'Trade Ideas', exact: true }).click()
    const first = page.getByTestId('queue').locator('.queue-row').first()
    await expect(first).toBeVisible({ timeout: 120_000 })
    await first.click()
    const detail = page.getByTestId('idea-detail')
    await expect(detail).toContainText(
      /(Long: crosses_above\(ema\(3\), ema\(8\)\) \(ema\(3\) [\d.]+, ema\(8\) [\d.]+\); close > open \(close [\d.]+, open [\d.]+\)|Short: crosses_below\(ema\(3\), ema\(8\)\) \(ema\(3\) [\d.]+, ema\(8\) [\d.]+\))\. Stop 1\.5×ATR\(14\)/,
    )
    await page.screenshot({ path: 'test-results/rules-idea.png', fullPage: true })
    await page.getByRole('button', { name: 'Strategies', exact: true }).click()
    await page.getByRole('button', { name: 'Stop Rules BTC-USD 1s' }).click()
    await instances.getByRole('button', { name: 'Confirm stop Rules BTC-USD 1s' }).click()
    await expect(instances).toContainText('stopped')
  })
})
