import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../src/main/core/wiring/app'
import { savedPassword } from '../../src/main/core/platform/central/connection'
import { dispatch } from '../../src/main/core/wiring/dispatch'
import { openSqlite } from '../../src/main/core/platform/db/sqlite'
import { sourceWorkerEntry } from '../helpers/strategy-worker'
import { makeTempDir } from '../helpers/temp-dir'

const mode = (path: string) => statSync(path).mode & 0o777

/** Every byte of the database, its WAL and its backups, as text to search for a secret. */
function everythingOnDisk(dataDir: string): string {
  const files = [join(dataDir, 'tradedeck.sqlite'), join(dataDir, 'tradedeck.sqlite-wal')]
  const backups = join(dataDir, 'backups')
  if (existsSync(backups)) files.push(...readdirSync(backups).map((file) => join(backups, file)))
  return files
    .filter(existsSync)
    .map((file) => readFileSync(file).toString('latin1'))
    .join('\n')
}

describe('secrets at rest: a password typed into the connection URL', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  })

  async function open(dataDir?: string): Promise<{ core: Core; dataDir: string }> {
    const dir = dataDir ?? makeTempDir().path
    const core = openCore({
      dataDir: dir,
      host: 'browser',
      appVersion: 'test',
      strategies: { worker: sourceWorkerEntry },
    })
    cleanups.push(() => core.close())
    await core.start()
    return { core, dataDir: dir }
  }

  it('is sealed like the password field, and never stored, audited or sent back', async () => {
    const { core, dataDir } = await open()
    const secret = `pw-${randomBytes(8).toString('hex')}`
    const saved = await dispatch(core.handlers, 'central:save', {
      connection: { url: `postgres://bob:${secret}@127.0.0.1:5999/central`, sslMode: 'disable' },
    })
    expect(saved).toMatchObject({
      ok: true,
      value: { passwordSaved: true, connection: { url: 'postgres://bob@127.0.0.1:5999/central' } },
    })
    expect(JSON.stringify(saved)).not.toContain(secret)
    expect(JSON.stringify(await dispatch(core.handlers, 'central:get', {}))).not.toContain(secret)
    expect(JSON.stringify(await dispatch(core.handlers, 'settings:get', {}))).not.toContain(secret)
    expect(await savedPassword(core.context.store, core.context.secrets)).toBe(secret)
    // The test uses it, and a failure message does not repeat it.
    const tested = await dispatch(core.handlers, 'central:test', {
      connection: { url: `postgres://bob:${secret}@127.0.0.1:1/central`, sslMode: 'disable' },
    })
    expect(tested).toMatchObject({ ok: true, value: { ok: false, failure: 'network' } })
    expect(JSON.stringify(tested)).not.toContain(secret)
    core.context.db.pragma('wal_checkpoint(TRUNCATE)')
    expect(everythingOnDisk(dataDir)).not.toContain(secret)
  })

  it('left in plaintext by an earlier version, is sealed and scrubbed from settings, the audit log, the file and the WAL on the next start', async () => {
    const { core, dataDir } = await open()
    const secret = `pw-${randomBytes(8).toString('hex')}`
    const plainUrl = `postgres://bob:${secret}@db.example:5432/central`
    // What earlier versions wrote: the URL as typed, in settings and in the audit details.
    const db = core.context.db
    db.prepare(
      "INSERT INTO settings (key, value, updated_at) VALUES ('central.postgres', ?, '2026-11-01T00:00:00.000Z') ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).run(JSON.stringify({ url: plainUrl, sslMode: 'require' }))
    db.prepare(
      "INSERT INTO audit_log (id, user_id, actor, subject, action, details, occurred_at) VALUES ('00000000-0000-7000-8000-00000000a001', NULL, 'human:local', 'settings', 'central_connection', ?, '2026-11-01T00:00:00.000Z')",
    ).run(JSON.stringify({ url: plainUrl, sslMode: 'require', password: 'kept' }))
    expect(everythingOnDisk(dataDir)).toContain(secret)
    core.close()
    cleanups.pop()

    const { core: reopened } = await open(dataDir)
    const view = await dispatch(reopened.handlers, 'central:get', {})
    expect(view).toMatchObject({
      ok: true,
      value: { passwordSaved: true, connection: { url: 'postgres://bob@db.example:5432/central' } },
    })
    expect(await savedPassword(reopened.context.store, reopened.context.secrets)).toBe(secret)
    const audit = reopened.context.db
      .prepare("SELECT details FROM audit_log WHERE id = '00000000-0000-7000-8000-00000000a001'")
      .pluck()
      .get() as string
    expect(JSON.parse(audit)).toEqual({
      url: 'postgres://bob:***@db.example:5432/central',
      sslMode: 'require',
      password: 'kept',
    })
    expect(everythingOnDisk(dataDir)).not.toContain(secret)
  })

  it('creates the database, its WAL, backups and exports owner-only, in owner-only folders, and tightens an older data directory', async () => {
    const { core, dataDir } = await open()
    await dispatch(core.handlers, 'backups:create', {})
    const exported = await dispatch(core.handlers, 'decisions:export', {})
    expect(exported.ok).toBe(true)
    expect(mode(dataDir)).toBe(0o700)
    for (const file of ['tradedeck.sqlite', 'tradedeck.sqlite-wal']) expect(mode(join(dataDir, file)), file).toBe(0o600)
    for (const folder of ['backups', 'exports']) {
      expect(mode(join(dataDir, folder)), folder).toBe(0o700)
      for (const file of readdirSync(join(dataDir, folder))) expect(mode(join(dataDir, folder, file)), file).toBe(0o600)
    }
    core.close()
    cleanups.pop()

    // A data directory an earlier version left readable to everyone.
    const { chmodSync } = await import('node:fs')
    chmodSync(dataDir, 0o755)
    chmodSync(join(dataDir, 'tradedeck.sqlite'), 0o644)
    for (const file of readdirSync(join(dataDir, 'backups'))) chmodSync(join(dataDir, 'backups', file), 0o644)
    await open(dataDir)
    expect(mode(dataDir)).toBe(0o700)
    expect(mode(join(dataDir, 'tradedeck.sqlite'))).toBe(0o600)
    for (const file of readdirSync(join(dataDir, 'backups'))) expect(mode(join(dataDir, 'backups', file))).toBe(0o600)
  })

  it('a fresh database file is owner-only from its first byte', () => {
    const dir = makeTempDir()
    cleanups.push(() => dir.remove())
    const db = openSqlite(join(dir.path, 'fresh.sqlite'))
    db.exec('CREATE TABLE t (x)')
    expect(mode(join(dir.path, 'fresh.sqlite'))).toBe(0o600)
    expect(mode(join(dir.path, 'fresh.sqlite-wal'))).toBe(0o600)
    db.close()
  })
})
