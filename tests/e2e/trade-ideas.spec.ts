import { expect, test } from '@playwright/test'
import { browserModeSuite } from './browser-mode-suite'
import { startSeededBrowserMode } from '../helpers/browser-mode'

test.describe('approval queue', () => {
  const suite = browserModeSuite(startSeededBrowserMode)

  test('approves and rejects from the keyboard, pauses approvals while halted, and updates live', async ({
    page,
    context,
  }) => {
    await page.goto(suite.app.url)
    await page.getByRole('button', { name: 'Trade Ideas', exact: true }).click()
    // Rows still waiting; a decided one stays a few seconds, greyed, with what became of it.
    const rows = page.getByTestId('queue').locator('.queue-row:not(.departed)')
    await expect(rows).toHaveCount(3)
    await expect(rows.first()).toContainText('BTC-PERP')
    const detail = page.getByTestId('idea-detail')
    await expect(detail).toContainText('EMA 12 crossed above EMA 26')
    await expect(page.getByTestId('risk-reasons')).toContainText('AI trading is off, so every idea waits for a person.')
    await page.screenshot({ path: 'test-results/trade-ideas.png', fullPage: true })

    await page.keyboard.press('j')
    await expect(detail).toContainText('Donchian 20 breakout')
    await page.keyboard.press('k')
    await expect(detail).toContainText('EMA 12 crossed')

    await expect(detail).toHaveAttribute('data-settled', 'true')
    await page.keyboard.press('a')
    await expect(page.getByRole('alert')).toContainText('Approved: long 0.5 BTC-PERP.')
    await expect(rows).toHaveCount(2)

    // The selection stays on the approved idea; J moves on.
    await page.keyboard.press('j')
    await expect(detail).toContainText('Donchian 20 breakout')
    await expect(detail).toHaveAttribute('data-settled', 'true')
    await page.keyboard.press('r')
    await expect(page.getByText('Reject this idea?')).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(page.getByText('Reject this idea?')).toBeHidden()
    await page.keyboard.press('r')
    await page.keyboard.press('Enter')
    await expect(page.getByRole('alert')).toContainText('Rejected: long 1 SOL-PERP.')
    await expect(rows).toHaveCount(1)
    await page.keyboard.press('j')

    // Another window halts trading; this window's approval is refused with the reason in plain words.
    const other = await context.newPage()
    await other.goto(`${suite.app.origin}/`)
    await other.getByRole('button', { name: 'Halt trading…' }).click()
    await other.getByLabel('Reason').fill('Exchange maintenance window')
    await other.getByRole('button', { name: 'Halt now' }).click()
    await expect(other.getByTestId('halt-banner')).toBeVisible()

    // The halt reaches this window: approvals pause here too.
    await expect(page.getByTestId('halt-banner')).toBeVisible()
    await expect(page.getByTestId('idea-detail').getByRole('button', { name: /^Approve/ })).toBeDisabled()
    await page.screenshot({ path: 'test-results/trade-ideas-halted.png', fullPage: true })
    await expect(page.getByTestId('idea-detail')).toContainText('ETH-PERP')
    await page.keyboard.press('a')
    await expect(rows).toHaveCount(1)

    // Resumed and approved in the other window: this queue empties live.
    await other.getByRole('button', { name: 'Resume…' }).click()
    await other.getByLabel('Reason').fill('Maintenance finished')
    await other.getByRole('button', { name: 'Resume trading' }).click()
    await other.getByRole('button', { name: 'Trade Ideas', exact: true }).click()
    await expect(other.getByTestId('idea-detail')).toHaveAttribute('data-settled', 'true')
    await other
      .getByTestId('idea-detail')
      .getByRole('button', { name: /^Approve/ })
      .click()
    // The idea this window shows stays on screen, saying what became of it; nothing else is selected for the trader.
    await expect(rows).toHaveCount(0)
    await expect(page.getByTestId('idea-departed')).toContainText('Approved')
  })
})
