import { createHash } from 'node:crypto'
import type { SchemaFingerprint } from './driver'

export const TRACKING_TABLES = ['schema_migrations', 'migration_log'] as const

export function normaliseDdl(sql: string): string {
  return sql.replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1').trim()
}

export function fingerprintOf(lines: string[]): SchemaFingerprint {
  const sorted = [...lines].sort()
  return { hash: createHash('sha256').update(sorted.join('\n')).digest('hex'), lines: sorted }
}

export interface FingerprintDiff {
  onlyInDatabase: string[]
  onlyInMigrations: string[]
}

export function diffFingerprints(live: SchemaFingerprint, expected: SchemaFingerprint): FingerprintDiff | null {
  if (live.hash === expected.hash) return null
  const expectedSet = new Set(expected.lines)
  const liveSet = new Set(live.lines)
  return {
    onlyInDatabase: live.lines.filter((line) => !expectedSet.has(line)),
    onlyInMigrations: expected.lines.filter((line) => !liveSet.has(line)),
  }
}

export function describeFingerprintDiff(diff: FingerprintDiff): string {
  return [
    ...diff.onlyInDatabase.map((line) => `  + in the database only: ${line}`),
    ...diff.onlyInMigrations.map((line) => `  - expected by the migrations: ${line}`),
  ].join('\n')
}
