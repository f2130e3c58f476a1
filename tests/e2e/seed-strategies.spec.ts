import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { browserModeSuite } from './browser-mode-suite'

/** Uploads a file through Settings → Import, checks its dry run, and imports it. */
async function importFile(page: Page, path: string, dryRunRow: RegExp, button: RegExp): Promise<Locator> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  const panel = page.getByRole('region', { name: 'Import trade history' })
  await panel.getByLabel('File to import').setInputFiles(path)
  const dryRun = panel.getByLabel('Dry run')
  await expect(dryRun).toContainText('nothing has been written yet')
  await expect(dryRun.getByRole('table', { name: 'What the file holds' })).toContainText(dryRunRow)
  await dryRun.getByRole('button', { name: button }).click()
  await expect(panel.getByRole('status')).toContainText('Imported ')
  return panel
}

test.describe("seed 003's strategies and calendar", () => {
  const suite = browserModeSuite()

  test('imported as rules instances and an economic calendar: one instance proposes with its conditions named, the other withholds its ideas near a high-impact USD event', async ({
    page,
  }) => {
    test.setTimeout(240_000)
    const folder = join(suite.dataDir, '..')
    const strategies = join(folder, `strategies-${Date.now()}.csv`)
    const rules = `"{""long"": ""crosses_above(ema(3), ema(8))"", ""short"": ""crosses_below(ema(3), ema(8))""}","{""stop_atr"": 1.5, ""target_r"": 2}","[""high_impact_event_within(120)""]"`
    writeFileSync(
      strategies,
      `id,name,is_active,allowed_symbols,session_windows,entry_conditions,exit_rules,forbidden_conditions,risk_caps,rr_expectation
1,Payrolls watch,true,BTC-USD,,${rules},,1.5
2,Ether rules,true,ETH-EUR,,${rules},,1.5
3,Retired,false,XAUUSD,,close > open,,,,
`,
    )
    // A high-impact USD release half an hour from now: BTC-USD is priced in dollars, ETH-EUR is not.
    const release = new Date(Date.now() + 30 * 60_000)
    release.setUTCSeconds(0, 0)
    const calendar = join(folder, `calendar-${Date.now()}.csv`)
    writeFileSync(
      calendar,
      `event_time,currency,impact_level,title,previous_value,forecast_value,actual_value,captured_at
${release.toISOString()},USD,High,Non-Farm Payrolls,150K,180K,,
${new Date(release.getTime() + 60 * 60_000).toISOString()},EUR,low,German retail sales,0.1%,0.2%,,
`,
    )
    await page.goto(suite.app.url)
    await importFile(page, strategies, /Rules instances\s*2\s*0\s*0/, /^Import .*2 rules instances/)
    await importFile(page, calendar, /Calendar events\s*2\s*0\s*0/, /^Import 2 calendar events/)

    // The Overview lists the release; the low-impact one is not among the next high-impact events.
    await page.getByRole('button', { name: 'Overview', exact: true }).click()
    const upcoming = page.getByRole('region', { name: 'Next high-impact events' })
    await expect(upcoming).toContainText('Non-Farm Payrolls')
    await expect(upcoming).toContainText(`${release.toISOString().slice(11, 16)} UTC`)
    await expect(upcoming).not.toContainText('German retail sales')
    await upcoming.screenshot({ path: 'test-results/upcoming-events.png' })

    // Both instances came in stopped, on paper; each runs on one-second candles here, so ideas come quickly.
    await page.getByRole('button', { name: 'Strategies', exact: true }).click()
    const instances = page.getByRole('table', { name: 'Strategy instances' })
    for (const name of ['Payrolls watch BTC-USD', 'Ether rules ETH-EUR']) {
      const row = instances.getByRole('row').filter({ hasText: name })
      await expect(row).toContainText('stopped')
      await row.getByRole('button', { name: `Edit ${name}` }).click()
      const edit = page.getByRole('form', { name: `Edit ${name}` })
      await expect(edit.getByLabel(/^Go long when/)).toHaveValue('crosses_above(ema(3), ema(8))')
      await expect(edit.getByLabel(/^Stay out this many minutes either side/)).toHaveValue('120')
      await edit.getByLabel('Candle length').selectOption('1s')
      await edit.getByRole('button', { name: 'Save' }).click()
      await expect(page.getByRole('status').filter({ hasText: `Saved ${name}.` })).toBeVisible()
      await page.getByRole('button', { name: `Start ${name}` }).click()
    }
    await expect(instances.getByRole('row').filter({ hasText: 'active' })).toHaveCount(2)

    // Ether proposes, its rationale naming the conditions that held, with the release shown beside it.
    await page.getByRole('button', { name: 'Trade Ideas', exact: true }).click()
    const ether = page.getByTestId('queue').locator('.queue-row').filter({ hasText: 'ETH-EUR' }).first()
    await expect(ether).toBeVisible({ timeout: 120_000 })
    await ether.click()
    const detail = page.getByTestId('idea-detail')
    await expect(detail.getByTestId('idea-rationale')).toContainText(
      /^(Long: crosses_above|Short: crosses_below)\(ema\(3\), ema\(8\)\) \(ema\(3\) [\d.]+, ema\(8\) [\d.]+\)\. /,
    )
    await expect(detail.getByTestId('idea-rationale')).toContainText(
      'No high-impact ETH or EUR event is within 120 minutes.',
    )
    await expect(detail.getByTestId('idea-events')).toContainText('Non-Farm Payrolls')
    await page.screenshot({ path: 'test-results/seed-rules-idea.png', fullPage: true })
    // Bitcoin never waits for anyone: each of its ideas is withheld, in Decision History with the reason.
    await expect(page.getByTestId('queue')).not.toContainText('BTC-USD')

    await page.getByRole('button', { name: 'Decision History', exact: true }).click()
    const withheld = page.getByTestId('history-rows').getByRole('button').filter({ hasText: 'withheld' })
    // The history shows what was there when it was opened; Apply reads it again, as a trader would.
    await expect(async () => {
      await page.getByRole('button', { name: 'Apply', exact: true }).click()
      await expect(withheld.first()).toBeVisible({ timeout: 2_000 })
    }).toPass({ timeout: 90_000 })
    await withheld.first().click()
    await expect(page.getByTestId('decision-detail')).toContainText(`BTC-USD at`)
    await expect(page.getByTestId('decision-detail')).toContainText(
      `withheld: a high-impact USD event, Non-Farm Payrolls, at ${release.toISOString().slice(11, 16)} UTC, is within 120 minutes.`,
    )
    await page.screenshot({ path: 'test-results/seed-rules-withheld.png', fullPage: true })

    await page.getByRole('button', { name: 'Strategies', exact: true }).click()
    for (const name of ['Payrolls watch BTC-USD', 'Ether rules ETH-EUR']) {
      await page.getByRole('button', { name: `Stop ${name}` }).click()
      await instances.getByRole('button', { name: `Confirm stop ${name}` }).click()
    }
    await expect(instances.getByRole('row').filter({ hasText: 'active' })).toHaveCount(0)
  })
})
