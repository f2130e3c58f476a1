import { randomBytes } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../src/main/core/wiring/app'
import { dispatch } from '../../src/main/core/wiring/dispatch'
import type { CentralConnectionView, CentralTestResult } from '../../src/shared/contract'
import { freePort } from '../helpers/free-port'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres'
import { sourceWorkerEntry } from '../helpers/strategy-worker'
import { makeTempDir } from '../helpers/temp-dir'

describe('Settings → PostgreSQL connection', () => {
  const dir = makeTempDir()
  const role = `td_reader_${randomBytes(4).toString('hex')}`
  const password = `pw-${randomBytes(6).toString('hex')}`
  let core: Core
  let database: TestDatabase
  let server: URL

  const call = async <T>(channel: string, input: unknown = {}) => {
    const result = await dispatch(core.handlers, channel, input)
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code })
    return result.value as T
  }
  const asRole = (overrides: Record<string, unknown> = {}) => ({
    host: server.hostname,
    port: Number(server.port),
    database: server.pathname.slice(1),
    user: role,
    sslMode: 'disable',
    ...overrides,
  })

  beforeAll(async () => {
    database = await createTestDatabase()
    server = new URL(database.url)
    const admin = new pg.Client({ connectionString: database.url })
    await admin.connect()
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`)
    await admin.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`)
    await admin.end()
    core = openCore({
      dataDir: dir.path,
      host: 'browser',
      appVersion: 'test',
      strategies: { worker: sourceWorkerEntry },
    })
    await core.start()
  })

  afterAll(async () => {
    core.close()
    await database.drop()
    const maintenance = new URL(database.url)
    maintenance.pathname = '/postgres'
    const admin = new pg.Client({ connectionString: maintenance.toString() })
    await admin.connect()
    await admin.query(`DROP ROLE IF EXISTS ${role}`)
    await admin.end()
    dir.remove()
  })

  it('saves the connection with the password sealed, never sends the password back, and tests it', async () => {
    const saved = await call<CentralConnectionView>('central:save', { connection: { ...asRole(), password } })
    expect(saved).toMatchObject({
      configured: true,
      passwordSaved: true,
      connection: { user: role, sslMode: 'disable' },
      secretStorage: { storage: 'key-file' },
    })
    expect(JSON.stringify(saved)).not.toContain(password)
    expect(JSON.stringify(await call('central:get'))).not.toContain(password)
    // On disk: sealed in the database, with the key readable only by this user.
    const rows = core.context.db.prepare("SELECT key, value FROM settings WHERE key LIKE 'central.%'").all() as {
      key: string
      value: string
    }[]
    expect(rows.map((row) => row.key).sort()).toEqual(['central.postgres', 'central.postgres.password'])
    expect(rows.map((row) => row.value).join('')).not.toContain(password)
    expect(readFileSync(join(dir.path, 'tradedeck.sqlite')).includes(password)).toBe(false)
    if (process.platform !== 'win32') expect(statSync(join(dir.path, 'secret.key')).mode & 0o777).toBe(0o600)
    const audit = await core.context.store.auditLog.list(core.context.profileId as string)
    expect(audit[0]).toMatchObject({
      subject: 'settings',
      action: 'central_connection',
      details: { password: 'changed', user: role },
    })
    expect(JSON.stringify(audit[0])).not.toContain(password)

    const tested = await call<CentralTestResult>('central:test')
    expect(tested).toMatchObject({ ok: true, canCreateTables: false, failure: null })
    expect(tested.serverVersion).toMatch(/^\d+/)
    expect(tested.latencyMs).toBeGreaterThanOrEqual(0)
    expect(tested.message).toContain('may not create tables')

    const owner = await call<CentralTestResult>('central:test', {
      connection: { url: database.url, sslMode: 'disable' },
    })
    expect(owner).toMatchObject({ ok: true, canCreateTables: true })
  })

  it('says in plain words why a connection fails: password, database, network, SSL', async () => {
    const wrongPassword = await call<CentralTestResult>('central:test', {
      connection: { ...asRole(), password: 'not-it' },
    })
    expect(wrongPassword).toMatchObject({
      ok: false,
      failure: 'auth',
      message: expect.stringContaining('refused the user name or password'),
    })
    const missing = await call<CentralTestResult>('central:test', {
      connection: { ...asRole({ database: 'no_such_db' }), password },
    })
    expect(missing).toMatchObject({
      ok: false,
      failure: 'database_missing',
      message: expect.stringContaining('does not exist'),
    })
    const closed = await call<CentralTestResult>('central:test', {
      connection: { ...asRole({ port: await freePort() }), password },
    })
    expect(closed).toMatchObject({
      ok: false,
      failure: 'network',
      message: expect.stringContaining('No PostgreSQL server answered'),
    })
    const ssl = await call<CentralTestResult>('central:test', {
      connection: { ...asRole({ sslMode: 'verify-full' }), password },
    })
    expect(ssl).toMatchObject({ ok: false, failure: 'ssl' })
  })

  it('refuses contradictory settings and changes nothing', async () => {
    const before = await call('central:get')
    await expect(
      call('central:save', { connection: { url: database.url, host: 'db.example', sslMode: 'disable' } }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('either a connection URL or a host'),
    })
    await expect(call('central:save', { connection: { ...asRole(), caFile: '/tmp/ca.pem' } })).rejects.toMatchObject({
      code: 'invalid_input',
    })
    await expect(call('central:save', { connection: { ...asRole(), sslMode: 'prefer' } })).rejects.toMatchObject({
      code: 'invalid_input',
    })
    expect(await call('central:get')).toEqual(before)
    // Keeping the password: saving without one leaves the sealed one in place; null forgets it.
    expect(await call<CentralConnectionView>('central:save', { connection: asRole() })).toMatchObject({
      passwordSaved: true,
    })
    expect(
      await call<CentralConnectionView>('central:save', { connection: { ...asRole(), password: null } }),
    ).toMatchObject({ passwordSaved: false })
  })

  it('shows the central schema and migrates it with the same runner, and a role without rights is told so', async () => {
    await call('central:save', { connection: { ...asRole(), password } })
    await expect(call('central:migrate')).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/failed.*permission denied for schema public/s),
    })

    await call('central:save', { connection: { url: database.url, sslMode: 'disable' } })
    const before = await call<{ engine: string; current: number; pending: unknown[]; path: string }>(
      'central:migrationStatus',
    )
    expect(before).toMatchObject({ engine: 'postgresql', current: 0 })
    expect(before.pending.length).toBeGreaterThan(0)
    // The user, never the password: no user:password@ in what the screen shows.
    expect(before.path).toMatch(/^[^:@/]+@[^@/]+:\d+\/\w+$/)
    const migrated = await call<{ from: number; to: number; applied: { version: number }[] }>('central:migrate')
    expect(migrated).toMatchObject({ from: 0, to: before.pending.length })
    expect(await call('central:migrationStatus')).toMatchObject({
      current: before.pending.length,
      pending: [],
      schemaDrift: [],
    })
    expect((await core.context.store.auditLog.list(core.context.profileId as string))[0]).toMatchObject({
      subject: 'migration',
      action: 'migrate_central',
    })
  })
})
