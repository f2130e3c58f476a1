// npm run bench:sync -- [--json]: outbox replication into a local PostgreSQL, against COPY of the same rows in the same run.
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { v7 as uuidv7 } from 'uuid'
import { keyFileSecretBox } from '../../src/main/core/platform/central/secret-box'
import { CoreEvents } from '../../src/main/core/platform/events'
import { readManifestFromDisk } from '../../src/main/core/platform/migrations/files'
import { openPostgresMigrator } from '../../src/main/core/platform/migrations/open'
import { sqliteStoreDb } from '../../src/main/core/platform/store/connection'
import { createStore } from '../../src/main/core/platform/store/store'
import { outboxLag } from '../../src/main/core/platform/sync/outbox'
import { enableCapture, writeSyncState } from '../../src/main/core/platform/sync/sync-state'
import { SyncService } from '../../src/main/core/platform/sync/sync-service'
import { startPostgresServer } from '../../tests/helpers/postgres-server'
import { elapsedMs, freshDatabase } from '../shared/fresh-database'

const ROWS = Number(process.env.BENCH_ROWS ?? 300_000)
const json = process.argv.includes('--json')
const log = (line: string) => process.stderr.write(line + '\n')
const TABLES = ['market_snapshots', 'decision_history', 'account_snapshots'] as const
const defs = readManifestFromDisk(join(__dirname, '..', '..', 'migrations')).postgres

async function centralServer(): Promise<{
  urlFor(db: string): string
  create(db: string): Promise<void>
  stop(): Promise<void>
}> {
  const external = process.env.BENCH_PG_URL
  if (external) {
    const admin = new URL(external)
    return {
      urlFor: (db) => Object.assign(new URL(admin), { pathname: `/${db}` }).toString(),
      async create(db) {
        const client = new pg.Client({ connectionString: external })
        await client.connect()
        await client.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)
        await client.query(`CREATE DATABASE ${db}`)
        await client.end()
      },
      stop: async () => {},
    }
  }
  const server = await startPostgresServer()
  return { urlFor: server.urlFor, create: server.createDatabase, stop: server.destroy }
}

async function migrate(url: string): Promise<void> {
  const opened = await openPostgresMigrator(url, { appVersion: 'bench', defs })
  await opened.migrator.migrate()
  await opened.close()
}

/** COPY's text format: tab-separated, \N for NULL, backslash escapes. */
function copyLine(values: unknown[]): string {
  return (
    values
      .map((value) =>
        value === null || value === undefined
          ? '\\N'
          : String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r'),
      )
      .join('\t') + '\n'
  )
}

async function main() {
  const server = await centralServer()
  const desk = await freshDatabase('sync')
  try {
    await server.create('bench_sync')
    await server.create('bench_copy')
    await migrate(server.urlFor('bench_sync'))
    await migrate(server.urlFor('bench_copy'))

    const store = createStore(sqliteStoreDb(desk.db))
    // The outbox path is what runs all day (the initial copy shares its writer), so every row, the user too, goes through it.
    enableCapture(desk.db, 'bench')
    writeSyncState(desk.db, { initialDoneAt: new Date().toISOString() })
    const user = await store.users.ensureDefault()
    const perTable = Math.floor(ROWS / TABLES.length)
    log(`Writing ${(perTable * TABLES.length).toLocaleString('en')} rows through the outbox triggers…`)
    const start = Date.UTC(2026, 0, 1)
    const candle = desk.db.prepare(
      "INSERT INTO market_snapshots (id, symbol, timeframe, ts, open, high, low, close, volume) VALUES (?, 'BTC-PERP', '1m', ?, '67120.5', '67188.25', '67010', '67150.75', '12.5')",
    )
    const decision = desk.db.prepare(
      'INSERT INTO decision_history (id, user_id, occurred_at, symbol, action, rationale, confidence, risk_check, actor) VALUES (?, ?, ?, \'BTC-PERP\', \'ai_proposed\', ?, 0.72, \'{"route":"needs_approval","checks":{"size":true,"drawdown":true}}\', \'ai\')',
    )
    const snapshot = desk.db.prepare(
      "INSERT INTO account_snapshots (id, user_id, broker, environment, balance, equity, margin_used, open_pl, open_positions, captured_at) VALUES (?, ?, 'paper', 'paper', '10000', ?, '0', '12.5', 1, ?)",
    )
    desk.db.transaction(() => {
      for (let i = 0; i < perTable; i++) {
        const at = new Date(start + i * 60_000).toISOString()
        candle.run(uuidv7(), at)
        decision.run(uuidv7(), user.id, at, `EMA 12 crossed EMA 26 on candle ${i}`)
        snapshot.run(uuidv7(), user.id, (10_000 + (i % 500) / 10).toFixed(2), at)
      }
    })()
    const rows = perTable * TABLES.length

    const host = {
      db: desk.db,
      store,
      secrets: keyFileSecretBox(desk.dir),
      events: new CoreEvents(),
      startupMigration: { state: 'ok' as const, applied: [], backupPath: null },
    }
    const service = new SyncService(() => host, { batchSize: Number(process.env.BENCH_BATCH ?? 5_000) })
    const queued = outboxLag(desk.db).rows
    const syncStarted = process.hrtime.bigint()
    const drained = await service.drain({ config: { connectionString: server.urlFor('bench_sync') }, target: 'bench' })
    const syncMs = elapsedMs(syncStarted)
    if (drained.sent !== queued) throw new Error(`sent ${drained.sent} outbox entries, expected ${queued}`)

    // The ceiling: the same rows read from SQLite and streamed with COPY into an identical schema.
    const client = new pg.Client({ connectionString: server.urlFor('bench_copy') })
    await client.connect()
    const copyStarted = process.hrtime.bigint()
    // users first (one row), for the foreign keys.
    for (const table of ['users', ...TABLES]) {
      const columns = (desk.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map(
        (column) => column.name,
      )
      const source = Readable.from(
        (function* () {
          for (const row of desk.db
            .prepare(`SELECT ${columns.join(', ')} FROM ${table}`)
            .raw()
            .iterate() as Iterable<unknown[]>)
            yield copyLine(row)
        })(),
      )
      await pipeline(source, client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)))
    }
    const copyMs = elapsedMs(copyStarted)
    await client.end()

    const check = new pg.Client({ connectionString: server.urlFor('bench_sync') })
    await check.connect()
    let central = 0
    for (const table of TABLES) central += Number((await check.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n)
    await check.end()
    if (central !== rows) throw new Error(`central holds ${central} rows, expected ${rows}`)

    const result = {
      rows,
      syncMs: Math.round(syncMs),
      syncRowsPerSecond: Math.round(rows / (syncMs / 1000)),
      copyMs: Math.round(copyMs),
      copyRowsPerSecond: Math.round(rows / (copyMs / 1000)),
      syncToCopyRatio: +(syncMs / copyMs).toFixed(2),
      targetRowsPerSecond: 20_000,
    }
    if (json) process.stdout.write(JSON.stringify(result) + '\n')
    else {
      log(
        `Outbox sync: ${result.rows.toLocaleString('en')} rows in ${result.syncMs} ms = ${result.syncRowsPerSecond.toLocaleString('en')} rows/s (target ≥ 20,000)`,
      )
      log(`COPY ceiling: ${result.copyMs} ms = ${result.copyRowsPerSecond.toLocaleString('en')} rows/s`)
      log(`Sync takes ${result.syncToCopyRatio}× as long as COPY of the same rows`)
    }
  } finally {
    desk.dispose()
    await server.stop()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
