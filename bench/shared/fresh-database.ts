import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqlite, type SqliteDb } from '../../src/main/core/platform/db/sqlite'
import { readManifestFromDisk } from '../../src/main/core/platform/migrations/files'
import { sqliteMigrator } from '../../src/main/core/platform/migrations/open'

export interface BenchDatabase {
  dir: string
  dbPath: string
  db: SqliteDb
  dispose(): void
}

/** A temp data dir with the app's schema, migrated by the real runner. */
export async function freshDatabase(name: string): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), `tradedeck-bench-${name}-`))
  const dbPath = join(dir, 'tradedeck.sqlite')
  const db = openSqlite(dbPath)
  const defs = readManifestFromDisk(join(__dirname, '..', '..', 'migrations')).sqlite
  await sqliteMigrator(db, null, { appVersion: 'bench', defs, dbPath }).migrate()
  return {
    dir,
    dbPath,
    db,
    dispose() {
      if (db.open) db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number
}

export const elapsedMs = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6
