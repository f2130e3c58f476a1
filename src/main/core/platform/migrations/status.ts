import type { MigrationDef } from './types'

export type MigrationState = 'applied' | 'pending' | 'drifted' | 'missing' | 'unknown_newer'

/** One row of schema_migrations. */
export interface AppliedMigration {
  version: number
  name: string
  checksum: string
  upSql: string
  appliedAt: string
  durationMs: number
  appVersion: string
  backupPath: string | null
}

export interface ChecksumDrift {
  file: string
  line: number
  applied: string | null
  current: string | null
}

export interface MigrationStatusEntry {
  version: number
  name: string
  state: MigrationState
  appliedAt: string | null
  drift: ChecksumDrift | null
}

export interface StatusSummary {
  current: number
  entries: MigrationStatusEntry[]
  pending: MigrationDef[]
  drifted: MigrationStatusEntry[]
  missing: MigrationStatusEntry[]
  unknownNewer: MigrationStatusEntry[]
}

/** The first line where the applied text and the file differ, for a readable drift error. */
export function firstDifference(file: string, applied: string, current: string): ChecksumDrift {
  const a = applied.split('\n')
  const b = current.split('\n')
  const length = Math.max(a.length, b.length)
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return { file, line: i + 1, applied: a[i] ?? null, current: b[i] ?? null }
  }
  return { file, line: length, applied: null, current: null }
}

export function describeDrift(version: number, name: string, drift: ChecksumDrift): string {
  return (
    `Migration ${version}_${name} was changed after it was applied (${drift.file}, line ${drift.line}).\n` +
    `  applied: ${drift.applied ?? '(no line)'}\n` +
    `  file:    ${drift.current ?? '(no line)'}\n` +
    'Restore the file to what was applied and add a new migration for the change.'
  )
}

/**
 * Pending is the set difference between the known and the applied versions,
 * not "greater than the highest applied", so a migration merged late is not skipped.
 */
export function summariseStatus(defs: MigrationDef[], applied: AppliedMigration[]): StatusSummary {
  const known = new Map(defs.map((def) => [def.version, def]))
  const appliedByVersion = new Map(applied.map((row) => [row.version, row]))
  const highestKnown = defs.reduce((max, def) => Math.max(max, def.version), 0)
  const entries: MigrationStatusEntry[] = []

  for (const def of defs) {
    const row = appliedByVersion.get(def.version)
    if (!row) {
      entries.push({ version: def.version, name: def.name, state: 'pending', appliedAt: null, drift: null })
    } else if (row.checksum !== def.up.sha256) {
      entries.push({ version: def.version, name: def.name, state: 'drifted', appliedAt: row.appliedAt, drift: firstDifference(def.up.file, row.upSql, def.up.sql) })
    } else {
      entries.push({ version: def.version, name: def.name, state: 'applied', appliedAt: row.appliedAt, drift: null })
    }
  }
  for (const row of applied) {
    if (known.has(row.version)) continue
    const state: MigrationState = row.version > highestKnown ? 'unknown_newer' : 'missing'
    entries.push({ version: row.version, name: row.name, state, appliedAt: row.appliedAt, drift: null })
  }
  entries.sort((a, b) => a.version - b.version)

  return {
    current: applied.reduce((max, row) => Math.max(max, row.version), 0),
    entries,
    pending: defs.filter((def) => !appliedByVersion.has(def.version)),
    drifted: entries.filter((entry) => entry.state === 'drifted'),
    missing: entries.filter((entry) => entry.state === 'missing'),
    unknownNewer: entries.filter((entry) => entry.state === 'unknown_newer'),
  }
}
