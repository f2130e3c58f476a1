import { expect, test, type Locator } from '@playwright/test'
import { browserModeSuite } from './browser-mode-suite'
import { startAwkwardMoneyBrowserMode } from '../helpers/browser-mode'

/** The texts of one column of a table, by its header. */
async function column(table: Locator, header: string): Promise<string[]> {
  const headers = await table.locator('thead th').allTextContents()
  const index = headers.findIndex((text) => text.trim() === header)
  expect(index, `${header} in ${headers.join(', ')}`).toBeGreaterThanOrEqual(0)
  return table.locator(`tbody tr td:nth-child(${index + 1}), tbody tr th:nth-child(${index + 1})`).allTextContents()
}

/** The longest run of digits after a decimal point in a text. */
const longestDecimals = (text: string) =>
  Math.max(0, ...[...text.matchAll(/\.(\d+)/g)].map((match) => match[1]!.length))

test.describe('money at the market’s precision', () => {
  const suite = browserModeSuite(startAwkwardMoneyBrowserMode)

  test('every money column shows prices at the tick, sizes at the step and P&L in the quote currency’s places', async ({
    page,
  }) => {
    await page.goto(suite.app.url)
    const positions = page.getByRole('table', { name: 'Open positions' })
    await expect(positions).toContainText('BTC-USD')
    // BTC-USD's paper instance rounds prices to 2 decimals; paper has no size step, so a size keeps its digits, never a float's noise.
    expect(await column(positions, 'Entry')).toEqual(['26,843.12'])
    expect(await column(positions, 'Stop / target')).toEqual(['26,000.10 / 28,001.00'])
    expect(await column(positions, 'Size')).toEqual(['0.3'])

    const trades = page.getByRole('table', { name: 'Recent trades' })
    await expect(trades).toContainText('tradesv3.sqlite')
    const entryExit = await column(trades, 'Entry → exit')
    const netPnl = await column(trades, 'Net P&L')
    const sizes = await column(trades, 'Size')
    // The desk's paper trade at BTC-USD's 2 decimals; the imported one has no known tick, so at most 8.
    expect(entryExit).toContain('107.10 → 108.08')
    expect(entryExit).toContain('3,120.5 → 3,000.1')
    // P&L in dollars and tethers: cents.
    expect(netPnl.sort()).toEqual(['+14.12', '-0.20'].sort())
    expect(sizes).toContain('1')
    for (const text of [...entryExit, ...sizes]) expect(longestDecimals(text), text).toBeLessThanOrEqual(8)
    for (const text of netPnl) expect(longestDecimals(text), text).toBe(2)

    const imported = page.getByRole('region', { name: 'Imported history' })
    await expect(imported).toContainText('realised P&L +14.12 after 0.75 in fees')
    for (const text of await imported.locator('.mono').allTextContents())
      expect(longestDecimals(text), text).toBeLessThanOrEqual(2)
    await page.screenshot({ path: 'test-results/money-precision.png', fullPage: true })
  })
})
