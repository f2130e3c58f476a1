import Database from 'better-sqlite3'
import { backupSqlite } from '../backups/sqlite-backup'
import type { SqliteDb } from '../db/sqlite'
import type { ApplyContext, ApplyOutcome, Direction, MigrationDriver, SchemaFingerprint } from './driver'
import { MigrationError, StatementFailure } from './errors'
import { fingerprintOf, normaliseDdl, TRACKING_TABLES } from './fingerprint'
import { rebuiltTables, type SchemaFacts } from './lint'
import { splitStatements } from './split-statements'
import type { AppliedMigration } from './status'
import type { MigrationDef } from './types'
import { errorMessage } from '../../../../shared/errors'

const TRACKING_DDL = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  up_sql TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  app_version TEXT NOT NULL,
  backup_path TEXT
);
CREATE TABLE IF NOT EXISTS migration_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('up', 'down', 'baseline')),
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed')),
  error TEXT,
  statement_index INTEGER,
  at TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  app_version TEXT NOT NULL
);`

export interface SqliteDriverOptions {
  dataDir: string | null
  dbPath: string
  appVersion: string
  /** How long to wait for another process's migration to finish. */
  lockTimeoutMs?: number
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: string }).code
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED'
}

function tableExists(db: SqliteDb, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined
}

/** Rows in a table; null when there is no such table. */
export function tableRowCount(db: SqliteDb, table: string): number | null {
  if (!tableExists(db, table)) return null
  return db.prepare(`SELECT COUNT(*) FROM "${table.replace(/"/g, '""')}"`).pluck().get() as number
}

export function sqliteFingerprint(db: SqliteDb): SchemaFingerprint {
  const rows = db
    .prepare("SELECT type, name, tbl_name AS tableName, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND sql IS NOT NULL")
    .all() as { type: string; name: string; tableName: string; sql: string }[]
  const tracking = new Set<string>(TRACKING_TABLES)
  return fingerprintOf(rows.filter((row) => !tracking.has(row.tableName)).map((row) => `${row.type} ${row.name}: ${normaliseDdl(row.sql)}`))
}

export class SqliteMigrationDriver implements MigrationDriver {
  readonly dialect = 'sqlite' as const
  readonly backupNote = null

  constructor(
    private readonly db: SqliteDb,
    private readonly options: SqliteDriverOptions,
  ) {}

  async readApplied(): Promise<AppliedMigration[]> {
    if (!tableExists(this.db, 'schema_migrations')) return []
    return this.db
      .prepare(
        'SELECT version, name, checksum, up_sql AS upSql, applied_at AS appliedAt, duration_ms AS durationMs, app_version AS appVersion, backup_path AS backupPath FROM schema_migrations ORDER BY version',
      )
      .all() as AppliedMigration[]
  }

  async isEmpty(): Promise<boolean> {
    return this.db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").pluck().get() === 0
  }

  // SQLite has no session lock: each migration takes BEGIN IMMEDIATE and re-reads the applied set.
  async withRunLock<T>(fn: () => Promise<T>): Promise<T> {
    return fn()
  }

  private beginImmediate(): void {
    const deadline = Date.now() + (this.options.lockTimeoutMs ?? 120_000)
    for (;;) {
      try {
        this.db.exec('BEGIN IMMEDIATE')
        return
      } catch (error) {
        if (!isBusy(error)) throw error
        if (Date.now() > deadline) {
          throw new MigrationError(
            'lock_timeout',
            `Another process has held the database write lock for over ${Math.round((this.options.lockTimeoutMs ?? 120_000) / 1000)} s (probably migrating it). Nothing was changed; try again when it is done.`,
          )
        }
        sleepSync(50)
      }
    }
  }

  /** Runs fn in one IMMEDIATE transaction with foreign keys off, checked before COMMIT. */
  private inMigrationTransaction<T>(fn: () => T): T {
    // PRAGMA foreign_keys is a no-op inside a transaction, so it must be switched off before BEGIN;
    // otherwise a table rebuild fires ON DELETE CASCADE and empties every child table.
    this.db.pragma('foreign_keys = OFF')
    try {
      this.beginImmediate()
      try {
        const result = fn()
        const violations = this.db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]
        if (violations.length > 0) {
          const first = violations[0] as { table: string; rowid: number; parent: string }
          throw new MigrationError(
            'foreign_key_violation',
            `${violations.length} row(s) would break a foreign key (first: ${first.table} rowid ${first.rowid} → ${first.parent}).`,
          )
        }
        this.db.exec('COMMIT')
        return result
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK')
        throw error
      }
    } finally {
      this.db.pragma('foreign_keys = ON')
    }
  }

  private ensureTracking(): void {
    if (tableExists(this.db, 'schema_migrations') && tableExists(this.db, 'migration_log')) return
    this.db.pragma('foreign_keys = ON')
    this.beginImmediate()
    try {
      this.db.exec(TRACKING_DDL)
      this.db.exec('COMMIT')
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK')
      throw error
    }
  }

  async apply(def: MigrationDef, direction: Direction, context: ApplyContext): Promise<ApplyOutcome> {
    this.ensureTracking()
    const script = direction === 'up' ? def.up : def.down
    if (!script) throw new MigrationError('no_down', `Migration ${def.version}_${def.name} has no down file.`)
    const statements = splitStatements(script.sql)
    const started = Date.now()
    const outcome = this.inMigrationTransaction<ApplyOutcome>(() => {
      const isApplied = this.db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(def.version) !== undefined
      if (isApplied === (direction === 'up')) return 'skipped'
      const companions = this.rebuildCompanions(script.sql)
      statements.forEach((statement, index) => {
        try {
          this.db.exec(statement)
        } catch (error) {
          throw new StatementFailure(index + 1, statements.length, statement, error)
        }
      })
      this.assertCompanionsKept(companions, def)
      const durationMs = Date.now() - started
      if (direction === 'up') {
        this.db
          .prepare('INSERT INTO schema_migrations (version, name, checksum, up_sql, applied_at, duration_ms, app_version, backup_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(def.version, def.name, def.up.sha256, def.up.sql, new Date().toISOString(), durationMs, context.appVersion, context.backupPath)
      } else {
        this.db.prepare('DELETE FROM schema_migrations WHERE version = ?').run(def.version)
      }
      this.insertLog(def, direction, 'ok', null, null, durationMs, context.appVersion)
      const current = this.db.prepare('SELECT COALESCE(MAX(version), 0) FROM schema_migrations').pluck().get() as number
      this.db.pragma(`user_version = ${current}`)
      return 'applied'
    })
    return outcome
  }

  /** Indexes and triggers of the tables a script rebuilds, minus those it drops on purpose. */
  private rebuildCompanions(sql: string): { table: string; type: string; name: string }[] {
    const tables = rebuiltTables(sql)
    if (tables.length === 0) return []
    const droppedOnPurpose = new Set(
      [...sql.matchAll(/\bDROP\s+(?:INDEX|TRIGGER)\s+(?:IF\s+EXISTS\s+)?["`]?([A-Za-z_][A-Za-z0-9_]*)/gi)].map((match) => (match[1] as string).toLowerCase()),
    )
    const rows = this.db
      .prepare(`SELECT tbl_name AS "table", type, name FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND lower(tbl_name) IN (${tables.map(() => '?').join(',')})`)
      .all(...tables) as { table: string; type: string; name: string }[]
    return rows.filter((row) => !droppedOnPurpose.has(row.name.toLowerCase()))
  }

  /** A table rebuild that forgets to recreate an index or trigger fails instead of silently losing it. */
  private assertCompanionsKept(companions: { table: string; type: string; name: string }[], def: MigrationDef): void {
    const lost = companions.filter((item) => this.db.prepare('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?').get(item.type, item.name) === undefined)
    if (lost.length > 0) {
      throw new MigrationError(
        'migration_failed',
        `Migration ${def.version}_${def.name} rebuilds ${lost[0]?.table} but does not recreate ${lost.map((item) => `${item.type} ${item.name}`).join(', ')}. Recreate them after the rename (see migrations/README.md).`,
      )
    }
  }

  private insertLog(def: MigrationDef, direction: Direction | 'baseline', outcome: 'ok' | 'failed', error: string | null, statementIndex: number | null, durationMs: number, appVersion: string): void {
    this.db
      .prepare('INSERT INTO migration_log (version, name, direction, outcome, error, statement_index, at, duration_ms, app_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(def.version, def.name, direction, outcome, error, statementIndex, new Date().toISOString(), durationMs, appVersion)
  }

  async logFailure(def: MigrationDef, direction: Direction, error: unknown, statementIndex: number | null, context: ApplyContext): Promise<void> {
    this.ensureTracking()
    this.db.transaction(() => this.insertLog(def, direction, 'failed', errorMessage(error), statementIndex, 0, context.appVersion)).immediate()
  }

  async recordBaseline(defs: MigrationDef[], appVersion: string): Promise<void> {
    this.ensureTracking()
    this.inMigrationTransaction(() => {
      const insert = this.db.prepare(
        'INSERT INTO schema_migrations (version, name, checksum, up_sql, applied_at, duration_ms, app_version, backup_path) VALUES (?, ?, ?, ?, ?, 0, ?, NULL)',
      )
      for (const def of defs) {
        insert.run(def.version, def.name, def.up.sha256, def.up.sql, new Date().toISOString(), appVersion)
        this.insertLog(def, 'baseline', 'ok', null, null, 0, appVersion)
      }
      this.db.pragma(`user_version = ${Math.max(0, ...defs.map((def) => def.version))}`)
    })
  }

  async fingerprint(): Promise<SchemaFingerprint> {
    return sqliteFingerprint(this.db)
  }

  async replayFingerprint(defs: MigrationDef[]): Promise<SchemaFingerprint> {
    const scratch = new Database(':memory:')
    try {
      scratch.pragma('foreign_keys = OFF')
      for (const def of defs) scratch.exec(def.up.sql)
      return sqliteFingerprint(scratch)
    } finally {
      scratch.close()
    }
  }

  async schemaFacts(): Promise<SchemaFacts> {
    const db = this.db
    return {
      rowCount: (table) => tableRowCount(db, table),
      cascadeChildren(table) {
        const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]
        return tables.filter((child) =>
          (db.pragma(`foreign_key_list("${child.replace(/"/g, '""')}")`) as { table: string; on_delete: string }[]).some(
            (fk) => fk.table.toLowerCase() === table.toLowerCase() && fk.on_delete.toUpperCase() === 'CASCADE',
          ),
        )
      },
    }
  }

  async backup(reason: 'pre-migration' | 'pre-rollback') {
    if (!this.options.dataDir) return null
    return backupSqlite({ dataDir: this.options.dataDir, dbPath: this.options.dbPath, reason, appVersion: this.options.appVersion })
  }
}
