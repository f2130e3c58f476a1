import { expect, test, type Page } from '@playwright/test'
import { browserModeSuite } from './browser-mode-suite'
import { startApprovalsBrowserMode, startSeededBrowserMode } from '../helpers/browser-mode'

const detailOf = (page: Page) => page.getByTestId('idea-detail')
/** The rows still waiting (a departed row stays a few seconds, greyed, with its reason). */
const waitingRows = (page: Page) => page.getByTestId('queue').locator('.queue-row:not(.departed)')
/** A and R act only once the detail on screen has settled (APPROVAL_GUARD_MS); the page marks that moment. */
const settledOn = async (page: Page, symbol: string) => {
  await expect(detailOf(page).getByRole('heading', { level: 2 })).toContainText(symbol)
  await expect(detailOf(page)).toHaveAttribute('data-settled', 'true')
}

test.describe('keys act only on what the trader is looking at', () => {
  const suite = browserModeSuite(startSeededBrowserMode)

  test('R opens the reject box with the focus in the note, so typing never approves; the selection stays on a decided idea; A waits for the guard time', async ({
    page,
  }) => {
    await page.goto(suite.app.url)
    await page.getByRole('button', { name: 'Trade Ideas', exact: true }).click()
    await expect(waitingRows(page)).toHaveCount(3)
    await settledOn(page, 'BTC-PERP')
    // The page and the selected idea are in the URL.
    const btcId = await detailOf(page).getAttribute('data-idea-id')
    await expect(page).toHaveURL(new RegExp(`#/ideas/${btcId}$`))

    await page.keyboard.press('r')
    const note = page.getByLabel(/Why reject/)
    await expect(note).toBeFocused()
    await page.keyboard.type('bad')
    await expect(note).toHaveValue('bad')
    await expect(page.getByRole('alert')).toHaveCount(0)
    await expect(waitingRows(page)).toHaveCount(3)
    await page.keyboard.press('Enter')
    await expect(page.getByRole('alert')).toContainText('Rejected: long 0.5 BTC-PERP.')

    // The detail stays on the rejected idea, greyed, and A does nothing there.
    await expect(page.getByTestId('idea-departed')).toContainText('Rejected')
    await expect(detailOf(page)).toHaveAttribute('data-idea-id', btcId as string)
    await page.keyboard.press('a')
    await expect(waitingRows(page)).toHaveCount(2)

    // J moves on; an A pressed in the same instant is too soon and approves nothing.
    await page.keyboard.press('j')
    await page.keyboard.press('a')
    await settledOn(page, 'SOL-PERP')
    await expect(waitingRows(page)).toHaveCount(2)
    await expect(page.getByRole('alert')).toHaveCount(0)
    await page.keyboard.press('a')
    await expect(page.getByRole('alert')).toContainText('Approved: long 1 SOL-PERP.')
    await expect(waitingRows(page)).toHaveCount(1)

    // Keys typed into any field belong to the field.
    await page.keyboard.press('j')
    await settledOn(page, 'ETH-PERP')
    await page.getByLabel('Note (optional)').click()
    await page.keyboard.type('a quick look')
    await expect(waitingRows(page)).toHaveCount(1)
  })

  test('every page has a URL: a deep link opens an idea, reload keeps the page and selection, Back and Forward move between pages, filters survive a reload', async ({
    page,
  }) => {
    await page.goto(suite.app.url)
    await page.getByRole('button', { name: 'Trade Ideas', exact: true }).click()
    await expect(waitingRows(page)).toHaveCount(1)
    const ethId = await page
      .getByTestId('queue')
      .locator('.queue-row:not(.departed)')
      .first()
      .getAttribute('data-idea-id')

    await page.goto(`${suite.app.origin}/#/ideas/${ethId}`)
    await expect(detailOf(page)).toHaveAttribute('data-idea-id', ethId as string)
    await expect(detailOf(page)).toContainText('ETH-PERP')
    await page.reload()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trade Ideas')
    await expect(detailOf(page)).toHaveAttribute('data-idea-id', ethId as string)

    await page.getByRole('button', { name: 'Decision History', exact: true }).click()
    await expect(page).toHaveURL(/#\/history$/)
    await page.getByLabel('Symbol').fill('SOL-PERP')
    await page.getByRole('button', { name: 'Apply' }).click()
    await expect(page).toHaveURL(/#\/history\?symbol=SOL-PERP$/)
    await page.reload()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Decision History')
    await expect(page.getByLabel('Symbol')).toHaveValue('SOL-PERP')
    await expect(page.getByTestId('history-rows')).toContainText('SOL-PERP')
    await expect(page.getByTestId('history-rows')).not.toContainText('ETH-PERP')

    await page.goBack()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trade Ideas')
    await expect(detailOf(page)).toHaveAttribute('data-idea-id', ethId as string)
    await page.goForward()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Decision History')
  })
})

test.describe('ideas with money at stake, ideas the market takes away, and a halted desk', () => {
  const suite = browserModeSuite(startApprovalsBrowserMode)

  test('a withdrawn idea stays in place with its reason, a halt shows on Trade Ideas and refuses A, and a live idea needs A then Enter', async ({
    page,
    context,
  }) => {
    test.setTimeout(120_000)
    await page.goto(suite.app.url)
    await page.getByRole('button', { name: 'Trade Ideas', exact: true }).click()
    await expect(waitingRows(page).or(page.getByTestId('queue').locator('.queue-row.departed'))).toHaveCount(3)

    // The idea about to run out of time is selected; the desk's expiry check withdraws it under the trader's eyes.
    await page
      .getByTestId('queue')
      .getByRole('button', { name: /ETH-PERP/ })
      .click()
    await expect(page.getByTestId('idea-departed')).toContainText(
      /^Withdrawn \d\d:\d\d:\d\d: its time to decide ran out at \d\d:\d\d:\d\d UTC/,
      { timeout: 60_000 },
    )
    await expect(detailOf(page).getByRole('heading', { level: 2 })).toContainText('ETH-PERP')
    await page.keyboard.press('a')
    await expect(waitingRows(page)).toHaveCount(2)
    await expect(page.getByRole('alert')).toHaveCount(0)
    await page.getByTestId('recently-withdrawn').getByText('Recently withdrawn').click()
    await expect(page.getByTestId('recently-withdrawn')).toContainText('short ETH-PERP @ 3120.5')

    // Halted in another window: the banner shows on Trade Ideas, approvals pause, A does nothing.
    const other = await context.newPage()
    await other.goto(`${suite.app.origin}/`)
    await other.getByRole('button', { name: 'Halt trading…' }).click()
    await other.getByLabel('Reason').fill('Exchange maintenance window')
    await other.getByRole('button', { name: 'Halt now' }).click()
    await expect(page.getByTestId('halt-banner')).toContainText('Exchange maintenance window')
    await expect(page.getByTestId('ideas-halted')).toContainText('Approvals are paused while trading is halted')

    await expect(page.getByTestId('queue').getByRole('button', { name: /BTC-PERPETUAL/ })).toContainText('LIVE')
    await page
      .getByTestId('queue')
      .getByRole('button', { name: /BTC-PERPETUAL/ })
      .click()
    await settledOn(page, 'BTC-PERPETUAL')
    await expect(detailOf(page)).toContainText('LIVE · Deribit')
    await expect(detailOf(page)).toContainText('6,712.00')
    await expect(detailOf(page).getByRole('button', { name: /Approve live/ })).toBeDisabled()
    await page.keyboard.press('a')
    await expect(page.getByRole('group', { name: 'Confirm the live order' })).toHaveCount(0)
    await expect(waitingRows(page)).toHaveCount(2)
    await page.screenshot({ path: 'test-results/trade-ideas-live-withdrawn-halted.png', fullPage: true })

    await page.getByTestId('halt-banner').getByRole('button', { name: 'Resume…' }).click()
    await page.getByTestId('halt-banner').getByLabel('Reason').fill('Maintenance finished')
    await page.getByRole('button', { name: 'Resume trading' }).click()
    await expect(page.getByTestId('halt-banner')).toHaveCount(0)

    // Live: A only asks; Escape steps back; A then Enter sends.
    await page.keyboard.press('a')
    const confirm = page.getByRole('group', { name: 'Confirm the live order' })
    await expect(confirm).toContainText('Send a LIVE order on Deribit: long 0.1 BTC-PERPETUAL, worth 6,712.00?')
    await expect(waitingRows(page)).toHaveCount(2)
    await page.keyboard.press('Escape')
    await expect(confirm).toHaveCount(0)
    await expect(waitingRows(page)).toHaveCount(2)
    await page.keyboard.press('a')
    await expect(confirm).toBeVisible()
    await page.keyboard.press('Enter')
    // There is no Deribit key on this desk: the order is recorded as failed, never silently dropped.
    await expect(page.getByRole('alert')).toContainText('Approved, but the broker failed: long 0.1 BTC-PERPETUAL.')
    await expect(waitingRows(page)).toHaveCount(1)
  })
})
