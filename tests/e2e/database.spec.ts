import { expect, test } from '@playwright/test'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { browserModeSuite } from './browser-mode-suite'
import { LATEST_VERSION, LATEST_MIGRATION } from './schema-version'

test.describe('database page', () => {
  const suite = browserModeSuite()

  /** The instance's last heartbeat as the core wrote it (ms since the epoch; 0 before the first). */
  const heartbeatOf = (instrument: string) => {
    const db = new Database(join(suite.dataDir, 'tradedeck.sqlite'), { readonly: true, fileMustExist: true })
    try {
      const row = db.prepare('SELECT last_heartbeat AS at FROM strategies WHERE instrument = ?').get(instrument) as
        { at: string | null } | undefined
      return row?.at ? Date.parse(row.at) : 0
    } finally {
      db.close()
    }
  }

  test('backs up, restores with undo, and rolls back the last migration, each after saying what will happen; a running strategy runs again after Retry', async ({
    page,
  }) => {
    test.setTimeout(120_000)
    await page.goto(suite.app.url)
    // A running strategy, started by hand: its result message belongs to the Strategies page.
    await page.getByRole('button', { name: 'Strategies', exact: true }).click()
    const form = page.getByRole('form', { name: 'New strategy instance' })
    await form.getByLabel('Instrument').fill('DB-USD')
    await form.getByLabel('Candle length').selectOption('1s')
    await form.getByRole('button', { name: 'Create instance' }).click()
    await page.getByRole('button', { name: 'Start EMA crossover DB-USD 1s' }).click()
    const started = page.getByRole('status').filter({ hasText: 'Started EMA crossover DB-USD 1s' })
    await expect(started).toBeVisible()
    await expect.poll(() => heartbeatOf('DB-USD')).toBeGreaterThan(0)
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
    // Health reads again after the operation, without "Check again": its newest backup is the one just taken.
    await expect(page.getByRole('listitem', { name: 'Newest backup' })).toContainText('(manual,')
    await expect(list.getByRole('row').nth(1)).toContainText('verified')
    await page.screenshot({ path: 'test-results/database.png', fullPage: true })

    await list
      .getByRole('row')
      .nth(1)
      .getByRole('button', { name: /^Verify/ })
      .click()
    // The result shows in the Backups panel, beside the button that asked for it.
    await expect(
      page.getByRole('region', { name: 'Backups' }).getByRole('status').filter({ hasText: 'is intact' }),
    ).toBeVisible()

    await list
      .getByRole('row')
      .nth(1)
      .getByRole('button', { name: /^Restore/ })
      .click()
    const dialog = page.getByRole('dialog')
    await expect(dialog).toContainText('The current database is backed up (a pre-restore backup)')
    await page.screenshot({ path: 'test-results/database-restore-dialog.png' })
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(dialog).toBeHidden()
    await expect(list.getByRole('row')).toHaveCount(3)

    await list
      .getByRole('row')
      .nth(1)
      .getByRole('button', { name: /^Restore/ })
      .click()
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
    // What changed, in words: no table definitions.
    await expect(recovery).toContainText('Table decision_history: its constraints changed')
    await expect(recovery).not.toContainText('CREATE TABLE')
    await page.screenshot({ path: 'test-results/database-rolled-back.png', fullPage: true })
    const retriedAt = Date.now()
    await page.getByRole('button', { name: 'Retry' }).click()
    await expect(recovery).toBeHidden()
    await page.getByRole('button', { name: 'Database', exact: true }).click()
    await expect(schema).toContainText(`All ${LATEST_VERSION} applied`)
    await expect(list).toContainText('Before a rollback')

    // "Active" means running: after the rollback and Retry the instance has a worker again and a fresh heartbeat.
    await expect.poll(() => heartbeatOf('DB-USD'), { timeout: 30_000 }).toBeGreaterThan(retriedAt)
    await page.getByRole('button', { name: 'Strategies', exact: true }).click()
    const row = page.getByRole('table', { name: 'Strategy instances' }).getByRole('row').filter({ hasText: 'DB-USD' })
    await expect(row).toContainText('active')
    await expect(row).not.toContainText('not running')
    // The old "Started…" message went with the page change and the restores; it does not come back.
    await expect(started).toHaveCount(0)
  })
})
