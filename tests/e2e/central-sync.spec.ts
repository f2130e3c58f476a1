import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import Database from 'better-sqlite3'
import { startSeededBrowserMode } from '../helpers/browser-mode'
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server'
import { browserModeSuite } from './browser-mode-suite'
import { LATEST_VERSION } from './schema-version'

test.describe('central PostgreSQL: connect, migrate, replicate', () => {
  const suite = browserModeSuite(startSeededBrowserMode)
  let server: PostgresServer
  let port: number

  test.beforeAll(async () => {
    server = await startPostgresServer()
    port = server.port
    await server.createDatabase('central')
  })

  test.afterAll(async () => {
    await server?.destroy()
  })

  test('connects from Settings, migrates, copies the desk, survives the server going away, and verifies', async ({
    page,
  }) => {
    test.setTimeout(120_000)
    await page.goto(suite.app.url)
    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    const form = page.getByRole('form', { name: 'PostgreSQL connection' })
    await expect(form).toContainText('Not connected')
    await form.getByLabel('Host').fill('127.0.0.1')
    await form.getByLabel('Port').fill(String(port))
    await form.getByLabel('Database').fill('central')
    await form.getByLabel('User').fill('postgres')
    await form.getByLabel('SSL mode').selectOption('disable')
    await form.getByLabel('Password').fill('postgres')
    await form.getByRole('button', { name: 'Test connection' }).click()
    await expect(form.getByRole('status')).toContainText('this role may create tables')
    await form.getByRole('button', { name: 'Save connection' }).click()
    await expect(form.getByRole('status')).toContainText('The password is sealed')

    await page.getByRole('button', { name: 'Database', exact: true }).click()
    const central = page.getByRole('region', { name: 'Central PostgreSQL' })
    await central.getByRole('button', { name: 'Migrate' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Migrate' }).click()
    await expect(
      page.getByRole('status').filter({ hasText: `Migrated the central database from version 0 to ${LATEST_VERSION}` }),
    ).toBeVisible()
    await expect(central).toContainText(`All ${LATEST_VERSION} applied`)

    const sync = page.getByRole('region', { name: 'Replication' })
    await expect(sync.getByTestId('sync-state')).toHaveText('Not syncing')
    await sync.getByRole('button', { name: 'Start sync' }).click()
    await expect(sync.getByTestId('sync-state')).toHaveText('Up to date', { timeout: 30_000 })
    await expect(sync).toContainText('Initial copy finished')
    await sync.getByRole('button', { name: 'Verify now' }).click()
    await expect(sync.getByRole('status')).toContainText('Every table matches')
    await expect(sync.getByRole('table', { name: 'Verification' })).toContainText('trade_ideas')
    await page.screenshot({ path: 'test-results/database-sync.png', fullPage: true })

    // The server goes away: the panel says so, changes wait in the outbox, and it catches up on its own.
    await server.stop()
    await sync.getByRole('button', { name: 'Pause sync' }).click()
    await expect(sync.getByTestId('sync-state')).toHaveText('Paused')
    await sync.getByRole('button', { name: 'Resume sync' }).click()
    await expect(sync.getByTestId('sync-state')).toHaveText('Retrying', { timeout: 30_000 })
    await expect(sync.getByTestId('sync-error')).toContainText('No PostgreSQL server answered')
    await page.screenshot({ path: 'test-results/database-sync-retrying.png', fullPage: true })
    await server.start()
    await expect(sync.getByTestId('sync-state')).toHaveText('Up to date', { timeout: 60_000 })
    await expect(sync.getByTestId('sync-lag')).toContainText('0 rows')

    // A restore from the central copy needs a user id, and says what it will do before it does it.
    const restore = sync.getByRole('form', { name: 'Restore from the central database' })
    await restore.getByLabel('User id to rebuild this desk for').fill('not-an-id')
    await expect(restore).toContainText('must be a user id')
    await expect(restore.getByRole('button', { name: 'Restore from central…' })).toBeDisabled()
    const db = new Database(join(suite.dataDir, 'tradedeck.sqlite'), { readonly: true })
    const userId = db.prepare('SELECT id FROM users ORDER BY created_at LIMIT 1').pluck().get() as string
    db.close()
    await restore.getByLabel('User id to rebuild this desk for').fill(userId)
    await restore.getByRole('button', { name: 'Restore from central…' }).click()
    const dialog = page.getByRole('dialog')
    await expect(dialog).toContainText('If anything differs, nothing changes.')
    await page.screenshot({ path: 'test-results/database-restore-from-central.png' })
    await dialog.getByRole('button', { name: 'Rebuild and swap in' }).click()
    await expect(sync.getByRole('status')).toContainText('Rebuilt from the central database and swapped in', {
      timeout: 30_000,
    })
    await expect(page.getByRole('table', { name: 'Backup list' })).toContainText('Built from the central database')
    await expect(sync.getByTestId('sync-state')).toHaveText('Up to date', { timeout: 30_000 })
  })
})
