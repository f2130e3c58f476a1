import { execFile, spawn } from 'node:child_process'
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { readCatalogue } from '../../src/main/core/platform/backups/catalogue'
import { backupDirFor } from '../../src/main/core/platform/backups/sqlite-backup'
import { dispatch } from '../../src/main/core/wiring/dispatch'
import { dryRunStaged } from '../../src/main/core/domains/imports/staged-dry-run'
import { stageCopy } from '../../src/main/core/domains/imports/staged-imports'
import { humanActor, type ImportReport } from '../../src/shared/domain'
import { writeFreqtradeDatabase, writeLegacyFreqtradeDatabase } from '../helpers/freqtrade-db'
import { sha256Of } from '../helpers/sha256'
import { tableChecksums } from '../helpers/table-checksums'
import { importDesks } from '../helpers/import-desks'

const run = promisify(execFile)
const BIN = join(__dirname, '..', '..', 'bin', 'tradedeck.cjs')

describe('importing trade history from Freqtrade', () => {
  const { temp, desk, close, importInto, rows } = importDesks()

  it('dry-runs without changing a byte, then imports trades, orders and fills once, after a backup, with one imported decision', async () => {
    const { core, dataDir, user } = await desk()
    const file = join(temp.path, 'tradesv3.sqlite')
    writeFreqtradeDatabase(file, [
      { id: 1, pair: 'BTC/USDT', openRate: 60000, closeRate: 61200, amount: 0.01, exitReason: 'roi' },
      {
        id: 2,
        pair: 'ETH/USDT:USDT',
        isShort: true,
        openRate: 3000,
        closeRate: 3100,
        amount: 1,
        exitReason: 'stop_loss',
      },
      { id: 3, pair: 'SOL/USDT', exitReason: 'force_exit' },
      { id: 4, pair: 'ADA/USDT', exitReason: 'exit_signal' },
      { id: 5, pair: 'XRP/USDT', isOpen: true },
    ])
    const before = tableChecksums(join(dataDir, 'tradedeck.sqlite'))

    const dry = await importInto(core, user, file, true)
    expect(dry).toMatchObject({
      file: 'tradesv3.sqlite',
      format: 'freqtrade',
      sha256: sha256Of(file),
      dryRun: true,
      tables: {
        trades: { new: 4, duplicate: 0, invalid: 0 },
        orders: { new: 8, duplicate: 0, invalid: 0 },
        fills: { new: 8, duplicate: 0, invalid: 0 },
      },
      skipped: [{ count: 1, unit: 'trade', reason: expect.stringContaining('still open in Freqtrade') }],
      issueCount: 0,
      backupFile: null,
    })
    expect(tableChecksums(join(dataDir, 'tradedeck.sqlite'))).toEqual(before)

    const real = await importInto(core, user, file, false)
    expect(real.tables.trades?.new).toBe(4)
    expect(readCatalogue(backupDirFor(dataDir)).find((record) => record.file === real.backupFile)).toMatchObject({
      reason: 'pre-import',
    })

    const trades = rows<Record<string, string>>(
      dataDir,
      "SELECT symbol, direction, quantity, entry_price, exit_price, realized_pnl, fees, exit_reason, opened_at, closed_at, broker, json_extract(metadata, '$.source.row') AS row, json_extract(metadata, '$.freqtrade.exitReason') AS original FROM trades ORDER BY row",
    )
    expect(trades[0]).toEqual({
      symbol: 'BTC/USDT',
      direction: 'long',
      quantity: '0.01',
      entry_price: '60000',
      exit_price: '61200',
      // (61200 − 60000) × 0.01 before fees; Freqtrade's close_profit_abs (10.788) is after them.
      realized_pnl: '12',
      fees: '1.212',
      exit_reason: 'take_profit',
      opened_at: '2024-03-01T11:00:00.123Z',
      closed_at: '2024-03-02T11:30:00.000Z',
      broker: 'binance',
      row: 1,
      original: 'roi',
    })
    expect(trades.map((trade) => [trade.symbol, trade.direction, trade.exit_reason])).toEqual([
      ['BTC/USDT', 'long', 'take_profit'],
      ['ETH/USDT:USDT', 'short', 'stop_loss'],
      ['SOL/USDT', 'long', 'manual'],
      ['ADA/USDT', 'long', 'strategy'],
    ])
    // Freqtrade's floats carry noise from its own arithmetic (3.1000000000000005); Tradedeck stores the decimals meant.
    expect(trades[1]).toMatchObject({ realized_pnl: '-100', fees: '6.1' })
    for (const trade of trades)
      for (const column of ['quantity', 'entry_price', 'exit_price', 'realized_pnl', 'fees'])
        expect(trade[column], `${trade.symbol} ${column}`).not.toMatch(/\.\d{9,}/)
    const orders = rows<Record<string, string>>(
      dataDir,
      "SELECT o.broker_order_id, o.side, o.status, o.environment, f.quantity, f.price, f.fee, f.fee_currency FROM orders o JOIN fills f ON f.order_id = o.id WHERE o.symbol = 'BTC/USDT' ORDER BY o.created_at",
    )
    expect(orders).toEqual([
      {
        broker_order_id: 'binance-1-entry',
        side: 'buy',
        status: 'filled',
        environment: 'live',
        quantity: '0.01',
        price: '60000',
        fee: '0.6',
        fee_currency: 'USDT',
      },
      {
        broker_order_id: 'binance-1-exit',
        side: 'sell',
        status: 'filled',
        environment: 'live',
        quantity: '0.01',
        price: '61200',
        fee: '0.612',
        fee_currency: 'USDT',
      },
    ])
    const imported = rows<{ rationale: string; actor: string }>(
      dataDir,
      "SELECT rationale, actor FROM decision_history WHERE action = 'imported'",
    )
    expect(imported).toEqual([
      {
        rationale: expect.stringContaining(
          `tradesv3.sqlite (freqtrade, sha256 ${sha256Of(file)}). orders: 8 new, 0 already here, 0 invalid; fills: 8 new, 0 already here, 0 invalid; trades: 4 new, 0 already here, 0 invalid.`,
        ),
        actor: humanActor(user),
      },
    ])

    // Again, under another name: nothing new, nothing written, not even a decision row.
    const copy = join(temp.path, 'copy-of-tradesv3.sqlite')
    copyFileSync(file, copy)
    const settled = tableChecksums(join(dataDir, 'tradedeck.sqlite'))
    const again = await importInto(core, user, copy, false)
    expect(again.tables).toEqual({
      trades: { new: 0, duplicate: 4, invalid: 0 },
      orders: { new: 0, duplicate: 8, invalid: 0 },
      fills: { new: 0, duplicate: 8, invalid: 0 },
    })
    expect(again.backupFile).toBeNull()
    expect(tableChecksums(join(dataDir, 'tradedeck.sqlite'))).toEqual(settled)
  })

  it('names the file, row and field of each bad record, imports nothing until told to leave them out, and refuses files that are not Freqtrade databases', async () => {
    const { core, dataDir, user } = await desk()
    const file = join(temp.path, 'damaged.sqlite')
    writeFreqtradeDatabase(file, [
      { id: 1 },
      { id: 2, closeRate: null },
      { id: 3, openDate: 'yesterday' },
      { id: 4, dryRun: true },
    ])
    expect((await importInto(core, user, file, true)).tables.trades).toEqual({ new: 2, duplicate: 0, invalid: 2 })
    // The real run writes nothing while the file holds an invalid record, and says which and how to go on.
    const untouched = tableChecksums(join(dataDir, 'tradedeck.sqlite'))
    await expect(importInto(core, user, file, false)).rejects.toThrow(
      /^damaged\.sqlite has \d+ invalid records, so nothing was imported: damaged\.sqlite, trades row 2, close_rate: must be a number; .*Fix the file, or import it again leaving out the \d+ invalid records \(tradedeck import --skip-invalid/,
    )
    expect(tableChecksums(join(dataDir, 'tradedeck.sqlite'))).toEqual(untouched)
    const report = await importInto(core, user, file, false, undefined, true)
    expect(report.tables.trades).toEqual({ new: 2, duplicate: 0, invalid: 2 })
    expect(report.tables.orders).toEqual({ new: 4, duplicate: 0, invalid: 4 })
    expect(report.issues).toEqual([
      { where: 'damaged.sqlite, trades row 2', field: 'close_rate', message: 'must be a number' },
      { where: 'damaged.sqlite, trades row 3', field: 'open_date', message: 'must be a time like 2024-03-01 12:00:05' },
    ])
    // What was left out is in the decision history, in the trader's words.
    expect(
      rows<{ rationale: string }>(dataDir, "SELECT rationale FROM decision_history WHERE action = 'imported'"),
    ).toEqual([
      {
        rationale: expect.stringContaining(
          'Left out, as the trader asked: damaged.sqlite, trades row 2, close_rate: must be a number; damaged.sqlite, trades row 3, open_date',
        ),
      },
    ])
    expect(
      rows<{ environment: string }>(
        dataDir,
        "SELECT DISTINCT environment FROM orders WHERE broker_order_id LIKE 'dry_run%'",
      ),
    ).toEqual([{ environment: 'paper' }])

    const notFreqtrade = join(temp.path, 'other.sqlite')
    new Database(notFreqtrade).exec('CREATE TABLE trades (id INTEGER PRIMARY KEY, symbol TEXT)')
    await expect(importInto(core, user, notFreqtrade, true)).rejects.toThrow(
      'other.sqlite is not a Freqtrade database: its trades table lacks exchange, pair, is_open, open_rate, close_rate, amount, open_date, close_date.',
    )
    const text = join(temp.path, 'trades.csv')
    writeFileSync(text, 'id,pair\n1,BTC/USDT\n')
    await expect(importInto(core, user, text, true)).rejects.toThrow(
      'trades.csv: the format could not be told from the file.',
    )
  })

  it('reads a Freqtrade file from before orders were kept (sell_reason, one fee), giving each trade its entry and exit', async () => {
    const { core, dataDir, user } = await desk()
    const file = join(temp.path, 'tradesv3.dryrun.sqlite')
    writeLegacyFreqtradeDatabase(file, [
      { id: 7, pair: 'LTC/BTC', openRate: 0.002, closeRate: 0.0021, amount: 10, exitReason: 'sell_signal' },
      { id: 8, pair: 'LTC/BTC', openRate: 0.002, closeRate: 0.0019, amount: 10, exitReason: 'trailing_stop_loss' },
    ])
    const report = await importInto(core, user, file, false)
    expect(report.tables).toEqual({
      trades: { new: 2, duplicate: 0, invalid: 0 },
      orders: { new: 4, duplicate: 0, invalid: 0 },
      fills: { new: 4, duplicate: 0, invalid: 0 },
    })
    expect(rows(dataDir, 'SELECT exit_reason, realized_pnl, fees FROM trades ORDER BY opened_at, exit_reason')).toEqual(
      [
        { exit_reason: 'strategy', realized_pnl: '0.001', fees: '0.000041' },
        { exit_reason: 'stop_loss', realized_pnl: '-0.001', fees: '0.000039' },
      ],
    )
    expect(
      rows(dataDir, 'SELECT side, environment, broker_order_id, quantity FROM orders ORDER BY created_at, side').slice(
        0,
        2,
      ),
    ).toEqual([
      { side: 'buy', environment: 'paper', broker_order_id: null, quantity: '10' },
      { side: 'buy', environment: 'paper', broker_order_id: null, quantity: '10' },
    ])
  })

  it('keeps an offered file between its dry run and the commit, imports exactly it once, and refuses what it must', async () => {
    const { core, dataDir, user } = await desk()
    const file = join(temp.path, 'offered.sqlite')
    writeFreqtradeDatabase(file, [{ id: 1 }, { id: 2 }])
    const staged = stageCopy(dataDir, file, 'offered.sqlite', user)
    const dry = await dryRunStaged(core.context, core.services.backups, staged)
    expect(dry).toMatchObject({ importId: staged.importId, dryRun: true, tables: { trades: { new: 2 } } })
    // Another bot writing to its file after the dry run changes nothing: the staged copy is what gets imported.
    rmSync(file)
    writeFreqtradeDatabase(file, [{ id: 1 }, { id: 2 }, { id: 3 }])
    const committed = await dispatch(core.handlers, 'imports:commit', { importId: staged.importId })
    expect(committed).toMatchObject({
      ok: true,
      value: { dryRun: false, sha256: dry.sha256, tables: { trades: { new: 2 } } },
    })
    expect(await dispatch(core.handlers, 'imports:commit', { importId: staged.importId })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    expect(await dispatch(core.handlers, 'imports:commit', { importId: 'not-an-id' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    expect(existsSync(staged.path)).toBe(false)

    const other = await core.context.store.users.create({ displayName: 'Second trader' })
    const theirs = stageCopy(dataDir, file, 'offered.sqlite', other.id)
    expect(await dispatch(core.handlers, 'imports:commit', { importId: theirs.importId })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('another profile') },
    })

    const text = join(temp.path, 'notes.txt')
    writeFileSync(text, 'not a database')
    const bad = stageCopy(dataDir, text, 'notes.txt', user)
    await expect(dryRunStaged(core.context, core.services.backups, bad)).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('notes.txt: the format could not be told'),
    })
    expect(existsSync(bad.path)).toBe(false)
  })

  it('the CLI refuses a file with an invalid record with exit 1 and writes nothing; --skip-invalid writes the rest', async () => {
    const { core, dataDir } = await desk()
    close(core)
    const file = join(temp.path, 'one-bad.sqlite')
    writeFreqtradeDatabase(file, [{ id: 1 }, { id: 2, closeRate: null }, { id: 3 }])
    const dry = await run(process.execPath, [BIN, 'import', file, '--data-dir', dataDir, '--dry-run'])
    expect(dry.stdout).toContain('add --skip-invalid to leave the')
    await expect(run(process.execPath, [BIN, 'import', file, '--data-dir', dataDir])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('one-bad.sqlite, trades row 2, close_rate: must be a number'),
    })
    expect(rows(dataDir, 'SELECT COUNT(*) AS trades FROM trades')).toEqual([{ trades: 0 }])
    const kept = JSON.parse(
      (await run(process.execPath, [BIN, 'import', file, '--data-dir', dataDir, '--skip-invalid', '--json'])).stdout,
    ) as ImportReport
    expect(kept.tables.trades).toEqual({ new: 2, duplicate: 0, invalid: 1 })
    expect(rows(dataDir, 'SELECT COUNT(*) AS trades FROM trades')).toEqual([{ trades: 2 }])
  }, 60_000)

  it('leaves all or nothing when the CLI is killed with SIGKILL while it writes', async () => {
    const { core, dataDir } = await desk()
    close(core)
    const file = join(temp.path, 'large.sqlite')
    writeFreqtradeDatabase(
      file,
      Array.from({ length: 5_000 }, (_, i) => ({ id: i + 1, pair: `P${i % 50}/USDT` })),
    )
    const child = spawn(process.execPath, [BIN, 'import', file, '--data-dir', dataDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    const killed = new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('progress: writing')) child.kill('SIGKILL')
      })
      child.on('exit', () => resolve())
    })
    await killed
    const counts = rows<{ trades: number; orders: number; fills: number; imported: number }>(
      dataDir,
      "SELECT (SELECT COUNT(*) FROM trades) AS trades, (SELECT COUNT(*) FROM orders) AS orders, (SELECT COUNT(*) FROM fills) AS fills, (SELECT COUNT(*) FROM decision_history WHERE action = 'imported') AS imported",
    )[0]
    expect([
      { trades: 0, orders: 0, fills: 0, imported: 0 },
      { trades: 5_000, orders: 10_000, fills: 10_000, imported: 1 },
    ]).toContainEqual(counts)
    expect(rows(dataDir, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }])

    // The CLI, run to the end: its dry run and real run, as JSON.
    const dry = JSON.parse(
      (await run(process.execPath, [BIN, 'import', file, '--data-dir', dataDir, '--dry-run', '--json'])).stdout,
    ) as ImportReport
    expect(dry.tables.trades!.new + dry.tables.trades!.duplicate).toBe(5_000)
    const real = JSON.parse(
      (await run(process.execPath, [BIN, 'import', file, '--data-dir', dataDir, '--json'])).stdout,
    ) as ImportReport
    expect(real.dryRun).toBe(false)
    expect(rows(dataDir, 'SELECT COUNT(*) AS trades FROM trades')).toEqual([{ trades: 5_000 }])
    await expect(
      run(process.execPath, [BIN, 'import', file, '--data-dir', dataDir, '--format', 'metatrader']),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--format must be one of: freqtrade') })
    await expect(
      run(process.execPath, [BIN, 'import', file, '--data-dir', dataDir, '--profile', 'Nobody']),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('No profile is called Nobody') })
  }, 120_000)
})
