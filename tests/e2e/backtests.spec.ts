import { expect, test } from '@playwright/test'
import { browserModeSuite } from './browser-mode-suite'

test.describe('backtests page', () => {
  const suite = browserModeSuite()

  test('runs a backtest with a progress bar, shows its figures, charts and trades, and compares two runs', async ({
    page,
  }) => {
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text())
    })
    await page.goto(suite.app.url)
    await page.getByRole('button', { name: 'Backtests', exact: true }).click()
    await expect(page.getByRole('heading', { name: 'Backtests', level: 1 })).toBeVisible()
    const form = page.getByRole('form', { name: 'New backtest' })

    // A wrong value is named, and what was typed stays.
    await form.getByLabel('Number of candles').fill('5')
    await form.getByRole('button', { name: 'Run backtest' }).click()
    await expect(form.locator('.field.invalid')).toContainText('run at least 10 candles')
    await expect(form.getByLabel('Number of candles')).toHaveValue('5')

    // A long run shows its progress and can be cancelled; nothing is stored.
    await form.getByLabel('Number of candles').fill('3000000')
    await form.getByRole('button', { name: 'Run backtest' }).click()
    const progress = form.getByRole('progressbar', { name: 'Backtest progress' })
    await expect(progress).toBeVisible()
    await expect(progress).not.toHaveAttribute('aria-valuenow', '0')
    await page.screenshot({ path: 'test-results/backtest-running.png', fullPage: true })
    await form.getByRole('button', { name: 'Cancel' }).click()
    await expect(page.getByRole('alert')).toContainText('cancelled')
    await expect(page.getByRole('region', { name: 'Backtest runs' })).toContainText('No backtests yet')

    await form.getByLabel('Number of candles').fill('50000')
    await form.getByRole('button', { name: 'Run backtest' }).click()
    await expect(page.locator('.outcome')).toContainText('Stored “EMA crossover · BTC-USD 1m · seed 42”')
    const detail = page.getByRole('region', { name: 'Backtest EMA crossover · BTC-USD 1m · seed 42' })
    await expect(detail.getByTestId('backtest-stats')).toContainText('Sharpe (annualised)')
    await expect(detail.getByTestId('backtest-equity').locator('canvas').first()).toBeVisible()
    await expect(detail.getByTestId('backtest-candles').locator('canvas').first()).toBeVisible()
    expect(await detail.getByRole('table', { name: 'Backtest trades' }).getByRole('row').count()).toBeGreaterThan(10)
    await detail.scrollIntoViewIfNeeded()
    await page.screenshot({ path: 'test-results/backtest-detail.png', fullPage: true })

    await detail.getByRole('button', { name: 'Export trades (CSV)' }).click()
    await expect(page.locator('.outcome')).toContainText('backtest-trades-')

    // The kind's own settings and the capital, from the same form as the Strategies page's; the synthetic BTC trades
    // near its usual level.
    await expect(form.getByLabel('Fast EMA period')).toHaveValue('5')
    await expect(form.getByLabel(/Minutes an idea waits/)).toHaveCount(0)
    await form.getByLabel('Fast EMA period').fill('8')
    await form.getByLabel('Starting capital').fill('5000')
    await form.getByLabel('Number of candles').fill('20000')
    await form.getByLabel('Seed', { exact: true }).fill('7')
    await form.getByLabel('Name (optional)').fill('Seed seven')
    await form.getByRole('button', { name: 'Run backtest' }).click()
    await expect(page.locator('.outcome')).toContainText('Stored “Seed seven”')
    const seven = page.getByRole('region', { name: 'Backtest Seed seven' })
    const sevenTrades = seven.getByRole('table', { name: 'Backtest trades' })
    // The run's detail loads after its outcome shows: wait for its trades before reading them.
    await expect(sevenTrades.locator('tbody tr').first()).toBeVisible()
    const prices = await sevenTrades.locator('tbody tr td:nth-child(4)').allTextContents()
    expect(prices.length).toBeGreaterThan(0)
    for (const text of prices) expect(Number(text.split(' → ')[0]!.replace(/,/g, ''))).toBeGreaterThan(10_000)
    const runs = page.getByRole('table', { name: 'Backtest runs' })
    await expect(runs.getByRole('row')).toHaveCount(3)
    await runs.getByRole('checkbox', { name: 'Compare Seed seven' }).check()
    await runs.getByRole('checkbox', { name: 'Compare EMA crossover · BTC-USD 1m · seed 42' }).check()
    const comparison = page.getByRole('table', { name: 'Backtest comparison' })
    await expect(comparison.getByRole('columnheader')).toHaveText([
      'Figure',
      'Seed seven',
      'EMA crossover · BTC-USD 1m · seed 42',
    ])
    await expect(comparison.getByRole('row', { name: /Net P&L/ })).toBeVisible()
    await expect(comparison.getByRole('row', { name: /Starting capital/ })).toContainText('5,000.00')
    // Two weeks of minutes say nothing of a year: the shorter run's Sharpe is not shown as a figure.
    await expect(comparison.getByRole('row', { name: /Sharpe/ })).toContainText(
      'not meaningful (13.9 days; needs 30 days)',
    )
    await expect(page.getByTestId('backtest-compare-chart').locator('canvas').first()).toBeVisible()
    await page
      .getByRole('region', { name: 'Compare backtests' })
      .screenshot({ path: 'test-results/backtest-compare.png' })
    expect(errors).toEqual([])
  })
})
