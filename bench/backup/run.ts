// npm run bench:backup: backup and restore of a ~1 GB database (BENCH_BACKUP_MB), against
// `cp` of the checkpointed file in the same run, and the longest stall a writer on the
// app's own connection sees while the backup runs.
import { execFileSync } from 'node:child_process'
import { rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { copyDatabase } from '../../src/main/core/backups/copy-worker'
import { restoreSqlite } from '../../src/main/core/backups/restore'
import { backupSqlite } from '../../src/main/core/backups/sqlite-backup'
import { openSqlite } from '../../src/main/core/db/sqlite'
import { elapsedMs, freshDatabase, percentile } from '../shared/fresh-database'

const TARGET_MB = Number(process.env.BENCH_BACKUP_MB ?? 1024)
const json = process.argv.includes('--json')
const log = (line: string) => {
  if (!json) process.stdout.write(`${line}\n`)
}

const USER_ID = '00000000-0000-7000-8000-00000000b001'
const ROWS_PER_FILL = 50_000

function sizeMb(path: string): number {
  return statSync(path).size / 1048576
}

/** A writer on the app's connection: one decision row every 5 ms, timing the gaps between its turns. */
function startWriter(db: ReturnType<typeof openSqlite>) {
  const insert = db.prepare("INSERT INTO decision_history (id, user_id, symbol, action, rationale, actor) VALUES (lower(hex(randomblob(16))), ?, 'BENCH', 'ai_proposed', 'written during the backup', 'ai')")
  const gaps: number[] = []
  let last = process.hrtime.bigint()
  let written = 0
  const timer = setInterval(() => {
    const now = process.hrtime.bigint()
    gaps.push(Number(now - last) / 1e6)
    insert.run(USER_ID)
    written++
    last = process.hrtime.bigint()
  }, 5)
  return {
    stop() {
      clearInterval(timer)
      return { written, longestStallMs: Math.max(0, ...gaps), p99GapMs: gaps.length ? percentile(gaps, 99) : 0 }
    },
  }
}

async function main() {
  const bench = await freshDatabase('backup')
  try {
    const { db, dbPath, dir } = bench
    db.prepare("INSERT INTO users (id, display_name) VALUES (?, 'Bench')").run(USER_ID)
    const fill = db.prepare(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS_PER_FILL})
      INSERT INTO decision_history (id, user_id, occurred_at, symbol, action, rationale, actor)
      SELECT lower(hex(randomblob(16))), ?, strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || (? + i) || ' seconds'), 'SYM' || (i % 20), 'ai_proposed', hex(randomblob(400)), 'ai' FROM n`)
    let rows = 0
    while (sizeMb(dbPath) + sizeMb(`${dbPath}-wal`) < TARGET_MB) {
      db.transaction(() => fill.run(USER_ID, rows))()
      rows += ROWS_PER_FILL
      db.pragma('wal_checkpoint(TRUNCATE)')
      log(`  … ${Math.round(sizeMb(dbPath))} MiB`)
    }
    db.pragma('wal_checkpoint(TRUNCATE)')
    const databaseMb = sizeMb(dbPath)
    log(`Backup: ${Math.round(databaseMb)} MiB database, ${rows.toLocaleString('en-US')} decision rows`)

    const copyPath = join(dir, 'copy.sqlite')
    const copyStarted = process.hrtime.bigint()
    execFileSync('cp', [dbPath, copyPath])
    const copyMs = elapsedMs(copyStarted)
    rmSync(copyPath)
    const apiStarted = process.hrtime.bigint()
    await copyDatabase(dbPath, copyPath)
    const apiCopyMs = elapsedMs(apiStarted)
    rmSync(copyPath)

    const writer = startWriter(db)
    const backupStarted = process.hrtime.bigint()
    const backup = await backupSqlite({ dataDir: dir, dbPath, reason: 'manual', appVersion: 'bench' })
    const backupMs = elapsedMs(backupStarted)
    const writes = writer.stop()

    const restoreStarted = process.hrtime.bigint()
    const target = { dataDir: dir, dbPath, appVersion: 'bench', db, reopen: () => (target.db = openSqlite(dbPath)) }
    await restoreSqlite(target, backup.file, { highestKnownVersion: backup.schemaVersion })
    const restoreMs = elapsedMs(restoreStarted)
    target.db.close()

    const result = {
      databaseMb: Math.round(databaseMb),
      copyMs: Math.round(copyMs),
      apiCopyMs: Math.round(apiCopyMs),
      apiCopyToCopyRatio: Number((apiCopyMs / copyMs).toFixed(2)),
      backupMs: Math.round(backupMs),
      backupToCopyRatio: Number((backupMs / copyMs).toFixed(2)),
      restoreMs: Math.round(restoreMs),
      writerRowsDuringBackup: writes.written,
      longestWriterStallMs: Number(writes.longestStallMs.toFixed(1)),
      p99WriterGapMs: Number(writes.p99GapMs.toFixed(1)),
    }
    log(`cp of the checkpointed file : ${result.copyMs} ms`)
    log(`backup API copy alone       : ${result.apiCopyMs} ms (${result.apiCopyToCopyRatio}× cp)`)
    log(`verified backup             : ${result.backupMs} ms (${result.backupToCopyRatio}× cp; target ≤ 3×): backup API, quick_check and row counts in a worker, sha256, catalogue`)
    log(`restore                     : ${result.restoreMs} ms: sha256 and integrity_check of the backup, a pre-restore backup, atomic swap`)
    log(`writer during the backup    : ${result.writerRowsDuringBackup} rows, longest stall ${result.longestWriterStallMs} ms, p99 gap ${result.p99WriterGapMs} ms (one row every 5 ms)`)
    if (json) process.stdout.write(JSON.stringify(result) + '\n')
  } finally {
    bench.dispose()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
