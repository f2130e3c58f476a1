import type { MigrationPlanView, MigrationStatusView } from '../../../../shared/contract'
import { describeFingerprintDiff } from './fingerprint'
import type { Migrator, PlanEntry } from './migrator'
import type { MigrationDef } from './types'

export function planView(plan: PlanEntry[]): MigrationPlanView[] {
  return plan.map((entry) => ({ version: entry.version, name: entry.name, class: entry.class, statements: entry.statements.length, warnings: entry.lint.map((finding) => finding.message) }))
}

function lastApplied(migrations: { version: number; state: string }[], defs: MigrationDef[]): MigrationStatusView['lastApplied'] {
  const newest = migrations.filter((entry) => entry.state === 'applied').at(-1)
  const def = defs.find((candidate) => candidate.version === newest?.version)
  return def ? { version: def.version, name: def.name, lossy: def.lossy, irreversible: def.irreversible || !def.down } : null
}

/** One database's schema as the Database page shows it, for either engine. */
export async function migrationStatusView(migrator: Migrator, where: { engine: MigrationStatusView['engine']; path: string; sizeBytes: number; defs: MigrationDef[] }): Promise<MigrationStatusView> {
  const report = await migrator.status()
  return {
    engine: where.engine,
    path: where.path,
    sizeBytes: where.sizeBytes,
    current: report.current,
    migrations: report.migrations,
    schemaDrift: report.schemaDrift ? describeFingerprintDiff(report.schemaDrift).split('\n').map((line) => line.trim()) : [],
    pending: planView(await migrator.plan()),
    lastApplied: lastApplied(report.migrations, where.defs),
  }
}
