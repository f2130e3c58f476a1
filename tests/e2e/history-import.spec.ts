import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { writeFreqtradeDatabase } from '../helpers/freqtrade-db'
import { browserModeSuite } from './browser-mode-suite'

test.describe('importing trade history', () => {
  const suite = browserModeSuite()

  test('a second profile, created and shown from the sidebar, imports a Freqtrade file through Settings (dry run, then import); its trades show on its Overview and in its Decision History, and not in the first profile', async ({
    page,
  }) => {
    const file = join(suite.dataDir, '..', `tradesv3-${Date.now()}.sqlite`)
    writeFreqtradeDatabase(file, [
      { id: 1, pair: 'BTC/USDT', openRate: 60000, closeRate: 61200, amount: 0.01, exitReason: 'roi' },
      { id: 2, pair: 'ETH/USDT', isShort: true, openRate: 3000, closeRate: 3100, amount: 1, exitReason: 'stop_loss' },
      { id: 3, pair: 'SOL/USDT', closeRate: null },
      { id: 4, pair: 'XRP/USDT', isOpen: true },
    ])
    await page.goto(suite.app.url)
    // A second trader on this desk: created from the sidebar, and shown in this window at once.
    await page.getByRole('button', { name: 'New profile' }).click()
    await page.getByRole('form', { name: 'New profile' }).getByLabel('Profile name').fill('Local profile')
    await page.getByRole('button', { name: 'Create and show' }).click()
    await expect(page.getByRole('form', { name: 'New profile' }).getByRole('alert')).toContainText(
      'A profile is already called Local profile',
    )
    await page.getByRole('form', { name: 'New profile' }).getByLabel('Profile name').fill('Freqtrade history')
    await page.getByRole('button', { name: 'Create and show' }).click()
    await expect(page.getByLabel('Profile', { exact: true })).toHaveValue(/[0-9a-f-]{36}/)
    await expect(page.getByLabel('Profile', { exact: true }).locator('option:checked')).toHaveText('Freqtrade history')

    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    await expect(page.getByRole('region', { name: 'Profile and data' })).toContainText('Freqtrade history')
    const panel = page.getByRole('region', { name: 'Import trade history' })
    await panel.getByLabel('File to import').setInputFiles(file)

    const dryRun = panel.getByLabel('Dry run')
    await expect(dryRun).toContainText('nothing has been written yet')
    const table = dryRun.getByRole('table', { name: 'What the file holds' })
    await expect(table.getByRole('row', { name: /Closed trades/ })).toHaveText(/Closed trades\s*2\s*0\s*1/)
    await expect(table.getByRole('row', { name: /Orders/ })).toHaveText(/Orders\s*4\s*0\s*2/)
    await expect(dryRun).toContainText('Left out: 1 trade still open in Freqtrade')
    await expect(dryRun.getByRole('list', { name: 'Problems in the file' })).toContainText(
      'trades row 3, close_rate: must be a number',
    )
    await panel.scrollIntoViewIfNeeded()
    await panel.screenshot({ path: 'test-results/import-dry-run.png' })

    // The file holds invalid records: nothing is imported until the trader chooses to leave them out.
    const importButton = dryRun.getByRole('button', { name: 'Import 4 orders, 4 fills and 2 closed trades' })
    await expect(importButton).toBeDisabled()
    await dryRun.getByLabel(/Leave out the \d+ invalid records/).check()
    await importButton.click()
    await expect(panel.getByRole('status')).toContainText(
      'Imported 4 orders, 4 fills and 2 closed trades from tradesv3-',
    )
    await expect(panel.getByRole('status')).toContainText('after a backup (tradedeck-')

    await page.getByRole('button', { name: 'Overview', exact: true }).click()
    const trades = page.getByRole('table', { name: 'Recent trades' })
    await expect(trades.getByRole('row').filter({ hasText: 'BTC/USDT' })).toContainText('imported: tradesv3-')
    await expect(trades.getByRole('row').filter({ hasText: 'ETH/USDT' })).toContainText('short')
    const imported = page.getByRole('region', { name: 'Imported history' })
    await expect(imported).toContainText('2 closed trades from other systems')
    await expect(imported.getByRole('table', { name: 'Imported sources' })).toContainText('tradesv3-')

    await page.getByRole('button', { name: 'Decision History', exact: true }).click()
    const rows = page.getByTestId('history-rows').getByRole('button')
    await expect(rows.filter({ hasText: 'imported' })).toHaveCount(1)
    await rows.filter({ hasText: 'imported' }).click()
    await expect(page.getByTestId('decision-detail')).toContainText('trades: 2 new, 0 already here, 1 invalid')
    await expect(page.getByTestId('decision-detail')).toContainText('Left out, as the trader asked: tradesv3-')
    await page.screenshot({ path: 'test-results/import-decision.png', fullPage: true })

    // The first profile saw none of it.
    await page.getByLabel('Profile', { exact: true }).selectOption({ label: 'Local profile' })
    await expect(page.getByLabel('Profile', { exact: true }).locator('option:checked')).toHaveText('Local profile')
    await page.getByRole('button', { name: 'Overview', exact: true }).click()
    await expect(page.getByText('No closed trades yet.')).toBeVisible()
    await expect(page.getByRole('region', { name: 'Imported history' })).toHaveCount(0)

    // Deleting the imported profile: the dialog says what goes and waits for its name.
    await page.getByLabel('Profile', { exact: true }).selectOption({ label: 'Freqtrade history' })
    await expect(page.getByLabel('Profile', { exact: true }).locator('option:checked')).toHaveText('Freqtrade history')
    await page.getByRole('button', { name: 'Delete', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Delete the profile Freqtrade history?' })
    await expect(dialog).toContainText('4 orders, 2 closed trades')
    await expect(dialog.getByRole('button', { name: 'Back up, then delete' })).toBeDisabled()
    await dialog.getByLabel('Profile name to confirm').fill('Freqtrade history')
    await dialog.screenshot({ path: 'test-results/profile-delete-dialog.png' })
    await dialog.getByRole('button', { name: 'Back up, then delete' }).click()
    await expect(page.getByLabel('Profile', { exact: true }).locator('option:checked')).toHaveText('Local profile')
    await expect(page.getByLabel('Profile', { exact: true }).locator('option')).toHaveCount(1)
  })
})
