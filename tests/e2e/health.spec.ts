import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { expect, test } from '@playwright/test'
import { startBrowserMode } from '../helpers/browser-mode'
import { browserModeSuite } from './browser-mode-suite'

const BIN = join(__dirname, '..', '..', 'bin', 'tradedeck.cjs')

/** A desk with a trade idea whose strategy was deleted behind the app's back. */
async function startWithOrphan(dataDir: string) {
  execFileSync(process.execPath, [BIN, 'migrate', '--data-dir', dataDir])
  const db = new Database(join(dataDir, 'tradedeck.sqlite'))
  try {
    db.pragma('foreign_keys = OFF')
    db.exec(`INSERT INTO users (id, display_name) VALUES ('00000000-0000-7000-8000-000000000001', 'Health test');
      INSERT INTO trade_ideas (id, user_id, strategy_id, symbol, direction, entry_price, stop_loss, take_profit, size, rationale, confidence, status)
        VALUES ('00000000-0000-7000-8000-0000000000b1', '00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-00000000dead', 'BTC-USD', 'long', '100', '95', '110', '1', 'orphan', 0.5, 'expired');
      INSERT INTO error_logs (id, user_id, message) VALUES ('00000000-0000-7000-8000-0000000000f1', '00000000-0000-7000-8000-000000000001', 'The synthetic feed stopped answering.');
      INSERT INTO market_snapshots (id, symbol, timeframe, ts, open, high, low, close, volume)
        SELECT '00000000-0000-7000-8000-0000000001' || value, 'OLD-USD', '1h', strftime('%Y-%m-%dT%H:00:00.000Z', 'now', '-100 days', '+' || value || ' hours'), '1', '2', '0.5', '1.5', '10' FROM json_each('[10, 11, 12]');`)
  } finally {
    db.close()
  }
  return startBrowserMode(dataDir)
}

test.describe('database health', () => {
  const suite = browserModeSuite(startWithOrphan)

  test('the Overview counts unresolved errors, and Database → Errors resolves one with a note', async ({ page }) => {
    await page.goto(suite.app.url)
    const banner = page.getByRole('status', { name: 'Unresolved errors' })
    await expect(banner).toContainText('1 unresolved error.')
    await banner.getByRole('button', { name: 'Review them in Database → Errors' }).click()
    const errors = page.getByRole('region', { name: 'Errors' })
    const entry = errors.getByRole('listitem', { name: 'The synthetic feed stopped answering.' })
    await expect(entry).toContainText('Unresolved')
    // An empty note is refused in words, and nothing changes.
    await entry.getByRole('button', { name: 'Mark resolved' }).click()
    await expect(entry.getByRole('alert')).toContainText('write what was done about it')
    await entry.getByLabel('What was done about it').fill('Restarted the feed; candles flow again.')
    await entry.getByRole('button', { name: 'Mark resolved' }).click()
    await expect(errors).toContainText('No unresolved errors.')
    await expect(errors.locator('.pill').first()).toContainText('0 unresolved')
    await errors.getByLabel('Only unresolved').uncheck()
    await expect(errors.getByRole('listitem', { name: 'The synthetic feed stopped answering.' })).toContainText(
      'Restarted the feed; candles flow again.',
    )
    await errors.screenshot({ path: 'test-results/database-errors.png' })
  })

  test("Database → Health shows the planted orphan and says how to fix it, runs the full integrity check on request, and lists the background tasks' runs", async ({
    page,
  }) => {
    await page.goto(suite.app.url)
    await page.getByRole('button', { name: 'Database', exact: true }).click()
    const health = page.getByRole('region', { name: 'Health' })
    const orphans = health.getByRole('listitem', { name: 'Orphaned rows' })
    await expect(orphans).toContainText('Failing')
    await expect(orphans).toContainText('1 row(s) in trade_ideas point at rows that do not exist')
    await expect(orphans).toContainText('(id 00000000-0000-7000-8000-0000000000b1) points at a missing strategies row')
    await expect(orphans).toContainText('How to fix: Restore the newest backup taken before they appeared')
    await expect(health.getByRole('listitem', { name: 'Foreign-key indexes' })).toContainText('OK')
    await expect(health.locator('.panel-header .pill')).toContainText('1 failing')
    await orphans.scrollIntoViewIfNeeded()
    await health.screenshot({ path: 'test-results/database-health.png' })

    await expect(health.getByRole('listitem', { name: 'Database integrity' })).toHaveCount(0)
    await health.getByRole('button', { name: 'Full integrity check' }).click()
    await expect(health.getByRole('listitem', { name: 'Database integrity' })).toContainText('integrity_check ok')

    // Database → Tasks: the launch's backup is one of the recorded runs, and the filters narrow the list.
    const tasks = page.getByRole('region', { name: 'Tasks' })
    const runs = tasks.getByRole('table', { name: 'Task runs' })
    await expect(runs.getByRole('row').filter({ hasText: 'Scheduled backup' })).toContainText('ok')
    await tasks.getByLabel('Task', { exact: true }).selectOption('scheduled_backup')
    await expect(runs.getByRole('row')).toHaveCount(2)
    await tasks.screenshot({ path: 'test-results/database-tasks.png' })
    await tasks.getByLabel('Outcome').selectOption('failed')
    await expect(tasks).toContainText('No runs match')

    // Retention says how much goes before anything is kept shorter; cancelling keeps everything.
    const retention = tasks.getByRole('form', { name: 'Market data retention' })
    // A sentence: "Keep candles and indicator values for ever", or "for a number of days: 30 days".
    await expect(retention.getByLabel('How long market data is kept')).toHaveValue('forever')
    await expect(retention.getByLabel('Days of market data kept')).toHaveCount(0)
    await retention.getByLabel('How long market data is kept').selectOption('days')
    await retention.getByLabel('Days of market data kept').fill('30')
    await retention.getByRole('button', { name: 'Save' }).click()
    const confirm = page.getByRole('dialog', { name: 'Keep 30 days of market data?' })
    await expect(confirm).toContainText('deletes 3 candles and 0 indicator values from before')
    await confirm.screenshot({ path: 'test-results/database-retention-confirm.png' })
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    await expect(confirm).toHaveCount(0)
    await expect(retention.getByRole('status')).toHaveCount(0)
    await retention.getByRole('button', { name: 'Save' }).click()
    await page
      .getByRole('dialog', { name: 'Keep 30 days of market data?' })
      .getByRole('button', { name: 'Keep 30 days' })
      .click()
    await expect(retention.getByRole('status')).toContainText('older than 30 days go')
  })
})
