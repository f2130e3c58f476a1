import { BackupError } from '../backups/sqlite-backup'
import { classifyMigration, type MigrationClass } from './classify'
import type { BackupResult, MigrationDriver } from './driver'
import { MigrationError, StatementFailure } from './errors'
import { describeFingerprintDiff, diffFingerprints, type FingerprintDiff } from './fingerprint'
import { lintMigration, type LintFinding } from './lint'
import { splitStatements } from './split-statements'
import { describeDrift, summariseStatus, type MigrationState, type StatusSummary } from './status'
import type { Dialect, MigrationDef } from './types'
import { errorMessage } from '../../../../shared/errors'

export interface MigrationProgress {
  phase: 'backup' | 'migrate' | 'done' | 'failed'
  version: number | null
  name: string | null
  index: number
  total: number
  message: string
}

export interface MigratorOptions {
  appVersion: string
  onProgress?: (progress: MigrationProgress) => void
}

export interface BackupSummary {
  path: string
  sha256: string
}

export interface MigrateResult {
  dialect: Dialect
  from: number
  to: number
  applied: { version: number; name: string; durationMs: number }[]
  backup: BackupSummary | null
  backupNote: string | null
  dryRun: boolean
  plan: PlanEntry[]
}

export interface PlanEntry {
  version: number
  name: string
  class: MigrationClass
  statements: string[]
  lint: LintFinding[]
}

export interface StatusReport {
  dialect: Dialect
  current: number
  migrations: { version: number; name: string; state: MigrationState; appliedAt: string | null; problem: string | null }[]
  schemaDrift: FingerprintDiff | null
}

export interface RollbackResult {
  dialect: Dialect
  from: number
  to: number
  rolledBack: { version: number; name: string; durationMs: number; lossy: boolean }[]
  backup: BackupSummary | null
  backupNote: string | null
  warnings: string[]
  schemaChanges: FingerprintDiff | null
}

export type RollbackTarget = { steps: number } | { to: number }

/**
 * The migration runner: decides what may run and in which order, refuses
 * anything that could lose or corrupt data, and leaves the database either
 * migrated or exactly as it was.
 */
export class Migrator {
  constructor(
    private readonly driver: MigrationDriver,
    private readonly defs: MigrationDef[],
    private readonly options: MigratorOptions,
  ) {}

  get dialect(): Dialect {
    return this.driver.dialect
  }

  private progress(progress: MigrationProgress): void {
    this.options.onProgress?.(progress)
  }

  /** Refuses to touch a database that a newer app wrote, or whose history no longer matches the files. */
  private assertSafeToModify(summary: StatusSummary): void {
    if (summary.unknownNewer.length > 0) {
      const versions = summary.unknownNewer.map((entry) => `${entry.version}_${entry.name}`).join(', ')
      throw new MigrationError(
        'newer_database',
        `This database was written by a newer version of Tradedeck (it has migration ${versions}, which this version does not know). ` +
          'It has not been changed. Open it read-only, update Tradedeck, or restore the backup taken before that upgrade.',
        { unknownVersions: summary.unknownNewer.map((entry) => entry.version) },
      )
    }
    const drifted = summary.drifted[0]
    if (drifted?.drift) throw new MigrationError('checksum_drift', describeDrift(drifted.version, drifted.name, drifted.drift) + '\nNothing was applied.')
    const missing = summary.missing[0]
    if (missing) {
      throw new MigrationError(
        'missing_migration',
        `Migration ${missing.version}_${missing.name} is applied to this database but its file is missing from this build. Nothing was applied.`,
      )
    }
  }

  async summary(): Promise<StatusSummary> {
    return summariseStatus(this.defs, await this.driver.readApplied())
  }

  async status(): Promise<StatusReport> {
    const summary = await this.summary()
    const appliedKnown = this.defs.filter((def) => summary.entries.some((entry) => entry.version === def.version && entry.state === 'applied'))
    const schemaDrift =
      summary.unknownNewer.length === 0 && summary.missing.length === 0 && summary.drifted.length === 0
        ? diffFingerprints(await this.driver.fingerprint(), await this.driver.replayFingerprint(appliedKnown))
        : null
    return {
      dialect: this.dialect,
      current: summary.current,
      migrations: summary.entries.map((entry) => ({
        version: entry.version,
        name: entry.name,
        state: entry.state,
        appliedAt: entry.appliedAt,
        problem:
          entry.state === 'drifted' && entry.drift
            ? describeDrift(entry.version, entry.name, entry.drift)
            : entry.state === 'missing'
              ? 'applied, but its file is missing from this build'
              : entry.state === 'unknown_newer'
                ? 'written by a newer version of Tradedeck'
                : null,
      })),
      schemaDrift,
    }
  }

  async plan(to?: number): Promise<PlanEntry[]> {
    const summary = await this.summary()
    const facts = await this.driver.schemaFacts()
    return summary.pending
      .filter((def) => to === undefined || def.version <= to)
      .map((def) => ({
        version: def.version,
        name: def.name,
        class: classifyMigration(def),
        statements: splitStatements(def.up.sql),
        lint: lintMigration(def, this.dialect, facts),
      }))
  }

  async migrate(options: { to?: number; dryRun?: boolean } = {}): Promise<MigrateResult> {
    const summary = await this.summary()
    this.assertSafeToModify(summary)
    if (options.to !== undefined && options.to < summary.current) {
      throw new MigrationError('invalid_target', `The database is at version ${summary.current}; --to ${options.to} would go backwards. Use rollback --to ${options.to}.`)
    }
    const newest = Math.max(0, ...this.defs.map((def) => def.version))
    if (options.to !== undefined && options.to > newest) {
      throw new MigrationError('invalid_target', `There is no migration ${options.to}: the newest this Tradedeck knows is ${newest}.`)
    }
    const plan = await this.plan(options.to)
    const errors = plan.flatMap((entry) => entry.lint.filter((finding) => finding.severity === 'error'))
    if (errors.length > 0) {
      throw new MigrationError('lint_failed', `Refusing to migrate: ${errors.map((finding) => `${finding.file}: ${finding.message}`).join('\n')}`)
    }
    const base = { dialect: this.dialect, from: summary.current, plan, backupNote: null as string | null }
    if (options.dryRun || plan.length === 0) {
      return { ...base, to: summary.current, applied: [], backup: null, dryRun: Boolean(options.dryRun) }
    }
    const pending = plan.map((entry) => this.defs.find((def) => def.version === entry.version) as MigrationDef)
    const { backup, note } = await this.takeBackup('pre-migration', pending.length)
    const applied: MigrateResult['applied'] = []
    await this.driver.withRunLock(async () => {
      for (const [index, def] of pending.entries()) {
        this.progress({ phase: 'migrate', version: def.version, name: def.name, index: index + 1, total: pending.length, message: `Applying ${def.version}_${def.name} (${index + 1} of ${pending.length})` })
        const started = Date.now()
        const outcome = await this.runOne(def, 'up', backup?.path ?? null, summary.current, applied.length)
        if (outcome === 'applied') applied.push({ version: def.version, name: def.name, durationMs: Date.now() - started })
      }
    })
    const to = (await this.summary()).current
    this.progress({ phase: 'done', version: to, name: null, index: pending.length, total: pending.length, message: `Database at version ${to}` })
    return { ...base, to, applied, backup: backup && { path: backup.path, sha256: backup.sha256 }, backupNote: note, dryRun: false }
  }

  private async takeBackup(reason: 'pre-migration' | 'pre-rollback', total: number): Promise<{ backup: BackupResult; note: string | null }> {
    if (await this.driver.isEmpty()) return { backup: null, note: 'No backup was taken: the database was empty, so there was nothing to lose.' }
    this.progress({ phase: 'backup', version: null, name: null, index: 0, total, message: 'Backing up the database before changing it' })
    try {
      const backup = await this.driver.backup(reason)
      return { backup, note: backup ? null : this.driver.backupNote }
    } catch (error) {
      if (error instanceof BackupError) throw new MigrationError('backup_failed', `${error.message}\nNo migration was run.`)
      throw error
    }
  }

  private async runOne(def: MigrationDef, direction: 'up' | 'down', backupPath: string | null, startVersion: number, doneBefore: number) {
    const context = { appVersion: this.options.appVersion, backupPath }
    try {
      return await this.driver.apply(def, direction, context)
    } catch (error) {
      const statementIndex = error instanceof StatementFailure ? error.statementIndex : null
      await this.driver.logFailure(def, direction, error, statementIndex, context).catch(() => {})
      const where = error instanceof StatementFailure ? ` at statement ${error.statementIndex} of ${error.statementCount}` : ''
      const cause = error instanceof StatementFailure ? error.message : errorMessage(error)
      const state = def.noTransaction
        ? 'It is marked no-transaction, so statements before the failing one stay applied; the migration is not recorded as applied and can be re-run once fixed.'
        : `It was rolled back: ${direction === 'up' ? 'this migration changed nothing' : 'the migration is still applied'}, and your data is unchanged.`
      const earlier = doneBefore > 0 ? ` ${doneBefore} earlier migration(s) in this run were applied (started at version ${startVersion}).` : ''
      const message = `Migration ${def.version}_${def.name} (${direction}) failed${where}: ${cause}\n${state}${earlier}${backupPath ? `\nBackup taken before this run: ${backupPath}` : ''}`
      this.progress({ phase: 'failed', version: def.version, name: def.name, index: doneBefore + 1, total: 0, message })
      throw new MigrationError(error instanceof MigrationError && error.code === 'foreign_key_violation' ? 'foreign_key_violation' : 'migration_failed', message, {
        version: def.version,
        statementIndex,
        backupPath,
      })
    }
  }

  async rollback(target: RollbackTarget, options: { force?: boolean } = {}): Promise<RollbackResult> {
    const summary = await this.summary()
    this.assertSafeToModify(summary)
    const appliedDefs = this.defs.filter((def) => summary.entries.some((entry) => entry.version === def.version && entry.state === 'applied')).sort((a, b) => b.version - a.version)
    let selected: MigrationDef[]
    if ('steps' in target) {
      if (!Number.isInteger(target.steps) || target.steps < 1) throw new MigrationError('invalid_target', '--steps must be a whole number of 1 or more.')
      selected = appliedDefs.slice(0, target.steps)
    } else {
      if (target.to > summary.current) throw new MigrationError('invalid_target', `The database is at version ${summary.current}; rollback --to ${target.to} would go forwards. Use migrate --to ${target.to}.`)
      selected = appliedDefs.filter((def) => def.version > target.to)
    }
    if (selected.length === 0) {
      return { dialect: this.dialect, from: summary.current, to: summary.current, rolledBack: [], backup: null, backupNote: null, warnings: [], schemaChanges: null }
    }
    const irreversible = selected.filter((def) => def.irreversible || !def.down)
    if (irreversible.length > 0) {
      throw new MigrationError('irreversible', `Cannot roll back ${irreversible.map((def) => `${def.version}_${def.name}`).join(', ')}: it is irreversible. Restore a backup taken before it instead. Nothing was changed.`)
    }
    const lossy = selected.filter((def) => def.lossy)
    const warnings = lossy.map((def) => `Rolling back ${def.version}_${def.name} loses data: its down migration drops what the migration added.`)
    if (lossy.length > 0 && !options.force) {
      throw new MigrationError('lossy_needs_force', `${warnings.join('\n')}\nA backup is taken first, but confirm with --force. Nothing was changed.`, { warnings })
    }
    const before = await this.driver.fingerprint()
    const { backup, note } = await this.takeBackup('pre-rollback', selected.length)
    const rolledBack: RollbackResult['rolledBack'] = []
    await this.driver.withRunLock(async () => {
      for (const [index, def] of selected.entries()) {
        this.progress({ phase: 'migrate', version: def.version, name: def.name, index: index + 1, total: selected.length, message: `Rolling back ${def.version}_${def.name}` })
        const started = Date.now()
        const outcome = await this.runOne(def, 'down', backup?.path ?? null, summary.current, rolledBack.length)
        if (outcome === 'applied') rolledBack.push({ version: def.version, name: def.name, durationMs: Date.now() - started, lossy: def.lossy })
      }
    })
    const after = await this.driver.fingerprint()
    return {
      dialect: this.dialect,
      from: summary.current,
      to: (await this.summary()).current,
      rolledBack,
      backup: backup && { path: backup.path, sha256: backup.sha256 },
      backupNote: note,
      warnings,
      schemaChanges: diffFingerprints(after, before),
    }
  }

  /** Adopts a database that already has the schema up to `version`, after checking its fingerprint. */
  async baseline(version: number): Promise<{ dialect: Dialect; baselined: number[] }> {
    const summary = await this.summary()
    this.assertSafeToModify(summary)
    if (summary.current > 0) throw new MigrationError('invalid_target', `The database already tracks migrations (at version ${summary.current}); baseline is only for an untracked database.`)
    const defs = this.defs.filter((def) => def.version <= version)
    if (!defs.some((def) => def.version === version)) throw new MigrationError('invalid_target', `There is no migration ${version} in this build.`)
    const diff = diffFingerprints(await this.driver.fingerprint(), await this.driver.replayFingerprint(defs))
    if (diff) {
      throw new MigrationError('baseline_mismatch', `The database schema does not match migrations up to ${version}, so it was not baselined:\n${describeFingerprintDiff(diff)}`)
    }
    await this.driver.recordBaseline(defs, this.options.appVersion)
    return { dialect: this.dialect, baselined: defs.map((def) => def.version) }
  }
}
