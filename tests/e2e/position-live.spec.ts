import { expect, test } from '@playwright/test'
import { browserModeSuite } from './browser-mode-suite'
import { startLivePositionBrowserMode } from '../helpers/browser-mode'

test.describe('a LIVE position', () => {
  const suite = browserModeSuite(startLivePositionBrowserMode)

  test('says LIVE, asks a second deliberate time before a close, and Cancel or Escape leaves it as it is', async ({
    page,
  }) => {
    await page.goto(suite.app.url)
    const positions = page.getByRole('table', { name: 'Open positions' })
    await expect(positions).toContainText('bybit · live')
    await positions.getByRole('button', { name: /^Manage long 0\.004 BTCUSDT/ }).click()
    const manage = page.getByRole('region', { name: 'Manage position' })
    await expect(manage.getByRole('heading')).toContainText('LIVE')
    await manage.getByRole('button', { name: 'Close at market' }).click()
    const confirm = manage.getByRole('group', { name: 'Confirm the position action' })
    await expect(confirm).toContainText('Close the long 0.004 BTCUSDT at market?')
    // The first answer only leads to the LIVE question; its button waits until it has been on screen a moment.
    await confirm.getByRole('button', { name: 'Yes, then confirm LIVE…' }).click()
    await expect(confirm).toContainText(
      'This trades real money on bybit · live. Close the long 0.004 BTCUSDT at market?',
    )
    const send = confirm.getByRole('button', { name: 'Send to LIVE' })
    // Once ready it has the focus, so Enter would answer it; Escape steps back instead.
    await expect(send).toBeFocused()
    await page.screenshot({ path: 'test-results/position-live-confirm.png', fullPage: true })
    await page.keyboard.press('Escape')
    await expect(confirm).toHaveCount(0)

    // Typing a level never acts by itself: Escape in the field does nothing, and Move… asks first.
    await manage.getByLabel('Stop-loss').fill('59500')
    await manage.getByLabel('Stop-loss').press('Escape')
    await expect(confirm).toHaveCount(0)
    await manage.getByRole('button', { name: 'Move…' }).click()
    await expect(confirm).toContainText('Move the long 0.004 BTCUSDT to stop 59500, target 62000?')
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    await expect(positions).toContainText('59,000')

    // A stop above the price would close the long at once: said, and the close itself offered, asked like any other.
    await manage.getByLabel('Stop-loss').fill('61000')
    await manage.getByRole('button', { name: 'Move…' }).click()
    await confirm.getByRole('button', { name: 'Yes, then confirm LIVE…' }).click()
    await confirm.getByRole('button', { name: 'Send to LIVE' }).click()
    await expect(manage.getByRole('alert')).toContainText('would close at once')
    await manage.getByRole('button', { name: 'Close it now instead…' }).click()
    await expect(confirm).toContainText('Close the long 0.004 BTCUSDT at market?')
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    await page.getByRole('button', { name: 'Decision History', exact: true }).click()
    await expect(page.getByTestId('history-empty').or(page.getByTestId('history-rows'))).toBeVisible()
    await expect(page.getByTestId('history-rows').getByText('position closed')).toHaveCount(0)
  })
})
