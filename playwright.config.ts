import { defineConfig } from '@playwright/test'
import { chromiumExecutable } from './tests/helpers/chromium'

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/playwright',
  timeout: 60_000,
  retries: 0,
  workers: 1,
  // The JSON report lets `scripts/check-test-run.cjs counts` see how many files and tests really ran.
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright-report.json' }]],
  use: {
    launchOptions: {
      ...chromiumExecutable(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
    trace: 'retain-on-failure',
  },
})
