import { expect, test } from '@playwright/test'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { startBrowserMode, type RunningBrowserMode } from '../helpers/browser-mode'
import { makeTempDir } from '../helpers/temp-dir'

test.describe('launch migration failure', () => {
  let dataDir: ReturnType<typeof makeTempDir>
  let app: RunningBrowserMode

  test.beforeAll(async () => {
    dataDir = makeTempDir()
    // A table that is in the way of migration 0001 makes the launch migration fail.
    const db = new Database(join(dataDir.path, 'tradedeck.sqlite'))
    db.exec("CREATE TABLE app_meta (key TEXT); INSERT INTO app_meta VALUES ('kept')")
    db.close()
    app = await startBrowserMode(dataDir.path)
  })

  test.afterAll(async () => {
    await app.stop()
    dataDir.remove()
  })

  test('shows a recovery screen with retry, restore and diagnostics instead of crashing', async ({ page }) => {
    await page.goto(app.url)
    const screen = page.getByTestId('recovery-screen')
    await expect(screen).toBeVisible()
    await expect(screen).toContainText('failed at statement 1 of 2')
    await expect(screen).toContainText('your data is unchanged')
    await expect(page.getByRole('button', { name: 'Retry' })).toBeEnabled()
    await expect(page.getByRole('button', { name: 'Copy diagnostics' })).toBeVisible()
    await page.screenshot({ path: 'test-results/recovery.png', fullPage: true })

    await page.getByRole('button', { name: 'Restore the pre-update backup' }).click()
    await expect(page.getByText('Replace the database with the backup from before this update?')).toBeVisible()
    await page.getByRole('button', { name: 'Yes, restore' }).click()
    await expect(page.getByRole('alert')).toContainText('Restored')
    await expect(page.getByRole('alert')).toContainText('pre-restore')

    await page.getByRole('button', { name: 'Retry' }).click()
    await expect(page.getByRole('alert')).toContainText('failed again')
  })
})
