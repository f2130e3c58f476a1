import { expect, test } from '@playwright/test'
import { startBrowserMode, type RunningBrowserMode } from '../helpers/browser-mode'
import { makeTempDir } from '../helpers/temp-dir'

test.describe('browser mode', () => {
  let dataDir: ReturnType<typeof makeTempDir>
  let app: RunningBrowserMode

  test.beforeAll(async () => {
    dataDir = makeTempDir()
    app = await startBrowserMode(dataDir.path)
  })

  test.afterAll(async () => {
    const code = await app.stop('SIGTERM')
    expect(code).toBe(0)
    dataDir.remove()
  })

  test('Overview shows the database status that came through the bridge', async ({ page }) => {
    await page.goto(app.url)
    await expect(page).toHaveURL(`${app.origin}/`)
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible()
    const panel = page.getByTestId('db-status')
    await expect(panel).toBeVisible()
    await expect(page.getByTestId('status-database-file')).toHaveText(`${dataDir.path}/tradedeck.sqlite`)
    await expect(page.getByTestId('status-sqlite-version')).toHaveText(/^3\.\d+\.\d+$/)
    await expect(page.getByTestId('quick-check')).toHaveText('Integrity ok')
    await page.screenshot({ path: 'test-results/overview.png', fullPage: true })
  })

  test('shows the paper account, and halts and resumes trading with a reason', async ({ page }) => {
    await page.goto(app.url)
    await expect(page.getByTestId('account-equity')).toHaveText('10,000.00')
    await expect(page.getByTestId('waiting-panel')).toContainText('No ideas are waiting for you.')
    await page.getByRole('button', { name: 'Halt trading…' }).click()
    const reason = page.getByLabel('Reason')
    await reason.fill('ok')
    await expect(page.getByRole('button', { name: 'Halt now' })).toBeDisabled()
    await reason.fill('Central bank decision at 14:00')
    await page.getByRole('button', { name: 'Halt now' }).click()
    const banner = page.getByTestId('halt-banner')
    await expect(banner).toContainText('Trading is halted. Central bank decision at 14:00')
    await page.screenshot({ path: 'test-results/overview-halted.png', fullPage: true })
    await page.getByRole('button', { name: 'Resume…' }).click()
    await page.getByLabel('Reason').fill('Decision is out, spreads normal')
    await page.getByRole('button', { name: 'Resume trading' }).click()
    await expect(banner).toBeHidden()
    await expect(page.getByRole('button', { name: 'Halt trading…' })).toBeVisible()
  })

  test('every navigation entry opens its page, at 1280×720, with no console errors or warnings', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 })
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`)
    })
    // Including the browser's own requests, such as the icon.
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()}: ${new URL(response.url()).pathname}`)
    })
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    await page.goto(app.url)
    for (const name of ['Overview', 'Strategies', 'Trade Ideas', 'Decision History', 'Database', 'Settings']) {
      await page.getByRole('button', { name, exact: true }).click()
      await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible()
      // Nothing spills sideways at the smallest supported window.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280)
      await page.screenshot({ path: `test-results/page-${name.toLowerCase().replace(/\s+/g, '-')}-1280x720.png` })
    }
    const icon = await page.request.get(`${app.origin}/favicon.svg`)
    expect(icon.status()).toBe(200)
    expect(icon.headers()['content-type']).toBe('image/svg+xml')
    expect(problems).toEqual([])
  })

  test('a page without the token gets nothing', async ({ page }) => {
    const response = await page.goto(`${app.origin}/`)
    expect(response?.status()).toBe(401)
    await expect(page.locator('body')).not.toContainText('Overview')
  })
})
