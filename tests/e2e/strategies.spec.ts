import { expect, test, type Page } from '@playwright/test'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { browserModeSuite } from './browser-mode-suite'
import { startBrowserMode, type RunningBrowserMode } from '../helpers/browser-mode'
import { candleCsv } from '../helpers/candle-csv'

function ideasStored(dataDir: string): number {
  const db = new Database(join(dataDir, 'tradedeck.sqlite'), { readonly: true, fileMustExist: true })
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM trade_ideas').get() as { n: number }).n
  } finally {
    db.close()
  }
}

async function openStrategies(page: Page, app: RunningBrowserMode) {
  await page.goto(app.url)
  await page.getByRole('button', { name: 'Strategies', exact: true }).click()
}

test.describe('strategy runtime in browser mode', () => {
  const suite = browserModeSuite()

  test('as a new user: a started strategy proposes live ideas, the first one is approved with A, and it resumes by itself after the app is killed', async ({
    page,
    context,
  }) => {
    test.setTimeout(420_000)
    await context.grantPermissions(['notifications'], { origin: suite.app.origin })
    // Records the desktop notifications the page raises, and still shows them.
    await page.addInitScript({
      content: `
        const Native = window.Notification
        window.shownNotifications = []
        window.Notification = class extends Native {
          constructor(title, options) {
            super(title, options)
            window.shownNotifications.push(title)
          }
        }`,
    })
    await openStrategies(page, suite.app)
    await expect(page.getByText('No strategy instances yet.')).toBeVisible()

    const form = page.getByRole('form', { name: 'New strategy instance' })
    await form.getByLabel('Strategy kind').selectOption({ label: 'EMA crossover' })
    // A paper instance starts on 15 s candles, long enough for a person; one-second candles are warned about.
    await expect(form.getByLabel('Candle length')).toHaveValue('15s')
    await expect(form.getByTestId('short-lived-warning')).toHaveCount(0)
    await form.getByLabel('Candle length').selectOption('1s')
    await expect(form.getByTestId('short-lived-warning')).toContainText('Ideas that wait for you will last about 3 s')
    const fastPeriod = form.getByLabel('Fast EMA period')
    await fastPeriod.fill('fast')
    await form.getByRole('button', { name: 'Create instance' }).click()
    // A wrong value is named next to its field, and what was typed stays.
    await expect(form.locator('.field.invalid')).toContainText('must be a number')
    await expect(fastPeriod).toHaveValue('fast')

    // Everything else as a new user finds it: history warms the indicators up, ideas come from live candles only.
    // A target one ATR away (the stop keeps its default) closes the approved trade within a minute or so.
    await fastPeriod.fill('8')
    await form.getByLabel('Take-profit distance in ATRs').fill('1')
    await form.getByRole('button', { name: 'Create instance' }).click()
    const instances = page.getByRole('table', { name: 'Strategy instances' })
    await expect(instances.getByRole('row')).toHaveCount(2)
    await expect(instances).toContainText('EMA crossover')
    await expect(instances).toContainText('stopped')

    await page.getByRole('button', { name: 'Start EMA crossover BTC-USD 1s' }).click()
    await expect(instances).toContainText('active')
    await expect(instances).not.toContainText('none yet', { timeout: 10_000 })

    // Ideas that arrive while the trader looks elsewhere: a toast, a desktop notification and the unread badge.
    await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(/needs? your approval/, {
      timeout: 120_000,
    })
    await expect(page.locator('#unread-ideas')).toBeVisible()
    await expect.poll(() => page.evaluate<number>('window.shownNotifications.length')).toBeGreaterThan(0)
    expect(await page.evaluate<string>('window.shownNotifications[0]')).toMatch(
      /^(long|short) BTC-USD needs your approval$/,
    )
    await page.getByRole('button', { name: 'Trade Ideas', exact: true }).click()
    await expect(page.locator('#unread-ideas')).toBeHidden()
    const queue = page.getByTestId('queue').locator('.queue-row:not(.departed)')
    const detail = page.getByTestId('idea-detail')
    // On one-second candles an idea may leave the queue within seconds: the trader takes the newest waiting one,
    // looks (the guard time), and presses A; one the market took away meanwhile says so and is passed over.
    for (let attempt = 0; ; attempt++) {
      expect(attempt).toBeLessThan(10)
      await expect(queue.first()).toBeVisible({ timeout: 120_000 })
      await queue.first().click()
      // What the trader weighs: the countdown and the price against the entry range.
      if (attempt === 0) await page.screenshot({ path: 'test-results/trade-idea-waiting.png', fullPage: true })
      await expect(detail)
        .toHaveAttribute('data-settled', 'true')
        .catch(() => undefined)
      await page.keyboard.press('a')
      const approved = page.getByRole('alert').filter({ hasText: 'Approved' })
      await expect(approved.or(page.getByTestId('idea-departed')).first()).toBeVisible()
      if (await approved.isVisible()) break
    }
    await expect(detail).toContainText('EMA')
    await page.screenshot({ path: 'test-results/trade-idea-approved.png', fullPage: true })

    // Another idea is rejected with a note, and the note is in the decision history. Typing a note takes a
    // moment, and the live market may take the idea out of the queue meanwhile; the refusal says so.
    for (let attempt = 0; ; attempt++) {
      expect(attempt).toBeLessThan(5)
      await expect(queue.first()).toBeVisible({ timeout: 120_000 })
      await queue.first().click()
      const rejected = page.getByRole('alert').filter({ hasText: /Rejected|Cannot reject this idea: it is expired/ })
      try {
        await page.getByLabel('Note (optional)').fill('Too close to the session open', { timeout: 5_000 })
        await page.getByRole('button', { name: /^Reject/ }).click({ timeout: 5_000 })
        await page.getByRole('button', { name: /^Yes, reject/ }).click({ timeout: 5_000 })
        await expect(rejected.or(page.getByTestId('idea-departed')).first()).toBeVisible()
      } catch {
        // The idea left the queue while the note was typed: its detail now says why, and the trader takes the next.
        continue
      }
      if ((await rejected.textContent().catch(() => ''))?.includes('Rejected')) break
    }
    await expect(
      page.getByTestId('idea-chart').locator('canvas').first().or(page.getByTestId('queue-empty')),
    ).toBeVisible()
    await page.getByRole('button', { name: 'Decision History', exact: true }).click()
    await page.getByLabel('Action').selectOption('human_rejected')
    await page.getByLabel('Text').fill('session open')
    await page.getByRole('button', { name: 'Apply' }).click()
    const history = page.getByTestId('history-rows').getByRole('button')
    await expect(history).toHaveCount(1)
    await history.first().click()
    await expect(page.getByTestId('decision-detail')).toContainText('Too close to the session open')
    await expect(page.getByTestId('decision-detail')).toContainText(
      'now rejected (note: Too close to the session open)',
    )
    await expect(page.getByTestId('decision-detail').getByTestId('idea-chart')).toBeVisible()

    // The approved idea fills on the paper broker and closes at its stop or target.
    await page.getByRole('button', { name: 'Overview', exact: true }).click()
    const book = page.getByRole('region', { name: 'Positions and trades' })
    await expect(
      book
        .getByRole('table', { name: 'Open positions' })
        .or(book.getByRole('table', { name: 'Recent trades' }))
        .first(),
    ).toContainText('BTC-USD', { timeout: 60_000 })
    // How soon the synthetic market reaches a stop or target 1–3 ATRs away varies from run to run; one run took over two minutes.
    await expect(book.getByRole('table', { name: 'Recent trades' })).toContainText('BTC-USD', { timeout: 240_000 })
    await expect(book.getByRole('table', { name: 'Recent trades' })).toContainText(/target|stop/)
    await page.screenshot({ path: 'test-results/overview-trade.png', fullPage: true })
    await page.getByRole('button', { name: 'Decision History', exact: true }).click()
    await page.getByLabel('Action').selectOption('order_filled')
    await page.getByLabel('Strategy').selectOption({ label: 'EMA crossover BTC-USD 1s' })
    await page.getByLabel('Text').fill('')
    await page.getByRole('button', { name: 'Apply' }).click()
    await history.first().click()
    await expect(page.getByTestId('decision-order')).toContainText(/filled 1 at [\d,]+\.\d{2} \(fee \d+\.\d{2}\)/)
    await page.screenshot({ path: 'test-results/decision-history-fill.png', fullPage: true })

    await page.getByRole('button', { name: 'Strategies', exact: true }).click()
    await page.getByRole('button', { name: 'Logs of EMA crossover BTC-USD 1s' }).click()
    await expect(page.getByRole('complementary', { name: 'Logs of EMA crossover BTC-USD 1s' })).toContainText('Started')
    await page.screenshot({ path: 'test-results/strategies.png', fullPage: true })

    const beforeKill = ideasStored(suite.dataDir)
    expect(beforeKill).toBeGreaterThan(0)
    await suite.app.stop('SIGKILL')

    suite.app = await startBrowserMode(suite.dataDir)
    await openStrategies(page, suite.app)
    await expect(instances).toContainText('resumed after restart')
    await expect(instances).toContainText('active')
    await expect.poll(() => ideasStored(suite.dataDir), { timeout: 120_000 }).toBeGreaterThan(beforeKill)
    await page.screenshot({ path: 'test-results/strategies-resumed.png', fullPage: true })
    await page.getByRole('button', { name: 'Overview', exact: true }).click()
    await expect(page.getByRole('region', { name: 'Running strategies' })).toContainText('EMA crossover BTC-USD 1s')
    await expect(page.getByTestId('equity-chart')).toBeVisible({ timeout: 30_000 })
    await page.screenshot({ path: 'test-results/overview-running.png', fullPage: true })
    await page.getByRole('button', { name: 'Strategies', exact: true }).click()

    await page.getByRole('button', { name: 'Stop EMA crossover BTC-USD 1s' }).click()
    await page.getByRole('button', { name: 'Confirm stop EMA crossover BTC-USD 1s' }).click()
    await expect(instances).toContainText('stopped')
  })
})

test.describe('candle import', () => {
  const suite = browserModeSuite()

  test('names every wrong line and imports nothing, then imports a good file', async ({ page }) => {
    await openStrategies(page, suite.app)
    const section = page.getByRole('region', { name: 'Import candles from CSV' })
    const header = 'timestamp,open,high,low,close,volume'
    const bad = [
      header,
      '2026-01-01T00:00:00Z,100,101,99,100.5,10',
      '2026-01-01T00:01:00Z,100,99,101,100,10',
      'yesterday,1,1,1,1,1',
    ].join('\n')
    await section
      .getByLabel('CSV file')
      .setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) })
    const outcome = section.getByRole('status')
    await expect(outcome).toContainText('line 3')
    await expect(outcome).toContainText('line 4')
    await page.screenshot({ path: 'test-results/csv-import-errors.png', fullPage: true })

    const good = [header, '2026-01-01T00:00:00Z,100,101,99,100.5,10', '2026-01-01T00:01:00Z,100.5,102,100,101,12'].join(
      '\n',
    )
    await section
      .getByLabel('CSV file')
      .setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) })
    await expect(outcome).toContainText('Imported 2 candles of BTC-USD 1m')
  })

  test('streams a 1.1 MB file of 25,000 candles to the server with a progress bar, and the app carries on', async ({
    page,
  }) => {
    await openStrategies(page, suite.app)
    const section = page.getByRole('region', { name: 'Import candles from CSV' })
    await section.getByLabel('Instrument').fill('ETH-USD')
    const csv = candleCsv(25_000)
    expect(csv.length).toBeGreaterThan(1_100_000)
    await section
      .getByLabel('CSV file')
      .setInputFiles({ name: 'eth-1m.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await expect(section.getByRole('status')).toContainText(
      'Imported 25,000 candles of ETH-USD 1m (2025-01-01T00:00:00.000Z to 2025-01-18T08:39:00.000Z)',
      { timeout: 60_000 },
    )
    await page.screenshot({ path: 'test-results/csv-import-large.png', fullPage: true })
    expect(suite.app.process.exitCode).toBeNull()
    await section
      .getByLabel('CSV file')
      .setInputFiles({ name: 'eth-1m.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await expect(section.getByRole('status')).toContainText('0 candles of ETH-USD 1m')
    await expect(section.getByRole('status')).toContainText('25,000 were already stored')
  })
})

test.describe('strategy instances as the trader keeps them', () => {
  const suite = browserModeSuite()

  test('names an instance, edits it while stopped, shows only the settings that apply, and deletes it', async ({
    page,
  }) => {
    await openStrategies(page, suite.app)
    const form = page.getByRole('form', { name: 'New strategy instance' })
    await form.getByLabel('Strategy kind').selectOption({ label: 'Donchian breakout' })
    await form.getByLabel('Instrument').fill('ETH-USD')
    // The name it gets unless the trader types one: kind, symbol and candle length.
    await expect(form.getByLabel('Name', { exact: true })).toHaveAttribute(
      'placeholder',
      'Donchian breakout ETH-USD 15s',
    )
    // On paper the synthetic market's settings apply; on an exchange they do not, and sizing by risk hides the fixed size.
    await expect(form.getByLabel('Seed of the synthetic market')).toBeVisible()
    await form.getByLabel(/How each idea is sized/).selectOption('risk')
    await expect(form.getByLabel('Size of each idea, when sized by a fixed quantity')).toHaveCount(0)
    await expect(form.getByLabel(/When sized by risk/)).toBeVisible()
    await form.getByLabel(/How each idea is sized/).selectOption('fixed')
    await form.getByLabel('Venue').selectOption({ label: 'Bybit testnet' })
    await expect(form.getByLabel('Seed of the synthetic market')).toHaveCount(0)
    await expect(form.getByLabel(/Market feed on paper/)).toHaveCount(0)
    await form.getByLabel('Venue').selectOption({ label: 'Paper (simulated fills)' })
    await form.getByLabel('Name', { exact: true }).fill('ETH breakout desk')
    await form.getByRole('button', { name: 'Create instance' }).click()

    const instances = page.getByRole('table', { name: 'Strategy instances' })
    const row = instances.getByRole('row').filter({ hasText: 'ETH breakout desk' })
    // An exchange's shortest candle is a minute, so visiting one moved the candle length to 1m.
    for (const text of ['Donchian breakout', 'ETH-USD', '1m', 'Paper', 'paper', 'stopped'])
      await expect(row).toContainText(text)
    for (const header of ['Name', 'Kind', 'Symbol', 'Candle', 'Venue', 'Environment'])
      await expect(instances.getByRole('columnheader', { name: header, exact: true })).toBeVisible()

    // A second instance may not take a name in use.
    await form.getByLabel('Instrument').fill('SOL-USD')
    await form.getByLabel('Name', { exact: true }).fill('eth breakout desk')
    await form.getByRole('button', { name: 'Create instance' }).click()
    await expect(form.locator('.field.invalid')).toContainText('choose another name')
    await expect(form.getByLabel('Name', { exact: true })).toHaveValue('eth breakout desk')

    await row.getByRole('button', { name: 'Edit ETH breakout desk' }).click()
    const edit = page.getByRole('form', { name: 'Edit ETH breakout desk' })
    await edit.getByLabel('Name', { exact: true }).fill('ETH breakout, 5m')
    await edit.getByLabel('Candle length').selectOption('5m')
    await edit.getByRole('button', { name: 'Save' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Saved ETH breakout, 5m.' })).toBeVisible()
    const renamed = instances.getByRole('row').filter({ hasText: 'ETH breakout, 5m' })
    await expect(renamed).toContainText('5mPaper')
    await page.screenshot({ path: 'test-results/strategies-named.png', fullPage: true })

    await renamed.getByRole('button', { name: 'Delete ETH breakout, 5m' }).click()
    await renamed.getByRole('button', { name: 'Confirm delete ETH breakout, 5m' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Deleted ETH breakout, 5m.' })).toBeVisible()
    await expect(instances).toHaveCount(0)
  })
})
