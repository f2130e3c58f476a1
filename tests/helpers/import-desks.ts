import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, afterEach } from 'vitest'
import { openCore, type Core } from '../../src/main/core/wiring/app'
import { importHistory } from '../../src/main/core/domains/imports/history-import'
import { humanActor } from '../../src/shared/domain'
import { makeTempDir } from './temp-dir'

/** Fresh SQLite desks for import tests, closed after each test, with the import call and a read-only look at the rows. */
export function importDesks() {
  const temp = makeTempDir()
  const cores: Core[] = []
  afterEach(() => {
    for (const core of cores.splice(0)) core.close()
  })
  afterAll(() => temp.remove())
  let desks = 0
  return {
    temp,
    async desk(): Promise<{ core: Core; dataDir: string; user: string }> {
      const dataDir = join(temp.path, `desk-${++desks}`)
      const core = openCore({ dataDir, host: 'cli', appVersion: 'test' })
      cores.push(core)
      await core.start()
      return { core, dataDir, user: core.context.profileId as string }
    },
    /** Closes a desk now, for a test that hands its data folder to another process. */
    close(core: Core): void {
      cores.splice(cores.indexOf(core), 1)
      core.close()
    },
    /** Writes a source file beside the desks: text as given, anything else as JSON. */
    write(name: string, content: unknown): string {
      const path = join(temp.path, name)
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2))
      return path
    },
    importInto: (core: Core, user: string, path: string, dryRun: boolean, fileName?: string, skipInvalid = false) =>
      importHistory(core.context, core.services.backups, {
        path,
        fileName,
        userId: user,
        actor: humanActor(user),
        dryRun,
        skipInvalid,
      }),
    rows<T>(dataDir: string, sql: string): T[] {
      const db = new Database(join(dataDir, 'tradedeck.sqlite'), { readonly: true })
      try {
        return db.prepare(sql).all() as T[]
      } finally {
        db.close()
      }
    },
  }
}
