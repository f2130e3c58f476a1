import type { BackupRecord } from '../backups/catalogue'
import type { SchemaFacts } from './lint'
import type { AppliedMigration } from './status'
import type { Dialect, MigrationDef } from './types'

export type Direction = 'up' | 'down'

export interface ApplyContext {
  appVersion: string
  backupPath: string | null
}

export type ApplyOutcome = 'applied' | 'skipped'

export interface SchemaFingerprint {
  hash: string
  lines: string[]
}

export type BackupResult = (BackupRecord & { path: string }) | null

/**
 * What the runner needs from one dialect. The runner decides what to do; the
 * driver knows how to do it safely on its database.
 */
export interface MigrationDriver {
  readonly dialect: Dialect
  readApplied(): Promise<AppliedMigration[]>
  /** True when the database holds no tables at all (nothing worth a backup). */
  isEmpty(): Promise<boolean>
  /** Holds a cross-process lock for a whole run where the dialect has one. */
  withRunLock<T>(fn: () => Promise<T>): Promise<T>
  /**
   * Runs one migration in its own transaction with its tracking rows. Re-reads
   * the applied set once the lock is held and skips what another process did.
   */
  apply(def: MigrationDef, direction: Direction, context: ApplyContext): Promise<ApplyOutcome>
  logFailure(def: MigrationDef, direction: Direction, error: unknown, statementIndex: number | null, context: ApplyContext): Promise<void>
  recordBaseline(defs: MigrationDef[], appVersion: string): Promise<void>
  fingerprint(): Promise<SchemaFingerprint>
  /** The fingerprint the given migrations produce on an empty database. */
  replayFingerprint(defs: MigrationDef[]): Promise<SchemaFingerprint>
  schemaFacts(): Promise<SchemaFacts>
  backup(reason: 'pre-migration' | 'pre-rollback'): Promise<BackupResult>
  /** What the output says when no backup could be taken by design (Postgres). */
  readonly backupNote: string | null
}
