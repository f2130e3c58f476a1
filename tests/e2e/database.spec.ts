import { expect, test } from '@playwright/test'
import { browserModeSuite } from './browser-mode-suite'
import { LATEST_VERSION, LATEST_MIGRATION } from './schema-version'

test.describe('database page', () => {
  const suite = browserModeSuite()

  test('backs up, restores with undo, and rolls back the last migration, each after saying what will happen', async ({ page }) => {
    await page.goto(suite.app.url)
    await page.getByRole('button', { name: 'Database', exact: true }).click()
    const schema = page.getByRole('region', { name: 'Schema status' })
    await expect(schema).toContainText(`All ${LATEST_VERSION} applied`)
    await expect(schema).toContainText('tradedeck.sqlite')

    const list = page.getByRole('table', { name: 'Backup list' })
    // The daily backup was taken at launch.
    await expect(list.getByRole('row')).toHaveCount(2)
    await expect(list).toContainText('Daily')
    await page.getByRole('button', { name: 'Back up now' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Backed up and verified' })).toBeVisible()
    await expect(list.getByRole('row')).toHaveCount(3)
    await expect(list.getByRole('row').nth(1)).toContainText('By hand')
    await expect(list.getByRole('row').nth(1)).toContainText('verified')
    await page.screenshot({ path: 'test-results/database.png', fullPage: true })

    await list.getByRole('row').nth(1).getByRole('button', { name: /^Verify/ }).click()
    await expect(page.getByRole('status').filter({ hasText: 'is intact' })).toBeVisible()

    await list.getByRole('row').nth(1).getByRole('button', { name: /^Restore/ }).click()
    const dialog = page.getByRole('dialog')
    await expect(dialog).toContainText('The current database is backed up (a pre-restore backup)')
    await page.screenshot({ path: 'test-results/database-restore-dialog.png' })
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(dialog).toBeHidden()
    await expect(list.getByRole('row')).toHaveCount(3)

    await list.getByRole('row').nth(1).getByRole('button', { name: /^Restore/ }).click()
    await dialog.getByRole('button', { name: 'Restore this backup' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Restored tradedeck-' })).toBeVisible()
    await expect(list.getByRole('row')).toHaveCount(4)
    await expect(list.getByRole('row').nth(1)).toContainText('Before a restore')

    await page.getByRole('button', { name: 'Undo last restore' }).click()
    await expect(dialog).toContainText('this undo can be undone too')
    await dialog.getByRole('button', { name: 'Undo restore' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Put back tradedeck-' })).toBeVisible()

    await page.getByRole('button', { name: 'Roll back last migration…' }).click()
    await expect(dialog).toContainText('A pre-rollback backup of the whole database is taken first.')
    await expect(dialog.getByRole('button', { name: 'Roll back' })).toBeDisabled()
    await dialog.getByRole('checkbox').check()
    await dialog.getByRole('button', { name: 'Roll back' }).click()
    const recovery = page.getByTestId('recovery-screen')
    await expect(recovery).toContainText(`Rolled back ${LATEST_MIGRATION} as asked`)
    await page.screenshot({ path: 'test-results/database-rolled-back.png', fullPage: true })
    await page.getByRole('button', { name: 'Retry' }).click()
    await expect(recovery).toBeHidden()
    await page.getByRole('button', { name: 'Database', exact: true }).click()
    await expect(schema).toContainText(`All ${LATEST_VERSION} applied`)
    await expect(list).toContainText('Before a rollback')
  })
})
