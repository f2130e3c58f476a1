import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'
import { migrationsManifestPlugin } from './build/migrations-manifest-plugin'

export default defineConfig({
  plugins: [migrationsManifestPlugin(resolve(__dirname, 'migrations'))],
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/helpers/postgres-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Three files at a time on two cores: while one waits on a child process, a socket or a minute's candle, the other two use the CPU.
    maxWorkers: 3,
    // The JSON report lets `scripts/check-test-run.cjs counts` see how many files and tests really ran.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest-report.json' },
  },
})
