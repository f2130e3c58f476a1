import { defineConfig } from '@playwright/test'
import base from './playwright.config'

/** The real end-to-end setup with only the deliberately failing canary. */
export default defineConfig({
  ...base,
  testDir: 'tests/canary',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/canary',
  reporter: [['line']],
})
