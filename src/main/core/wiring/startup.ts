import { platform, release } from 'node:os'
import type { StartupMigrationState } from '../../../shared/contract'
import { readCatalogue } from '../platform/backups/catalogue'
import { backupDirFor } from '../platform/backups/sqlite-backup'
import { sealStoredUrlPassword } from '../platform/central/connection'
import type { CoreContext } from '../platform/context'
import { MigrationError } from '../platform/migrations/errors'
import { bundledMigrations } from '../platform/migrations/manifest'
import { sqliteMigrator } from '../platform/migrations/open'
import type { MigrationDef } from '../platform/migrations/types'
import { errorMessage } from '../../../shared/errors'

/**
 * Brings the database to this build's schema on launch: backup first, progress
 * as events, and on failure a state the renderer turns into a recovery screen
 * (never a crash or a blank window).
 */
export async function runStartupMigrations(
  ctx: CoreContext,
  defs: MigrationDef[] = bundledMigrations.sqlite,
): Promise<StartupMigrationState> {
  ctx.startupMigration = { state: 'running' }
  const migrator = sqliteMigrator(ctx.db, ctx.dataDir, {
    appVersion: ctx.appVersion,
    defs,
    dbPath: ctx.dbPath,
    onProgress: (progress) => ctx.events.emit('migration:progress', progress),
  })
  try {
    const result = await migrator.migrate()
    // A fresh install starts with one local profile, so there is always a user to scope data by.
    ctx.profileId = (await ctx.store.users.ensureDefault()).id
    ctx.profiles = new Set((await ctx.store.users.list()).map((user) => user.id))
    await sealPasswordsLeftInUrls(ctx)
    ctx.startupMigration = {
      state: 'ok',
      applied: result.applied.map((m) => m.version),
      backupPath: result.backup?.path ?? null,
    }
  } catch (error) {
    ctx.startupMigration = failureState(ctx, error, defs)
    if (ctx.startupMigration.state === 'newer_database') {
      ctx.events.emit('migration:progress', {
        phase: 'failed',
        version: null,
        name: null,
        index: 0,
        total: 0,
        message: ctx.startupMigration.message,
      })
    }
  }
  return ctx.startupMigration
}

/**
 * Seals a password an earlier version stored inside the connection URL and
 * scrubs it from the audit log. secure_delete zeroes the old bytes in the
 * file, and the checkpoint empties the WAL that still held them. It checks on
 * every start: an older Tradedeck on the same schema may have written one since.
 */
async function sealPasswordsLeftInUrls(ctx: CoreContext): Promise<void> {
  const previous = ctx.db.pragma('secure_delete', { simple: true }) as number
  ctx.db.pragma('secure_delete = ON')
  try {
    const repaired = await sealStoredUrlPassword(ctx.store, ctx.secrets)
    if (repaired.sealed || repaired.scrubbedAuditRows > 0) ctx.db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    ctx.db.pragma(`secure_delete = ${previous}`)
  }
}

function failureState(ctx: CoreContext, error: unknown, defs: MigrationDef[]): StartupMigrationState {
  const message = errorMessage(error)
  if (error instanceof MigrationError && error.code === 'newer_database') {
    const highestKnown = Math.max(0, ...defs.map((def) => def.version))
    const restorable = readCatalogueSafely(ctx)
      .filter((record) => record.reason === 'pre-migration' && record.schemaVersion <= highestKnown)
      .at(-1)
    return {
      state: 'newer_database',
      message,
      unknownVersions: (error.details.unknownVersions as number[]) ?? [],
      restorableBackup: restorable?.file ?? null,
    }
  }
  const backupPath = error instanceof MigrationError ? ((error.details.backupPath as string | null) ?? null) : null
  return { state: 'failed', message, backupPath, diagnostics: diagnostics(ctx, error) }
}

function readCatalogueSafely(ctx: CoreContext) {
  try {
    return readCatalogue(backupDirFor(ctx.dataDir))
  } catch {
    return []
  }
}

function diagnostics(ctx: CoreContext, error: unknown): string {
  return JSON.stringify(
    {
      app: ctx.appVersion,
      host: ctx.host,
      platform: `${platform()} ${release()}`,
      node: process.versions.node,
      sqlite: ctx.db.prepare('SELECT sqlite_version()').pluck().get(),
      dataDir: ctx.dataDir,
      error:
        error instanceof Error
          ? {
              name: error.name,
              message: error.message,
              ...(error instanceof MigrationError ? { code: error.code, details: error.details } : {}),
            }
          : String(error),
      at: new Date().toISOString(),
    },
    null,
    2,
  )
}
