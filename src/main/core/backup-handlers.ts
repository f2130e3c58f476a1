import type { MigrationStatusView } from '../../shared/contract'
import { ApiError } from '../../shared/errors'
import { databaseSizeBytes } from './backups/sqlite-backup'
import type { CoreContext } from './context'
import type { HandlerTable } from './dispatch'
import { describeFingerprintDiff } from './migrations/fingerprint'
import { bundledMigrations } from './migrations/manifest'
import type { PlanEntry } from './migrations/migrator'
import { sqliteMigrator } from './migrations/open'
import { systemStatus } from './system-status'

type BackupChannels =
  | 'backups:list'
  | 'backups:create'
  | 'backups:verify'
  | 'backups:restore'
  | 'backups:undoRestore'
  | 'migrations:status'
  | 'migrations:plan'
  | 'migrations:rollback'
  | 'startup:restore-backup'

/** Who pressed the button: the profile when there is one, else the person at this machine. */
function actor(ctx: CoreContext): string {
  return ctx.profileId ? `human:${ctx.profileId}` : 'human:local'
}

function planView(plan: PlanEntry[]) {
  return plan.map((entry) => ({ version: entry.version, name: entry.name, class: entry.class, statements: entry.statements.length, warnings: entry.lint.map((finding) => finding.message) }))
}

function lastApplied(migrations: { version: number; state: string }[]): MigrationStatusView['lastApplied'] {
  const newest = migrations.filter((entry) => entry.state === 'applied').at(-1)
  const def = bundledMigrations.sqlite.find((candidate) => candidate.version === newest?.version)
  return def ? { version: def.version, name: def.name, lossy: def.lossy, irreversible: def.irreversible || !def.down } : null
}

function notWhileMigrating(ctx: CoreContext) {
  if (ctx.startupMigration.state === 'running') throw new ApiError({ code: 'conflict', message: 'Wait for the running migration to finish first.' })
}

export function createBackupHandlers(ctx: CoreContext): Pick<HandlerTable, BackupChannels> {
  const migrator = () => sqliteMigrator(ctx.db, ctx.dataDir, { appVersion: ctx.appVersion, defs: bundledMigrations.sqlite, dbPath: ctx.dbPath })
  return {
    'backups:list': async () => ctx.backups.list(),
    'backups:create': async () => {
      notWhileMigrating(ctx)
      return ctx.backups.create('manual', actor(ctx))
    },
    'backups:verify': async ({ file }) => ctx.backups.verify(file),
    'backups:restore': async ({ file }) => {
      notWhileMigrating(ctx)
      return ctx.backups.restore(file, actor(ctx))
    },
    'backups:undoRestore': async () => {
      notWhileMigrating(ctx)
      return ctx.backups.undoRestore(actor(ctx))
    },
    'startup:restore-backup': async ({ file }) => {
      notWhileMigrating(ctx)
      const summary = await ctx.backups.restore(file, actor(ctx))
      return { restoredFrom: summary.restoredFrom.path, preRestoreBackup: summary.preRestore.path, status: systemStatus(ctx) }
    },
    'migrations:status': async (): Promise<MigrationStatusView> => {
      const report = await migrator().status()
      return {
        engine: 'sqlite',
        path: ctx.dbPath,
        sizeBytes: databaseSizeBytes(ctx.dbPath),
        current: report.current,
        migrations: report.migrations,
        schemaDrift: report.schemaDrift ? describeFingerprintDiff(report.schemaDrift).split('\n').map((line) => line.trim()) : [],
        pending: planView(await migrator().plan()),
        lastApplied: lastApplied(report.migrations),
      }
    },
    'migrations:plan': async () => planView(await migrator().plan()),
    'migrations:rollback': async ({ force }) => {
      notWhileMigrating(ctx)
      return ctx.backups.rollbackLast(force, actor(ctx))
    },
  }
}
