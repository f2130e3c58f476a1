import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  normaliseSql,
  parseDirectives,
  readManifestFromDisk,
  sha256,
} from '../../src/main/core/platform/migrations/files'
import { lintMigration } from '../../src/main/core/platform/migrations/lint'
import { bundledMigrations } from '../../src/main/core/platform/migrations/manifest'

const root = join(__dirname, '..', '..', 'migrations')

/**
 * Migrations with no per-migration data test, and why none is needed: each of
 * these created its tables from nothing (there are no rows at N−1 to carry) or
 * added an index only. Every later migration changes tables that hold a
 * trader's data, so it must have a test that seeds rows at N−1, migrates, and
 * checks them both ways (tests/integration/migrations/).
 */
const WITHOUT_DATA_TEST: Record<number, string> = {
  1: 'creates app_meta',
  2: 'creates users, settings and the audit log',
  3: 'creates strategies and risk_config',
  4: 'creates ideas, decisions and snapshots',
  5: 'creates orders, positions and logs',
  7: 'adds one index',
}

describe('bundled migration manifest', () => {
  it('matches the files in migrations/', () => {
    expect(bundledMigrations).toEqual(readManifestFromDisk(root))
    expect(bundledMigrations.sqlite.length).toBeGreaterThan(0)
  })

  it('has a data test for every migration that changes tables holding data', () => {
    const tested = new Set(
      readdirSync(join(__dirname, '..', 'integration', 'migrations'))
        .flatMap((file) => /^(\d{4})-.*\.test\.ts$/.exec(file)?.[1] ?? [])
        .map(Number),
    )
    const missing = bundledMigrations.sqlite
      .filter((def) => !tested.has(def.version) && !(def.version in WITHOUT_DATA_TEST))
      .map((def) => `${String(def.version).padStart(4, '0')}_${def.name}`)
    expect(missing, 'add tests/integration/migrations/<version>-<name>.test.ts in the shape of the 0012 test').toEqual(
      [],
    )
  })

  it('has the same logical versions on both dialects', () => {
    expect(bundledMigrations.postgres.map((def) => [def.version, def.name])).toEqual(
      bundledMigrations.sqlite.map((def) => [def.version, def.name]),
    )
  })

  it('ships only migrations that pass the lint', () => {
    for (const dialect of ['sqlite', 'postgres'] as const) {
      for (const def of bundledMigrations[dialect])
        expect(lintMigration(def, dialect).filter((f) => f.severity === 'error')).toEqual([])
    }
  })

  it('hashes after normalising line endings', () => {
    expect(sha256(normaliseSql('a\r\nb\r\n'))).toBe(sha256(normaliseSql('a\nb\n')))
    expect(sha256(normaliseSql('\uFEFFa\n'))).toBe(sha256('a\n'))
  })

  it('reads header directives', () => {
    expect(parseDirectives('-- tradedeck: no-transaction\n-- tradedeck: lossy\nSELECT 1;')).toEqual({
      noTransaction: true,
      irreversible: false,
      lossy: true,
    })
  })
})
