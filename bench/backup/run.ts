// npm run bench:backup: a verified backup of the same growing database at each size in
// BENCH_BACKUP_MB (default 134 and 1024 MiB), against `cp` of the checkpointed file in the
// same run (and `cp` followed by `sync`, since a backup is only done once it is on disk),
// the longest stall a writer on the app's own connection sees meanwhile, and a restore.
import { execFileSync } from 'node:child_process'
import { existsSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { restoreSqlite } from '../../src/main/core/platform/backups/restore'
import { backupSqlite } from '../../src/main/core/platform/backups/sqlite-backup'
import { stopBackupWorkers } from '../../src/main/core/platform/backups/worker-pool'
import { openSqlite, type SqliteDb } from '../../src/main/core/platform/db/sqlite'
import { elapsedMs, freshDatabase, percentile } from '../shared/fresh-database'

const SIZES_MB = (process.env.BENCH_BACKUP_MB ?? '134,1024').split(',').map(Number)
const TARGETS: Record<number, number> = { 134: 4, 1024: 2 }
const json = process.argv.includes('--json')
const log = (line: string) => {
  if (!json) process.stdout.write(`${line}\n`)
}

const USER_ID = '00000000-0000-7000-8000-00000000b001'
const ROWS_PER_FILL = 10_000
const BACKUPS_PER_SIZE = 4

function sizeMb(path: string): number {
  return existsSync(path) ? statSync(path).size / 1048576 : 0
}

/**
 * A writer on the app's connection: one decision row every 5 ms. It times the gaps between
 * its turns (how long the app's thread was kept from running) and each commit (which waits
 * for the disk, so it also shows how much the backup's writing delays everyone else's).
 */
function startWriter(db: SqliteDb) {
  const insert = db.prepare(
    "INSERT INTO decision_history (id, user_id, symbol, action, rationale, actor) VALUES (lower(hex(randomblob(16))), ?, 'BENCH', 'ai_proposed', 'written during the backup', 'ai')",
  )
  const gaps: number[] = []
  const commits: number[] = []
  let last = process.hrtime.bigint()
  const timer = setInterval(() => {
    const started = process.hrtime.bigint()
    gaps.push(Number(started - last) / 1e6)
    insert.run(USER_ID)
    last = process.hrtime.bigint()
    commits.push(Number(last - started) / 1e6)
  }, 5)
  return {
    stop() {
      clearInterval(timer)
      return {
        written: commits.length,
        longestStallMs: Math.max(0, ...gaps),
        p99GapMs: gaps.length ? percentile(gaps, 99) : 0,
        slowestCommitMs: Math.max(0, ...commits),
        p99CommitMs: commits.length ? percentile(commits, 99) : 0,
      }
    },
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function timed(run: () => void): number {
  const started = process.hrtime.bigint()
  run()
  return elapsedMs(started)
}

async function measure(target: { db: SqliteDb }, dir: string, dbPath: string, targetMb: number) {
  target.db.pragma('wal_checkpoint(TRUNCATE)')
  // The disk's speed swings from run to run, so each baseline is the median of three.
  const copyPath = join(dir, 'copy.sqlite')
  const copies: number[] = []
  const syncedCopies: number[] = []
  for (let run = 0; run < 3; run++) {
    copies.push(timed(() => execFileSync('cp', [dbPath, copyPath])))
    rmSync(copyPath)
    execFileSync('sync')
    syncedCopies.push(timed(() => execFileSync('sh', ['-c', 'cp "$1" "$2" && sync "$2"', 'cp', dbPath, copyPath])))
    rmSync(copyPath)
    execFileSync('sync')
  }
  const copyMs = percentile(copies, 50)
  const copySyncMs = percentile(syncedCopies, 50)

  const idle = startWriter(target.db)
  await sleep(3000)
  const idleWrites = idle.stop()

  // The first backup of the process starts its two workers; later ones find them warm.
  const writer = startWriter(target.db)
  const runs: { ms: number; backup: Awaited<ReturnType<typeof backupSqlite>> }[] = []
  for (let run = 0; run < BACKUPS_PER_SIZE; run++) {
    const started = process.hrtime.bigint()
    const backup = await backupSqlite({ dataDir: dir, dbPath, reason: 'manual', appVersion: 'bench' })
    runs.push({ ms: elapsedMs(started), backup })
  }
  const writes = writer.stop()
  const first = runs[0] as (typeof runs)[number]
  const warm = runs.slice(1).sort((a, b) => a.ms - b.ms)
  const median = warm[Math.floor(warm.length / 2)] ?? first
  const backupMs = median.ms
  const backup = median.backup

  const restoreStarted = process.hrtime.bigint()
  const restoreTarget = {
    dataDir: dir,
    dbPath,
    appVersion: 'bench',
    db: target.db,
    reopen: () => (restoreTarget.db = target.db = openSqlite(dbPath)),
  }
  await restoreSqlite(restoreTarget, backup.file, { highestKnownVersion: backup.schemaVersion })
  const restoreMs = elapsedMs(restoreStarted)

  const ratio = backupMs / copyMs
  return {
    databaseMb: Math.round(sizeMb(dbPath)),
    copyMs: Math.round(copyMs),
    copyAndSyncMs: Math.round(copySyncMs),
    firstBackupMs: Math.round(first.ms),
    warmBackupsMs: warm.map((run) => Math.round(run.ms)),
    backupMs: Math.round(backupMs),
    backupToCopyRatio: Number(ratio.toFixed(2)),
    backupToCopyAndSyncRatio: Number((backupMs / copySyncMs).toFixed(2)),
    target: TARGETS[targetMb] ?? null,
    method: backup.copy.method,
    fallbackReason: backup.copy.fallbackReason ?? null,
    restoreMs: Math.round(restoreMs),
    writerRowsDuringBackup: writes.written,
    longestWriterStallMs: Number(writes.longestStallMs.toFixed(1)),
    p99WriterGapMs: Number(writes.p99GapMs.toFixed(1)),
    slowestCommitMs: Number(writes.slowestCommitMs.toFixed(1)),
    p99CommitMs: Number(writes.p99CommitMs.toFixed(1)),
    idleSlowestCommitMs: Number(idleWrites.slowestCommitMs.toFixed(1)),
    idleP99CommitMs: Number(idleWrites.p99CommitMs.toFixed(1)),
  }
}

async function main() {
  const bench = await freshDatabase('backup')
  const target = { db: bench.db }
  const results = []
  try {
    const { dbPath, dir } = bench
    target.db.prepare("INSERT INTO users (id, display_name) VALUES (?, 'Bench')").run(USER_ID)
    let rows = 0
    for (const targetMb of SIZES_MB) {
      const fill = target.db.prepare(`
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS_PER_FILL})
        INSERT INTO decision_history (id, user_id, occurred_at, symbol, action, rationale, actor)
        SELECT lower(hex(randomblob(16))), ?, strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || (? + i) || ' seconds'), 'SYM' || (i % 20), 'ai_proposed', hex(randomblob(400)), 'ai' FROM n`)
      while (sizeMb(dbPath) + sizeMb(`${dbPath}-wal`) < targetMb) {
        target.db.transaction(() => fill.run(USER_ID, rows))()
        rows += ROWS_PER_FILL
        target.db.pragma('wal_checkpoint(TRUNCATE)')
      }
      const result = await measure(target, dir, dbPath, targetMb)
      results.push(result)
      const goal = result.target ? `; target ≤ ${result.target}×` : ''
      log(`Backup of a ${result.databaseMb} MiB database (${rows.toLocaleString('en-US')} decision rows)`)
      log(
        `  cp of the checkpointed file : ${result.copyMs} ms (cp then sync: ${result.copyAndSyncMs} ms), medians of 3`,
      )
      log(
        `  verified backup             : ${result.backupMs} ms = ${result.backupToCopyRatio}× cp${goal} (${result.backupToCopyAndSyncRatio}× cp then sync), median of ${BACKUPS_PER_SIZE - 1} warm (${result.warmBackupsMs.join(', ')} ms); the first, starting its workers: ${result.firstBackupMs} ms; copied by ${result.method}${result.fallbackReason ? ` because ${result.fallbackReason}` : ''}`,
      )
      log(
        `  writer during the backups   : ${result.writerRowsDuringBackup} rows (one every 5 ms); the app's thread was held up at most ${result.longestWriterStallMs} ms (p99 gap ${result.p99WriterGapMs} ms)`,
      )
      log(
        `  commits during the backups  : slowest ${result.slowestCommitMs} ms, p99 ${result.p99CommitMs} ms; with no backup running: slowest ${result.idleSlowestCommitMs} ms, p99 ${result.idleP99CommitMs} ms`,
      )
      log(
        `  restore                     : ${result.restoreMs} ms: sha256 and integrity_check of the backup, a pre-restore backup, atomic swap`,
      )
    }
    if (json) process.stdout.write(JSON.stringify(results) + '\n')
  } finally {
    if (target.db.open) target.db.close()
    bench.db = target.db
    bench.dispose()
    await stopBackupWorkers()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
