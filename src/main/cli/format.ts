import type { FingerprintDiff } from '../core/platform/migrations/fingerprint'
import { describeFingerprintDiff } from '../core/platform/migrations/fingerprint'
import type { MigrateResult, PlanEntry, RollbackResult, StatusReport } from '../core/platform/migrations/migrator'

/** Human-readable output of the migration commands (--json prints the objects instead). */

export function formatPlan(plan: PlanEntry[], withStatements = true): string {
  if (plan.length === 0) return 'Nothing to apply: the database is up to date.'
  const lines = [`${plan.length} pending migration(s):`]
  for (const entry of plan) {
    lines.push(`  ${entry.version}_${entry.name}  [${entry.class.replace('_', ' ')}]`)
    if (withStatements)
      entry.statements.forEach((statement, i) =>
        lines.push(
          `      ${i + 1}. ${statement
            .replace(/--[^\n]*\n/g, '')
            .replace(/\s+/g, ' ')
            .trim()
            .slice(0, 160)}`,
        ),
      )
    for (const finding of entry.lint)
      lines.push(`      ${finding.severity === 'error' ? 'ERROR' : 'warning'}: ${finding.message}`)
  }
  return lines.join('\n')
}

export function formatMigrate(result: MigrateResult): string {
  if (result.dryRun)
    return `Dry run on ${result.dialect} (at version ${result.from}); nothing was changed.\n${formatPlan(result.plan)}`
  const lines: string[] = []
  if (result.backup) lines.push(`Backup: ${result.backup.path} (sha256 ${result.backup.sha256})`)
  else if (result.backupNote) lines.push(result.backupNote)
  if (result.applied.length === 0)
    lines.push(`Nothing to apply: ${result.dialect} database is at version ${result.to}.`)
  for (const m of result.applied) lines.push(`Applied ${m.version}_${m.name} in ${m.durationMs} ms`)
  if (result.applied.length > 0)
    lines.push(`${result.dialect} database migrated from version ${result.from} to ${result.to}.`)
  return lines.join('\n')
}

export function formatRollback(result: RollbackResult): string {
  const lines: string[] = [...result.warnings.map((w) => `warning: ${w}`)]
  if (result.backup) lines.push(`Backup: ${result.backup.path} (sha256 ${result.backup.sha256})`)
  else if (result.backupNote) lines.push(result.backupNote)
  if (result.rolledBack.length === 0) lines.push(`Nothing to roll back: database is at version ${result.to}.`)
  for (const m of result.rolledBack) lines.push(`Rolled back ${m.version}_${m.name} in ${m.durationMs} ms`)
  if (result.rolledBack.length > 0)
    lines.push(`${result.dialect} database rolled back from version ${result.from} to ${result.to}.`)
  if (result.schemaChanges) lines.push('Schema changes:', formatDiff(result.schemaChanges, 'now', 'before'))
  return lines.join('\n')
}

function formatDiff(diff: FingerprintDiff, now: string, before: string): string {
  return [
    ...diff.onlyInDatabase.map((line) => `  + ${now}: ${line}`),
    ...diff.onlyInMigrations.map((line) => `  - ${before}: ${line}`),
  ].join('\n')
}

export function formatStatus(report: StatusReport): string {
  const lines = [`${report.dialect} database at version ${report.current}`]
  for (const m of report.migrations) {
    lines.push(
      `  ${String(m.version).padStart(4, '0')}_${m.name.padEnd(32)} ${m.state}${m.appliedAt ? `  (${m.appliedAt})` : ''}`,
    )
    if (m.problem) lines.push(...m.problem.split('\n').map((line) => `      ${line}`))
  }
  if (report.schemaDrift)
    lines.push(
      'The schema differs from what the applied migrations produce (changed by hand?):',
      describeFingerprintDiff(report.schemaDrift),
    )
  return lines.join('\n')
}
