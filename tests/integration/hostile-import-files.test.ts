import { closeSync, copyFileSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readCatalogue } from '../../src/main/core/platform/backups/catalogue'
import { backupDirFor } from '../../src/main/core/platform/backups/sqlite-backup'
import { ImportFileError } from '../../src/main/core/domains/imports/history-batch'
import { writeFreqtradeDatabase } from '../helpers/freqtrade-db'
import { writeCandleCsvFile } from '../helpers/candle-csv'
import { importCandleCsvFile } from '../../src/main/core/domains/market-data/csv-candle-import'
import { importDesks } from '../helpers/import-desks'
import { tableChecksums } from '../helpers/table-checksums'
import { watchResponsiveness } from '../helpers/responsiveness'

const TRADE_COLUMNS = `1 AS id, 'binance' AS exchange, 'BTC/USDT' AS pair, 0 AS is_open, 1.0 AS open_rate, 1.0 AS close_rate,
  1.0 AS amount, '2024-01-01 00:00:00' AS open_date, '2024-01-01 01:00:00' AS close_date`

/** Ways a file can pretend to be a Freqtrade database while carrying code or a trap. */
const HOSTILE: Record<string, (db: Database.Database) => void> = {
  'a view yielding three million trades': (db) =>
    db.exec(`DROP TABLE trades; CREATE VIEW trades AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 3000000)
      SELECT i AS id, 'binance' AS exchange, 'BTC/USDT' AS pair, 0 AS is_open, 1.0 AS open_rate, 1.0 AS close_rate, 1.0 AS amount,
      '2024-01-01 00:00:00' AS open_date, '2024-01-01 01:00:00' AS close_date FROM n`),
  'an endless recursive view': (db) =>
    db.exec(`DROP TABLE trades; CREATE VIEW trades AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
      SELECT ${TRADE_COLUMNS} FROM n WHERE i < 0`),
  'a view that loads an extension': (db) =>
    db.exec(`DROP TABLE trades; CREATE VIEW trades AS SELECT ${TRADE_COLUMNS}, load_extension('/tmp/evil') AS x`),
  'a virtual table': (db) =>
    db.exec(`DROP TABLE trades; CREATE VIRTUAL TABLE trades USING fts5(id, exchange, pair, is_open, open_rate, close_rate,
      amount, open_date, close_date)`),
  'a computed column': (db) =>
    db.exec(`ALTER TABLE trades ADD COLUMN padding TEXT GENERATED ALWAYS AS (zeroblob(100000000)) VIRTUAL`),
  'orders as a view': (db) =>
    db.exec(`DROP TABLE orders; CREATE VIEW orders AS SELECT 1 AS id, 1 AS ft_trade_id, 'buy' AS ft_order_side, 'x' AS order_id,
      'closed' AS status, 'limit' AS order_type, 'buy' AS side, 1 AS price, 1 AS filled`),
}

describe('a hostile file offered as a Freqtrade database', () => {
  const { temp, desk, importInto } = importDesks()
  let made = 0
  const base = () => {
    const path = join(temp.path, `base-${++made}.sqlite`)
    writeFreqtradeDatabase(path, [
      { id: 1, pair: 'BTC/USDT' },
      { id: 2, pair: 'ETH/USDT' },
    ])
    return path
  }

  it.each(Object.keys(HOSTILE))('refuses %s in words, reading no row of it', async (name) => {
    const { core, user } = await desk()
    const file = base()
    const db = new Database(file)
    db.pragma('foreign_keys = OFF')
    HOSTILE[name]!(db)
    db.close()
    const refusal = await importInto(core, user, file, true).catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(ImportFileError)
    expect((refusal as Error).message).toMatch(
      /is not a Freqtrade database: its (trades|orders) (is a (view|virtual)|table has computed)/,
    )
  })

  it('reads a file with triggers as plain data (a trigger never runs on a read), and refuses an oversized text in its row only', async () => {
    const { core, user } = await desk()
    const file = base()
    const db = new Database(file)
    db.pragma('foreign_keys = OFF')
    db.prepare('UPDATE trades SET pair = ? WHERE id = 2').run('X'.repeat(5_000_000))
    db.exec(`CREATE TRIGGER t AFTER UPDATE ON trades BEGIN DELETE FROM trades; END`)
    db.close()
    const report = await importInto(core, user, file, true)
    expect(report.tables.trades).toEqual({ new: 1, duplicate: 0, invalid: 1 })
    expect(report.issues).toEqual([
      { where: expect.stringContaining('trades row 2'), field: 'pair', message: 'is longer than 256 characters' },
    ])
  })

  it('answers damaged and truncated files in words, for any bytes anywhere (fuzzed)', async () => {
    const { core, user, dataDir } = await desk()
    const healthy = base()
    const size = statSync(healthy).size
    const before = tableChecksums(join(dataDir, 'tradedeck.sqlite'))
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 100, max: size - 1 }),
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.boolean(),
        async (offset, bytes, truncate) => {
          const file = join(temp.path, `damaged-${++made}.sqlite`)
          copyFileSync(healthy, file)
          const fd = openSync(file, 'r+')
          writeSync(fd, bytes, 0, bytes.length, offset)
          closeSync(fd)
          if (truncate)
            writeFileSync(file, Buffer.from(new Uint8Array(statSync(file).size).fill(0).subarray(0, offset)), {
              flag: 'r+',
            })
          const outcome = await importInto(core, user, file, false).catch((error: unknown) => error)
          if (outcome instanceof Error) {
            expect(outcome).toBeInstanceOf(ImportFileError)
            expect(outcome.message).not.toMatch(/Internal|at .*\.ts:\d+/)
          }
        },
      ),
      { numRuns: 10 },
    )
    void before
  })

  it('refuses a file that takes longer than the read limit, and the core answers meanwhile', async () => {
    const { core, user } = await desk()
    process.env.TRADEDECK_IMPORT_READ_LIMIT_MS = '1'
    try {
      await expect(importInto(core, user, base(), true)).rejects.toThrow(
        /^base-\d+\.sqlite took longer than 0 s to read, so it was refused; nothing was imported\.$/,
      )
    } finally {
      delete process.env.TRADEDECK_IMPORT_READ_LIMIT_MS
    }
  })
})

describe('hostile text files offered as order history JSON or rules CSV', () => {
  const { temp, desk, importInto } = importDesks()
  let made = 0
  const fileWith = (name: string, content: string | Buffer) => {
    const path = join(temp.path, `${++made}-${name}`)
    writeFileSync(path, content)
    return path
  }

  it('refuses a risk config of a thousand columns by its column count, and of a million by its row length, in words', async () => {
    const { core, user } = await desk()
    const header = (columns: number) =>
      ['ai_trading_enabled', ...Array.from({ length: columns }, (_, index) => `c${index}`)].join(',')
    await expect(importInto(core, user, fileWith('risk_config.csv', `${header(1_000)}\ntrue\n`), true)).rejects.toThrow(
      /^\d+-risk_config\.csv has more than 200 columns, which no risk config or strategy list has\.$/,
    )
    await expect(
      importInto(core, user, fileWith('risk_config.csv', `${header(1_000_000).slice(0, 3_000_000)}\ntrue\n`), true),
    ).rejects.toThrow(
      /^\d+-risk_config\.csv, line 1: a row is longer than 65,536 characters, which no risk config or strategy list row is\.$/,
    )
  })

  it('refuses JSON nested deeper than any order record before anything is parsed or backed up', async () => {
    const { core, user, dataDir } = await desk()
    const deep = `[{"symbol":"BTC","side":"buy","quantity":1,"price":1,"timestamp":1700000000,"note":${'['.repeat(100_000)}${']'.repeat(100_000)}}]`
    const backups = readCatalogue(backupDirFor(dataDir)).length
    await expect(importInto(core, user, fileWith('trades_history.json', deep), false)).rejects.toThrow(
      /line 1: nothing was imported: the data is nested more than 16 levels deep/,
    )
    expect(readCatalogue(backupDirFor(dataDir))).toHaveLength(backups)
  })

  it('answers any bytes as JSON or CSV with a report or a refusal in words (fuzzed)', async () => {
    const { core, user } = await desk()
    const texts = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.json({ maxDepth: 4 }),
      fc
        .array(fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 })
        .map((rows) => ['ai_trading_enabled,max_lot_size', ...rows.map((row) => row.join(','))].join('\n')),
    )
    await fc.assert(
      fc.asyncProperty(texts, fc.constantFrom('trades_history.json', 'risk_config.csv'), async (text, name) => {
        const outcome = await importInto(core, user, fileWith(name, text), true).catch((error: unknown) => error)
        if (outcome instanceof Error) expect(outcome).toBeInstanceOf(ImportFileError)
        else expect(outcome).toMatchObject({ dryRun: true })
      }),
      { numRuns: 12 },
    )
  })
})

describe('the core while a large file is imported', () => {
  const { temp, desk, importInto, rows } = importDesks()

  it('keeps answering within 100 ms at p99 through the dry run and the commit of 10,000 trades', async () => {
    const { core, user, dataDir } = await desk()
    const file = join(temp.path, 'tradesv3.sqlite')
    writeFreqtradeDatabase(
      file,
      Array.from({ length: 10_000 }, (_, index) => ({ id: index + 1, pair: index % 2 ? 'BTC/USDT' : 'ETH/USDT' })),
    )
    const watch = watchResponsiveness()
    await importInto(core, user, file, true)
    const report = await importInto(core, user, file, false)
    const waits = watch.stop()
    console.log(
      `a call's wait during a 10,000-trade import: p50 ${waits.p50.toFixed(1)} ms, p99 ${waits.p99.toFixed(1)} ms, max ${waits.max.toFixed(1)} ms`,
    )
    expect(report.tables.trades?.new).toBe(10_000)
    expect(rows<{ n: number }>(dataDir, 'SELECT count(*) AS n FROM trades')[0]!.n).toBe(10_000)
    expect(waits.p99).toBeLessThan(100)
  })

  it('keeps answering within 300 ms at p99 through a candle CSV import of 200,000 lines', async () => {
    const { core, user } = await desk()
    const file = join(temp.path, 'candles.csv')
    await writeCandleCsvFile(file, 200_000)
    const watch = watchResponsiveness()
    const result = await importCandleCsvFile(core.context, {
      userId: user,
      path: file,
      symbol: 'WAIT-USD',
      timeframe: '1m',
      importId: 'responsiveness',
    })
    const waits = watch.stop()
    console.log(
      `a call's wait during a 200,000-candle import: p50 ${waits.p50.toFixed(1)} ms, p99 ${waits.p99.toFixed(1)} ms, max ${waits.max.toFixed(1)} ms`,
    )
    expect(result.imported).toBe(200_000)
    // Beside two other test files on two cores the p99 runs 30–115 ms; a write pass that held the thread would
    // stop every call for the seconds it takes, so the bound keeps that margin rather than the machine's noise.
    expect(waits.p99).toBeLessThan(300)
  })

  it('keeps no backup when the write fails, and leaves the desk as it was', async () => {
    const { core, user, dataDir } = await desk()
    const file = join(temp.path, 'failing.sqlite')
    writeFreqtradeDatabase(file, [{ id: 1 }])
    const before = tableChecksums(join(dataDir, 'tradedeck.sqlite'))
    const backupsBefore = readCatalogue(backupDirFor(dataDir)).length
    const store = core.context.store
    const transaction = store.transaction.bind(store)
    store.transaction = () => Promise.reject(new Error('disk full'))
    try {
      await expect(importInto(core, user, file, false)).rejects.toThrow('disk full')
    } finally {
      store.transaction = transaction
    }
    expect(readCatalogue(backupDirFor(dataDir))).toHaveLength(backupsBefore)
    // The audit log says a backup was taken and removed; every other table is as it was.
    const { audit_log: _auditBefore, ...dataBefore } = before
    const { audit_log: _auditAfter, ...dataAfter } = tableChecksums(join(dataDir, 'tradedeck.sqlite'))
    expect(dataAfter).toEqual(dataBefore)
    expect(
      rows<{ action: string }>(dataDir, "SELECT action FROM audit_log WHERE subject = 'backup' ORDER BY id").map(
        (row) => row.action,
      ),
    ).toEqual([...Array(backupsBefore).fill('create'), 'create', 'discard'])
  })
})
