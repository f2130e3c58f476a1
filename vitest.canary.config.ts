import { defineConfig } from 'vitest/config'
import base from './vitest.config'

/** The real suite's setup (and PostgreSQL server) with only the deliberately failing canary. */
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['tests/canary/**/*.test.ts'], reporters: ['default'] },
})
