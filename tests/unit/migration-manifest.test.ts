import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { normaliseSql, parseDirectives, readManifestFromDisk, sha256 } from '../../src/main/core/migrations/files'
import { lintMigration } from '../../src/main/core/migrations/lint'
import { bundledMigrations } from '../../src/main/core/migrations/manifest'

const root = join(__dirname, '..', '..', 'migrations')

describe('bundled migration manifest', () => {
  it('matches the files in migrations/', () => {
    expect(bundledMigrations).toEqual(readManifestFromDisk(root))
    expect(bundledMigrations.sqlite.length).toBeGreaterThan(0)
  })

  it('has the same logical versions on both dialects', () => {
    expect(bundledMigrations.postgres.map((def) => [def.version, def.name])).toEqual(bundledMigrations.sqlite.map((def) => [def.version, def.name]))
  })

  it('ships only migrations that pass the lint', () => {
    for (const dialect of ['sqlite', 'postgres'] as const) {
      for (const def of bundledMigrations[dialect]) expect(lintMigration(def, dialect).filter((f) => f.severity === 'error')).toEqual([])
    }
  })

  it('hashes after normalising line endings', () => {
    expect(sha256(normaliseSql('a\r\nb\r\n'))).toBe(sha256(normaliseSql('a\nb\n')))
    expect(sha256(normaliseSql('\uFEFFa\n'))).toBe(sha256('a\n'))
  })

  it('reads header directives', () => {
    expect(parseDirectives('-- tradedeck: no-transaction\n-- tradedeck: lossy\nSELECT 1;')).toEqual({ noTransaction: true, irreversible: false, lossy: true })
  })
})
