import { expect, test } from '@playwright/test'
import { browserModeSuite } from './browser-mode-suite'

test.describe('settings page', () => {
  const suite = browserModeSuite()

  test('changes the risk config, names a wrong value without losing what was typed, and shows the change audited', async ({
    page,
  }) => {
    await page.goto(suite.app.url)
    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    const form = page.getByRole('form', { name: 'Risk limits' })
    await expect(form.getByLabel('Largest size per trade')).toHaveValue('1')

    await form.getByLabel('Minimum confidence to auto-execute').fill('1.7')
    await form.getByLabel('Trading day starts at midnight in').fill('Mars/Olympus')
    await form.getByRole('button', { name: 'Save risk limits' }).click()
    await expect(page.getByRole('alert')).toContainText('Nothing was saved')
    await expect(form.locator('.field.invalid')).toHaveCount(2)
    await expect(form).toContainText('must be between 0 and 1')
    await expect(form.getByLabel('Trading day starts at midnight in')).toHaveValue('Mars/Olympus')

    await form.getByLabel('Minimum confidence to auto-execute').fill('0.7')
    await form.getByLabel('Trading day starts at midnight in').fill('Europe/Amsterdam')
    await form.getByLabel('Largest size per trade').fill('0.25')
    await form.getByRole('button', { name: 'Save risk limits' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Saved 3 changes' })).toBeVisible()
    const audit = page.getByRole('table', { name: 'Audit entries' })
    await expect(audit.getByRole('row').nth(1)).toContainText('risk config · update')
    await expect(audit.getByRole('row').nth(1)).toContainText('Maximum lot size: "1" → "0.25"')
    await expect(audit.getByRole('row').nth(1)).toContainText('Minimum confidence threshold: 0.8 → 0.7')
    await expect(page.getByRole('region', { name: 'Profile and data' })).toContainText(suite.dataDir)
    await page.screenshot({ path: 'test-results/settings.png', fullPage: true })

    // The central PostgreSQL connection: checked in plain words, saved with the password sealed.
    const central = page.getByRole('form', { name: 'PostgreSQL connection' })
    await central.getByLabel('Host').fill('127.0.0.1')
    await central.getByLabel('Port').fill('1')
    await central.getByLabel('Database').fill('tradedeck')
    await central.getByLabel('User').fill('desk')
    await central.getByLabel('SSL mode').selectOption('disable')
    await central.getByLabel('Password').fill('s3cret-pass')
    await central.getByRole('button', { name: 'Test connection' }).click()
    await expect(central.getByRole('alert')).toContainText('No PostgreSQL server answered')
    await central.getByRole('button', { name: 'Save connection' }).click()
    await expect(central.getByRole('status')).toContainText('The password is sealed')
    await expect(central.getByLabel('Password')).toHaveValue('')
    await expect(central.getByLabel('Password')).toHaveAttribute('placeholder', 'saved; leave blank to keep it')
    await expect(central).toContainText('readable only by your OS user')
    await page.screenshot({ path: 'test-results/settings-postgres.png', fullPage: true })
    await page.getByRole('button', { name: 'Database', exact: true }).click()
    await expect(page.getByRole('region', { name: 'Central PostgreSQL' }).getByRole('alert')).toContainText(
      'Could not reach the central database: No PostgreSQL server answered',
    )
    await page.getByRole('button', { name: 'Settings', exact: true }).click()

    await page.reload()
    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    await expect(form.getByLabel('Largest size per trade')).toHaveValue('0.25')
  })

  test('says when the browser blocks notifications, and how to allow them', async ({ page }) => {
    await page.addInitScript(() => {
      Object.defineProperty(Notification, 'permission', { get: () => 'denied' })
    })
    await page.goto(suite.app.url)
    // Not a button that silently disappears: a note that says what to do.
    await expect(page.getByRole('button', { name: 'Notify me of new ideas' })).toHaveCount(0)
    await expect(page.getByTestId('notifications-denied')).toContainText('allow notifications for this page')
    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    await expect(page.getByRole('form', { name: 'Notifications' })).toContainText(
      'Desktop notifications are blocked: allow notifications for Tradedeck',
    )
    // The new-profile field has a visible label.
    await page.getByRole('button', { name: 'New profile' }).click()
    await expect(page.getByText('Profile name', { exact: true })).toBeVisible()
  })
})
