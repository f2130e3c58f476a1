// Also imported by child processes (migrate-child.ts), so it must not import vitest.
import { join } from 'node:path'
import { normaliseSql, parseDirectives, readMigrationDir, sha256 } from '../../src/main/core/platform/migrations/files'
import type { Dialect, MigrationDef } from '../../src/main/core/platform/migrations/types'

export const FIXTURES = join(__dirname, '..', 'fixtures', 'migrations')

export function fixtureMigrations(set: string, dialect: Dialect): MigrationDef[] {
  return readMigrationDir(join(FIXTURES, set, dialect), dialect)
}

/** A migration built in a test, for cases a file fixture would only obscure. */
export function migration(version: number, name: string, up: string, down: string | null = null): MigrationDef {
  const upSql = normaliseSql(up)
  const downSql = down === null ? null : normaliseSql(down)
  const upFlags = parseDirectives(upSql)
  const downFlags = downSql ? parseDirectives(downSql) : upFlags
  return {
    version,
    name,
    up: { file: `${String(version).padStart(4, '0')}_${name}.up.sql`, sql: upSql, sha256: sha256(upSql) },
    down:
      downSql === null
        ? null
        : { file: `${String(version).padStart(4, '0')}_${name}.down.sql`, sql: downSql, sha256: sha256(downSql) },
    noTransaction: upFlags.noTransaction || downFlags.noTransaction,
    irreversible: upFlags.irreversible || downFlags.irreversible,
    lossy: upFlags.lossy || downFlags.lossy,
  }
}
