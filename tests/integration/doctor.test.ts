import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HealthReport } from '../../src/shared/domain'
import { migrateCentral, saveCentralConnection } from '../../src/main/core/platform/central/central-database'
import { runDoctor } from '../../src/main/core/platform/health/doctor'
import { doctorSources } from '../../src/main/core/wiring/doctor-sources'
import type { Core } from '../../src/main/core/wiring/app'
import { withMaintenanceCore } from '../../src/main/core/wiring/maintenance'
import { freePort } from '../helpers/free-port'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres'
import { makeTempDir } from '../helpers/temp-dir'

const run = promisify(execFile)
const BIN = join(__dirname, '..', '..', 'bin', 'tradedeck.cjs')

async function doctorCli(dataDir: string): Promise<{ code: number; report: HealthReport }> {
  try {
    const { stdout } = await run(process.execPath, [BIN, 'doctor', '--json', '--data-dir', dataDir])
    return { code: 0, report: JSON.parse(stdout.trim().split('\n').at(-1) as string) }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    if (!e.stdout) throw new Error(`doctor printed nothing: ${e.stderr}`)
    return { code: e.code, report: JSON.parse(e.stdout.trim().split('\n').at(-1) as string) }
  }
}

const check = (report: HealthReport, id: string) => {
  const found = report.checks.find((item) => item.id === id)
  if (!found) throw new Error(`no ${id} check in ${report.checks.map((item) => item.id).join(', ')}`)
  return found
}

async function freshDesk(dataDir: string): Promise<void> {
  await run(process.execPath, [BIN, 'migrate', '--data-dir', dataDir])
  await run(process.execPath, [BIN, 'backup', '--data-dir', dataDir])
}

/** Changes made behind the app's back, on a raw connection with foreign keys off: what doctor is for. */
function tamper(dataDir: string, sql: string): void {
  const db = new Database(join(dataDir, 'tradedeck.sqlite'))
  try {
    db.pragma('foreign_keys = OFF')
    db.exec(sql)
  } finally {
    db.close()
  }
}

describe('tradedeck doctor and the health checks', () => {
  const temp = makeTempDir()
  afterAll(() => temp.remove())

  it('reports ok on a healthy desk, with exit code 0', async () => {
    const dir = join(temp.path, 'healthy')
    await freshDesk(dir)
    const { code, report } = await doctorCli(dir)
    expect(report.checks.filter((item) => item.status !== 'ok')).toEqual([])
    expect(report.status).toBe('ok')
    expect(code).toBe(0)
    expect(report.checks.map((item) => item.id)).toEqual([
      'integrity',
      'orphans',
      'fk-indexes',
      'schema',
      'backup-age',
      'backup-folder',
      'wal',
      'disk',
      'outbox',
      'central',
      'strategies',
    ])
  })

  it('finds a planted orphan, a dropped index, a hand-made schema change and an old backup, each with its fix, and exits 1', async () => {
    const dir = join(temp.path, 'damaged')
    await freshDesk(dir)
    tamper(
      dir,
      `INSERT INTO users (id, display_name) VALUES ('00000000-0000-7000-8000-000000000001', 'Doctor test');
       INSERT INTO trade_ideas (id, user_id, strategy_id, symbol, direction, entry_price, stop_loss, take_profit, size, rationale, confidence, status)
         VALUES ('00000000-0000-7000-8000-0000000000b1', '00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-00000000dead', 'BTC-USD', 'long', '100', '95', '110', '1', 'orphan', 0.5, 'needs_approval');
       DROP INDEX decision_history_strategy_id;
       ALTER TABLE users ADD COLUMN nickname TEXT;`,
    )
    const cataloguePath = join(dir, 'backups', 'catalogue.json')
    const catalogue = JSON.parse(readFileSync(cataloguePath, 'utf8')) as { backups: { createdAt: string }[] }
    catalogue.backups[0]!.createdAt = new Date(Date.now() - 5 * 86_400_000).toISOString()
    writeFileSync(cataloguePath, JSON.stringify(catalogue))

    const { code, report } = await doctorCli(dir)
    expect(code).toBe(1)
    expect(report.status).toBe('fail')

    const orphans = check(report, 'orphans')
    expect(orphans.status).toBe('fail')
    expect(orphans.details).toEqual([
      expect.stringMatching(
        /^trade_ideas row \d+ \(id 00000000-0000-7000-8000-0000000000b1\) points at a missing strategies row$/,
      ),
    ])
    expect(orphans.fix).toMatch(/DELETE FROM trade_ideas WHERE rowid IN \(\d+\);/)

    const indexes = check(report, 'fk-indexes')
    expect(indexes.status).toBe('warn')
    expect(indexes.details).toEqual(['decision_history.strategy_id → strategies'])
    expect(indexes.fix).toContain('CREATE INDEX decision_history_strategy_id ON decision_history (strategy_id);')

    const schema = check(report, 'schema')
    expect(schema.status).toBe('fail')
    expect(schema.details.join('\n')).toMatch(/nickname/)
    expect(schema.details.join('\n')).toMatch(/decision_history_strategy_id/)
    expect(schema.fix).toMatch(/outside the migrations/)

    const backup = check(report, 'backup-age')
    expect(backup.status).toBe('fail')
    expect(backup.figure).toMatch(/^12\d\.\d h old/)
    expect(backup.fix).toMatch(/tradedeck backup/)

    expect(check(report, 'integrity').status).toBe('ok')
  })

  describe('the central server', () => {
    let central: TestDatabase
    beforeAll(async () => {
      central = await createTestDatabase()
    })
    afterAll(async () => central?.drop())

    it('says a stopped server is unreachable, a behind one needs migrating, and a current one is ok', async () => {
      const dir = join(temp.path, 'central')
      await freshDesk(dir)
      const report = (configure: (core: Core) => Promise<unknown>) =>
        withMaintenanceCore({ dataDir: dir, appVersion: '0.0.0-test' }, async (core) => {
          await configure(core)
          return check(await runDoctor(core.context, doctorSources(core.services), { integrity: false }), 'central')
        })

      const stopped = await report(async (core) =>
        saveCentralConnection(
          core.context,
          core.services.sync,
          { url: `postgres://nobody@127.0.0.1:${await freePort()}/gone`, sslMode: 'disable' },
          'human:test',
        ),
      )
      expect(stopped.status).toBe('fail')
      expect(stopped.figure).toMatch(/^unreachable: /)
      expect(stopped.fix).toMatch(/Start the central PostgreSQL server/)

      const behind = await report((core) =>
        saveCentralConnection(core.context, core.services.sync, { url: central.url, sslMode: 'disable' }, 'human:test'),
      )
      expect(behind.status).toBe('fail')
      expect(behind.figure).toMatch(/^PostgreSQL \d+/)
      expect(behind.fix).toMatch(/tradedeck pg migrate/)

      const current = await report((core) => migrateCentral(core.context, 'human:test'))
      expect(current).toMatchObject({ status: 'ok', fix: null })
      expect(current.figure).toMatch(/its schema is at version (\d+), this desk's at \1$/)
    })
  })
})
