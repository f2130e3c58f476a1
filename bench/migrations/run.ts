// npm run bench:migrations: the runner's overhead against raw better-sqlite3,
// and the verified pre-migration backup against a plain file copy, measured in
// the same run on the same machine.
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { backupSqlite } from '../../src/main/core/platform/backups/sqlite-backup'
import { openSqlite } from '../../src/main/core/platform/db/sqlite'
import { normaliseSql, sha256 } from '../../src/main/core/platform/migrations/files'
import { sqliteMigrator } from '../../src/main/core/platform/migrations/open'
import type { MigrationDef } from '../../src/main/core/platform/migrations/types'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

const SCHEMA = `
CREATE TABLE fills (
  id INTEGER PRIMARY KEY,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL,
  quantity TEXT NOT NULL,
  price TEXT NOT NULL,
  filled_at TEXT NOT NULL
);
CREATE INDEX fills_symbol ON fills (symbol, filled_at);
CREATE INDEX fills_filled_at ON fills (filled_at);`

const REBUILD = `
CREATE TABLE fills_new (
  id INTEGER PRIMARY KEY,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  quantity TEXT NOT NULL,
  price TEXT NOT NULL,
  filled_at TEXT NOT NULL
);
INSERT INTO fills_new (id, symbol, side, quantity, price, filled_at) SELECT id, symbol, side, quantity, price, filled_at FROM fills;
DROP TABLE fills;
ALTER TABLE fills_new RENAME TO fills;
CREATE INDEX fills_symbol ON fills (symbol, filled_at);
CREATE INDEX fills_filled_at ON fills (filled_at);`

function def(version: number, name: string, sql: string): MigrationDef {
  const text = normaliseSql(sql)
  return { version, name, up: { file: `${name}.up.sql`, sql: text, sha256: sha256(text) }, down: { file: `${name}.down.sql`, sql: 'SELECT 1;', sha256: sha256('SELECT 1;') }, noTransaction: false, irreversible: false, lossy: false }
}

function seed(path: string): void {
  const db = openSqlite(path)
  db.exec(SCHEMA)
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
    INSERT INTO fills (id, symbol, side, quantity, price, filled_at)
    SELECT i, 'SYM' || (i % 250), CASE i % 2 WHEN 0 THEN 'buy' ELSE 'sell' END, (i % 97) || '.25', (10000 + i % 5000) || '.5',
           strftime('%Y-%m-%dT%H:%M:%fZ', 1700000000 + i, 'unixepoch')
    FROM n`)
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'tradedeck-bench-'))
  try {
    const template = join(dir, 'template.sqlite')
    process.stderr.write(`Seeding ${ROWS.toLocaleString('en')} rows with two indexes…\n`)
    seed(template)
    const baseline = def(1, 'fills', SCHEMA)
    const rebuild = def(2, 'fills_side_check', REBUILD)

    const runnerTimes: number[] = []
    const rawTimes: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order so neither side always gets the warmer page cache.
      for (const side of round % 2 === 0 ? ['raw', 'runner'] : ['runner', 'raw']) {
        const path = join(dir, `${side}-${round}.sqlite`)
        copyFileSync(template, path)
        const db = openSqlite(path)
        if (side === 'raw') {
          // Raw, done right: foreign keys off for the rebuild, as the runner does.
          db.pragma('foreign_keys = OFF')
          const start = process.hrtime.bigint()
          db.exec('BEGIN IMMEDIATE')
          db.exec(REBUILD)
          db.exec('COMMIT')
          rawTimes.push(ms(start))
        } else {
          const migrator = sqliteMigrator(db, null, { appVersion: 'bench', defs: [baseline, rebuild], dbPath: path })
          await migrator.baseline(1)
          const start = process.hrtime.bigint()
          await migrator.migrate()
          runnerTimes.push(ms(start))
        }
        db.close()
        rmSync(path, { force: true })
      }
    }

    const backupTimes: number[] = []
    const copyTimes: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      const live = join(dir, `live-${round}.sqlite`)
      copyFileSync(template, live)
      const db = openSqlite(live)
      const dataDir = join(dir, `data-${round}`)
      let start = process.hrtime.bigint()
      await backupSqlite({ dataDir, dbPath: live, reason: 'pre-migration', appVersion: 'bench' })
      backupTimes.push(ms(start))
      db.close()
      start = process.hrtime.bigint()
      copyFileSync(live, join(dir, `copy-${round}.sqlite`))
      copyTimes.push(ms(start))
    }

    const result = {
      rows: ROWS,
      dbSizeMiB: +(statSync(template).size / 1048576).toFixed(1),
      rebuild: { runnerMs: +median(runnerTimes).toFixed(0), rawMs: +median(rawTimes).toFixed(0), ratio: +(median(runnerTimes) / median(rawTimes)).toFixed(3), target: 1.15 },
      backup: { backupMs: +median(backupTimes).toFixed(0), fileCopyMs: +median(copyTimes).toFixed(0), ratio: +(median(backupTimes) / median(copyTimes)).toFixed(2) },
    }
    console.log(`Table rebuild of ${ROWS.toLocaleString('en')} rows (2 indexes), median of ${ROUNDS}:`)
    console.log(`  through the runner   ${result.rebuild.runnerMs} ms`)
    console.log(`  raw better-sqlite3   ${result.rebuild.rawMs} ms`)
    console.log(`  ratio                ${result.rebuild.ratio} (target ≤ ${result.rebuild.target}, backup excluded)`)
    console.log(`Pre-migration backup of the ${result.dbSizeMiB} MiB database (backup API + quick_check + sha256 + catalogue):`)
    console.log(`  verified backup      ${result.backup.backupMs} ms`)
    console.log(`  plain file copy      ${result.backup.fileCopyMs} ms`)
    console.log(`  ratio                ${result.backup.ratio}`)
    console.log(JSON.stringify(result))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

void main()
