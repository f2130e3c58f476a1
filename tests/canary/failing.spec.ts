import { expect, test } from '@playwright/test'

// Never part of `npm test`. `.ci/run` runs it on purpose and requires Playwright to exit non-zero.
test('canary: this test must fail, and its failure must fail the run', async ({ page }) => {
  await page.setContent('<p>one</p>')
  await expect(page.locator('p')).toHaveText('two', { timeout: 1_000 })
})
