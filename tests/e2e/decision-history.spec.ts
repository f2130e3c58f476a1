import { expect, test } from '@playwright/test'
import { existsSync, readFileSync } from 'node:fs'
import { browserModeSuite } from './browser-mode-suite'
import { startSeededBrowserMode } from '../helpers/browser-mode'

test.describe('decision history', () => {
  const suite = browserModeSuite(startSeededBrowserMode)

  test('lists, filters, shows and exports decisions', async ({ page }) => {
    await page.goto(suite.app.url)
    await page.getByRole('button', { name: 'Decision History', exact: true }).click()
    const rows = page.getByTestId('history-rows').getByRole('button')
    await expect(rows).toHaveCount(3)
    await expect(rows.first()).toContainText('BTC-PERP')

    // The symbol in any case; the actor as the table names it.
    await page.getByLabel('Symbol').fill('sol-perp')
    await page.getByLabel('Actor').selectOption('person')
    await page.getByRole('button', { name: 'Apply' }).click()
    await expect(page.getByTestId('history-empty')).toBeVisible()
    await page.getByLabel('Actor').selectOption('strategy')
    await page.getByRole('button', { name: 'Apply' }).click()
    await expect(rows).toHaveCount(1)
    await expect(rows.first()).toContainText('strategy')
    await rows.first().click()
    const detail = page.getByTestId('decision-detail')
    await expect(detail).toContainText('Whostrategy')
    await expect(detail).toContainText('Donchian 20 breakout on rising volume.')
    await expect(detail).toContainText('Risk check: needs approval')
    await expect(detail).toContainText('SOL-PERP is not on the watchlist, so it never trades without a person.')
    await page.screenshot({ path: 'test-results/decision-history.png', fullPage: true })

    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export CSV' }).click()
    const saved = await download
    expect(saved.suggestedFilename()).toMatch(/^decisions-[0-9TZ]+\.csv$/)
    expect(readFileSync(await saved.path(), 'utf8')).toContain('SOL-PERP,ai_proposed,ai')
    const message = page.getByTestId('export-message')
    await expect(message).toContainText('Exported 1 row to ')
    const path = (await message.textContent())?.replace(/^Exported 1 row to /, '').trim() as string
    expect(existsSync(path)).toBe(true)
    expect(readFileSync(path, 'utf8')).toContain('SOL-PERP,ai_proposed,ai')

    await page.getByLabel('Text').fill('no such words anywhere')
    await page.getByRole('button', { name: 'Apply' }).click()
    await expect(page.getByTestId('history-empty')).toBeVisible()
    await expect(page.getByLabel('Symbol')).toHaveValue('sol-perp')
  })
})
