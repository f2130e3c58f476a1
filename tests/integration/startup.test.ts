import { sourceWorkerEntry } from '../helpers/strategy-worker'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EventPayload } from '../../src/shared/contract'
import { openCore, type Core } from '../../src/main/core/wiring/app'
import { openSqlite } from '../../src/main/core/platform/db/sqlite'
import { dispatch } from '../../src/main/core/wiring/dispatch'
import { bundledMigrations } from '../../src/main/core/platform/migrations/manifest'
import { makeTempDir } from '../helpers/temp-dir'

const latest = Math.max(...bundledMigrations.sqlite.map((def) => def.version))

describe('launch: migrations, progress and recovery', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => cleanups.splice(0).forEach((fn) => fn()))

  function open(dataDir: string): Core {
    const core = openCore({ dataDir, host: 'browser', appVersion: 'test', strategies: { worker: sourceWorkerEntry } })
    cleanups.unshift(() => core.close())
    return core
  }

  function tempDir() {
    const dir = makeTempDir()
    cleanups.push(() => dir.remove())
    return dir.path
  }

  it('brings a new database to the bundled schema and reports progress', async () => {
    const core = open(tempDir())
    const progress: EventPayload<'migration:progress'>[] = []
    core.events.subscribe(
      (event, payload) =>
        event === 'migration:progress' && progress.push(payload as EventPayload<'migration:progress'>),
    )
    await core.start()
    expect(core.context.startupMigration).toEqual({
      state: 'ok',
      applied: bundledMigrations.sqlite.map((def) => def.version),
      backupPath: null,
    })
    expect(progress.map((p) => p.phase)).toEqual([...bundledMigrations.sqlite.map(() => 'migrate'), 'done'])
    const status = await dispatch(core.handlers, 'system:status', {})
    expect(status).toMatchObject({ ok: true, value: { schemaVersion: latest, quickCheck: { ok: true } } })
  })

  it('turns a failed launch migration into a recovery state, and restores the pre-migration backup', async () => {
    const dataDir = tempDir()
    const seeded = openSqlite(join(dataDir, 'tradedeck.sqlite'))
    // An untracked table in the way of migration 0001: the launch migration must fail, not crash.
    seeded.exec("CREATE TABLE app_meta (key TEXT); INSERT INTO app_meta VALUES ('precious')")
    seeded.close()
    const core = open(dataDir)
    await core.start()
    const state = core.context.startupMigration
    expect(state.state).toBe('failed')
    if (state.state !== 'failed') return
    expect(state.message).toContain('Migration 1_app_meta (up) failed at statement 1 of 2')
    expect(state.message).toContain('your data is unchanged')
    expect(state.backupPath).toMatch(/pre-migration\.sqlite$/)
    expect(JSON.parse(state.diagnostics)).toMatchObject({ app: 'test', error: { code: 'migration_failed' } })
    expect(core.context.db.prepare('SELECT key FROM app_meta').pluck().all()).toEqual(['precious'])

    const restored = await dispatch(core.handlers, 'startup:restore-backup', {
      file: state.backupPath?.split('/').pop(),
    })
    expect(restored).toMatchObject({
      ok: true,
      value: { restoredFrom: state.backupPath, preRestoreBackup: expect.stringMatching(/pre-restore\.sqlite$/) },
    })
    expect(core.context.db.prepare('SELECT key FROM app_meta').pluck().all()).toEqual(['precious'])

    core.context.db.exec('DROP TABLE app_meta')
    const retried = await dispatch(core.handlers, 'startup:retry', {})
    expect(retried).toMatchObject({ ok: true, value: { schemaVersion: latest, startupMigration: { state: 'ok' } } })
  })

  it('refuses to restore a file that is not a catalogued backup', async () => {
    const core = open(tempDir())
    await core.start()
    const outside = await dispatch(core.handlers, 'startup:restore-backup', { file: '/etc/passwd' })
    expect(outside).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    const unknown = await dispatch(core.handlers, 'startup:restore-backup', {
      file: 'tradedeck-20260101T000000000Z-manual.sqlite',
    })
    expect(unknown).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('is not in the backup catalogue') },
    })
  })

  it('leaves a database from a newer version untouched and says so', async () => {
    const dataDir = tempDir()
    const first = open(dataDir)
    await first.start()
    first.context.db
      .prepare(
        "INSERT INTO schema_migrations (version, name, checksum, up_sql, applied_at, duration_ms, app_version) VALUES (999, 'from_the_future', 'x', 'x', 'now', 0, '9.0.0')",
      )
      .run()
    first.close()
    cleanups.shift()
    const core = open(dataDir)
    await core.start()
    expect(core.context.startupMigration).toMatchObject({ state: 'newer_database', unknownVersions: [999] })
  })
})
