import { randomBytes } from 'node:crypto'
import { connectPostgres, type PgClient, type PostgresTarget } from '../db/postgres'
import type { ApplyContext, ApplyOutcome, Direction, MigrationDriver, SchemaFingerprint } from './driver'
import { MigrationError, StatementFailure } from './errors'
import { fingerprintOf, normaliseDdl, TRACKING_TABLES } from './fingerprint'
import type { SchemaFacts } from './lint'
import { splitStatements } from './split-statements'
import type { AppliedMigration } from './status'
import type { MigrationDef } from './types'
import { errorMessage } from '../../../../shared/errors'

/** pg_advisory_lock key for migration runs: "tradedeck" folded into a bigint. */
export const MIGRATION_LOCK_KEY = '7308604890751885131'

const TRACKING_DDL = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  up_sql text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  duration_ms integer NOT NULL,
  app_version text NOT NULL,
  backup_path text
);
CREATE TABLE IF NOT EXISTS migration_log (
  id bigserial PRIMARY KEY,
  version integer NOT NULL,
  name text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('up', 'down', 'baseline')),
  outcome text NOT NULL CHECK (outcome IN ('ok', 'failed')),
  error text,
  statement_index integer,
  at timestamptz NOT NULL DEFAULT now(),
  duration_ms integer NOT NULL,
  app_version text NOT NULL
);`

export interface PostgresDriverOptions {
  lockTimeoutMs?: number
  lockPollMs?: number
}

async function schemaFingerprint(client: PgClient, schema: string): Promise<SchemaFingerprint> {
  const tracking = [...TRACKING_TABLES]
  const lines: string[] = []
  const columns = await client.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null }>(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
     WHERE table_schema = $1 AND NOT (table_name = ANY($2))`,
    [schema, tracking],
  )
  for (const c of columns.rows) lines.push(`column ${c.table_name}.${c.column_name}: ${c.data_type}${c.is_nullable === 'NO' ? ' not null' : ''}${c.column_default ? ` default ${c.column_default}` : ''}`)
  const constraints = await client.query<{ table_name: string; conname: string; def: string }>(
    `SELECT cl.relname AS table_name, co.conname, pg_get_constraintdef(co.oid) AS def
     FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
     WHERE n.nspname = $1 AND NOT (cl.relname = ANY($2))`,
    [schema, tracking],
  )
  for (const c of constraints.rows) lines.push(`constraint ${c.table_name}.${c.conname}: ${c.def}`)
  const indexes = await client.query<{ tablename: string; indexname: string; indexdef: string }>(
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND NOT (tablename = ANY($2))`,
    [schema, tracking],
  )
  for (const i of indexes.rows) lines.push(`index ${i.tablename}.${i.indexname}: ${normaliseDdl(i.indexdef.split(`${schema}.`).join(''))}`)
  const triggers = await client.query<{ table_name: string; tgname: string; def: string }>(
    `SELECT cl.relname AS table_name, t.tgname, pg_get_triggerdef(t.oid) AS def
     FROM pg_trigger t JOIN pg_class cl ON cl.oid = t.tgrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
     WHERE n.nspname = $1 AND NOT t.tgisinternal`,
    [schema],
  )
  for (const t of triggers.rows) lines.push(`trigger ${t.table_name}.${t.tgname}: ${normaliseDdl(t.def.split(`${schema}.`).join(''))}`)
  const functions = await client.query<{ proname: string; src: string }>(
    `SELECT p.proname, md5(p.prosrc) AS src FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1`,
    [schema],
  )
  for (const f of functions.rows) lines.push(`function ${f.proname}: ${f.src}`)
  return fingerprintOf(lines)
}

export class PostgresMigrationDriver implements MigrationDriver {
  readonly dialect = 'postgres' as const
  readonly backupNote = 'No backup was taken: Tradedeck does not back up PostgreSQL (use your server’s own backups, e.g. pg_dump or PITR).'

  private constructor(
    private readonly client: PgClient,
    private readonly target: PostgresTarget,
    private readonly options: PostgresDriverOptions,
  ) {}

  static async connect(target: PostgresTarget, options: PostgresDriverOptions = {}): Promise<PostgresMigrationDriver> {
    return new PostgresMigrationDriver(await connectPostgres(target, 'tradedeck-migrate'), target, options)
  }

  async close(): Promise<void> {
    await this.client.end()
  }

  private async schema(): Promise<string> {
    return (await this.client.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]?.schema ?? 'public'
  }

  private async tableExists(name: string): Promise<boolean> {
    const { rows } = await this.client.query('SELECT to_regclass($1) AS oid', [name])
    return rows[0]?.oid !== null
  }

  async readApplied(): Promise<AppliedMigration[]> {
    if (!(await this.tableExists('schema_migrations'))) return []
    const { rows } = await this.client.query<AppliedMigration & { appliedAt: Date }>(
      `SELECT version, name, checksum, up_sql AS "upSql", applied_at AS "appliedAt", duration_ms AS "durationMs", app_version AS "appVersion", backup_path AS "backupPath"
       FROM schema_migrations ORDER BY version`,
    )
    return rows.map((row) => ({ ...row, appliedAt: new Date(row.appliedAt).toISOString() }))
  }

  async isEmpty(): Promise<boolean> {
    const { rows } = await this.client.query<{ n: string }>('SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()')
    return rows[0]?.n === '0'
  }

  /**
   * A session advisory lock on its own connection, polled with a timeout. It
   * lives exactly as long as that connection, so a crash can never leave it stale.
   */
  async withRunLock<T>(fn: () => Promise<T>): Promise<T> {
    const lock = await connectPostgres(this.target, 'tradedeck-migrate-lock')
    try {
      const deadline = Date.now() + (this.options.lockTimeoutMs ?? 120_000)
      for (;;) {
        const { rows } = await lock.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [MIGRATION_LOCK_KEY])
        if (rows[0]?.ok) break
        if (Date.now() > deadline) {
          const holder = await lock.query<{ pid: number }>(
            `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
            [MIGRATION_LOCK_KEY],
          )
          const pid = holder.rows[0]?.pid
          throw new MigrationError(
            'lock_timeout',
            `Another migration run holds the PostgreSQL migration lock${pid ? ` (server process pid ${pid})` : ''}. Nothing was changed; try again when it is done.`,
            { holderPid: pid ?? null },
          )
        }
        await new Promise((resolve) => setTimeout(resolve, this.options.lockPollMs ?? 250))
      }
      try {
        return await fn()
      } finally {
        await lock.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY])
      }
    } finally {
      await lock.end()
    }
  }

  private async ensureTracking(): Promise<void> {
    if ((await this.tableExists('schema_migrations')) && (await this.tableExists('migration_log'))) return
    await this.client.query(TRACKING_DDL)
  }

  async apply(def: MigrationDef, direction: Direction, context: ApplyContext): Promise<ApplyOutcome> {
    await this.ensureTracking()
    const script = direction === 'up' ? def.up : def.down
    if (!script) throw new MigrationError('no_down', `Migration ${def.version}_${def.name} has no down file.`)
    const statements = splitStatements(script.sql)
    const started = Date.now()
    const transactional = !def.noTransaction
    const isApplied = async () => (await this.client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [def.version])).rowCount === 1
    if (transactional) await this.client.query('BEGIN')
    try {
      if ((await isApplied()) === (direction === 'up')) {
        if (transactional) await this.client.query('ROLLBACK')
        return 'skipped'
      }
      for (const [index, statement] of statements.entries()) {
        try {
          await this.client.query(statement)
        } catch (error) {
          throw new StatementFailure(index + 1, statements.length, statement, error)
        }
      }
      const durationMs = Date.now() - started
      if (direction === 'up') {
        await this.client.query(
          'INSERT INTO schema_migrations (version, name, checksum, up_sql, duration_ms, app_version, backup_path) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [def.version, def.name, def.up.sha256, def.up.sql, durationMs, context.appVersion, context.backupPath],
        )
      } else {
        await this.client.query('DELETE FROM schema_migrations WHERE version = $1', [def.version])
      }
      await this.insertLog(def, direction, 'ok', null, null, durationMs, context.appVersion)
      if (transactional) await this.client.query('COMMIT')
      return 'applied'
    } catch (error) {
      if (transactional) await this.client.query('ROLLBACK').catch(() => {})
      throw error
    }
  }

  private async insertLog(def: MigrationDef, direction: Direction | 'baseline', outcome: 'ok' | 'failed', error: string | null, statementIndex: number | null, durationMs: number, appVersion: string) {
    await this.client.query(
      'INSERT INTO migration_log (version, name, direction, outcome, error, statement_index, duration_ms, app_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [def.version, def.name, direction, outcome, error, statementIndex, durationMs, appVersion],
    )
  }

  async logFailure(def: MigrationDef, direction: Direction, error: unknown, statementIndex: number | null, context: ApplyContext): Promise<void> {
    await this.ensureTracking()
    await this.insertLog(def, direction, 'failed', errorMessage(error), statementIndex, 0, context.appVersion)
  }

  async recordBaseline(defs: MigrationDef[], appVersion: string): Promise<void> {
    await this.ensureTracking()
    await this.client.query('BEGIN')
    try {
      for (const def of defs) {
        await this.client.query(
          'INSERT INTO schema_migrations (version, name, checksum, up_sql, duration_ms, app_version) VALUES ($1, $2, $3, $4, 0, $5)',
          [def.version, def.name, def.up.sha256, def.up.sql, appVersion],
        )
        await this.insertLog(def, 'baseline', 'ok', null, null, 0, appVersion)
      }
      await this.client.query('COMMIT')
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => {})
      throw error
    }
  }

  async fingerprint(): Promise<SchemaFingerprint> {
    return schemaFingerprint(this.client, await this.schema())
  }

  /** Replays into a scratch schema on the same server, then drops it. */
  async replayFingerprint(defs: MigrationDef[]): Promise<SchemaFingerprint> {
    const scratch = `tradedeck_replay_${randomBytes(6).toString('hex')}`
    const client = await connectPostgres(this.target, 'tradedeck-replay')
    try {
      await client.query(`CREATE SCHEMA ${scratch}`)
      await client.query(`SET search_path TO ${scratch}`)
      for (const def of defs) for (const statement of splitStatements(def.up.sql)) await client.query(statement)
      return await schemaFingerprint(client, scratch)
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${scratch} CASCADE`).catch(() => {})
      await client.end()
    }
  }

  async schemaFacts(): Promise<SchemaFacts> {
    const schema = await this.schema()
    const counts = await this.client.query<{ relname: string; n: string }>(
      `SELECT c.relname, c.reltuples::bigint AS n FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = $1 AND c.relkind = 'r'`,
      [schema],
    )
    const cascades = await this.client.query<{ parent: string; child: string }>(
      `SELECT p.relname AS parent, c.relname AS child FROM pg_constraint co
       JOIN pg_class p ON p.oid = co.confrelid JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
       WHERE co.contype = 'f' AND co.confdeltype = 'c' AND ns.nspname = $1`,
      [schema],
    )
    // reltuples is -1 until the table is first analysed: unknown, so the lint warns rather than guesses.
    const rowCounts = new Map(counts.rows.map((row) => [row.relname, Number(row.n) < 0 ? null : Number(row.n)]))
    return {
      rowCount: (table) => rowCounts.get(table) ?? null,
      cascadeChildren: (table) => cascades.rows.filter((row) => row.parent === table).map((row) => row.child),
    }
  }

  async backup(): Promise<null> {
    return null
  }
}
