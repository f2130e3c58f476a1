import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundledMigrations } from '../../src/main/core/platform/migrations/manifest'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres'
import { makeTempDir } from '../helpers/temp-dir'

const run = promisify(execFile)
const ROOT = join(__dirname, '..', '..')

interface CliResult {
  code: number
  stdout: string
  stderr: string
}

async function cli(bin: string, args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, TRADEDECK_DATA_DIR: '' },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('tradedeck CLI (built)', () => {
  const temp = makeTempDir()
  let bin: string
  let pgDb: TestDatabase
  const versions = bundledMigrations.sqlite.map((def) => def.version)

  beforeAll(async () => {
    expect(existsSync(join(ROOT, 'out', 'main', 'cli.js')), 'run `npm run build` before the CLI tests').toBe(true)
    // A copy of the build with no migrations/ folder beside it proves the manifest is compiled in.
    const app = join(temp.path, 'app')
    mkdirSync(app)
    cpSync(join(ROOT, 'out'), join(app, 'out'), { recursive: true })
    cpSync(join(ROOT, 'bin'), join(app, 'bin'), { recursive: true })
    cpSync(join(ROOT, 'package.json'), join(app, 'package.json'))
    symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'), 'dir')
    bin = join(app, 'bin', 'tradedeck.cjs')
    pgDb = await createTestDatabase()
  })
  afterAll(async () => {
    await pgDb.drop()
    temp.remove()
  })

  it('migrates a fresh directory and reports it as JSON, then status shows all applied', async () => {
    const dataDir = join(temp.path, 'fresh')
    const migrate = await cli(bin, ['migrate', '--data-dir', dataDir, '--json'])
    expect(migrate.code).toBe(0)
    const result = JSON.parse(migrate.stdout)
    expect(Object.keys(result).slice(0, 5)).toEqual(['dialect', 'from', 'to', 'applied', 'backup'])
    expect(result).toMatchObject({ dialect: 'sqlite', from: 0, to: Math.max(...versions), backup: null })
    expect(result.backupNote).toMatch(/database was empty/)
    expect(result.applied.map((m: { version: number }) => m.version)).toEqual(versions)
    expect(existsSync(join(dataDir, 'tradedeck.sqlite'))).toBe(true)

    const status = await cli(bin, ['status', '--data-dir', dataDir, '--json'])
    expect(status.code).toBe(0)
    const report = JSON.parse(status.stdout)
    expect(report).toMatchObject({ dialect: 'sqlite', current: Math.max(...versions) })
    expect(report.migrations.every((m: { state: string }) => m.state === 'applied')).toBe(true)
  })

  it('only migrate creates a database: status, rollback, baseline, backup and sync on a path without one exit 1 and say so', async () => {
    const file = join(temp.path, 'a-file')
    writeFileSync(file, 'not a folder')
    for (const dataDir of [join(temp.path, 'never-created'), file, '/dev/null']) {
      for (const args of [
        ['status'],
        ['rollback', '--steps', '1', '--force'],
        ['baseline', '--version', '1'],
        ['backup'],
        ['sync', 'status'],
        ['sync', 'run', '--pg', 'postgres://x@127.0.0.1:1/x'],
      ]) {
        const result = await cli(bin, [...args, '--data-dir', dataDir])
        expect(result.code, `${args.join(' ')} on ${dataDir}: ${result.stderr}`).toBe(1)
        expect(result.stderr).toContain(
          dataDir === '/dev/null'
            ? `/dev/null is inside /dev, which holds the operating system's own entries, not data.`
            : `There is no Tradedeck database in ${dataDir}`,
        )
      }
    }
    expect(existsSync(join(temp.path, 'never-created'))).toBe(false)
    const status = await cli(bin, ['status', '--data-dir', join(temp.path, 'never-created'), '--json'])
    expect(JSON.parse(status.stdout)).toMatchObject({
      error: { message: expect.stringContaining('the folder does not exist') },
    })
  })

  it('takes version numbers as plain digits only, and refuses a version beyond the newest', async () => {
    const dataDir = join(temp.path, 'strict')
    await cli(bin, ['migrate', '--data-dir', dataDir])
    for (const bad of ['', ' ', '0x2', '1e3', '-1', '2.0', '+3', '٣']) {
      const rollback = await cli(bin, ['rollback', `--to=${bad}`, '--force', '--data-dir', dataDir])
      expect(rollback.code, `rollback --to "${bad}": ${rollback.stderr}`).toBe(2)
      expect((await cli(bin, ['migrate', `--to=${bad}`, '--data-dir', dataDir])).code).toBe(2)
    }
    for (const bad of ['', '0x1', '1e0'])
      expect((await cli(bin, ['rollback', `--steps=${bad}`, '--force', '--data-dir', dataDir])).code).toBe(2)
    expect((await cli(bin, ['rollback', '--steps=0', '--force', '--data-dir', dataDir])).code).toBe(2)
    const status = JSON.parse((await cli(bin, ['status', '--data-dir', dataDir, '--json'])).stdout)
    expect(status.current).toBe(Math.max(...versions))
    const beyond = await cli(bin, ['migrate', '--to', String(Math.max(...versions) + 1), '--data-dir', dataDir])
    expect(beyond).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`the newest this Tradedeck knows is ${Math.max(...versions)}`),
    })
  })

  it('turns system errors into plain words that name the path', async () => {
    const file = join(temp.path, 'blocker')
    writeFileSync(file, 'a file where a folder must be')
    const through = await cli(bin, ['migrate', '--data-dir', join(file, 'data')])
    expect(through.code).toBe(1)
    expect(through.stderr).toContain(`${join(file, 'data')} cannot be used as a data directory`)
    const readOnly = join(temp.path, 'read-only')
    await cli(bin, ['migrate', '--data-dir', readOnly])
    // Root ignores file modes, so the read-only case needs an ordinary user's view: a database opened read-only by the OS.
    const { chmodSync } = await import('node:fs')
    chmodSync(join(readOnly, 'tradedeck.sqlite'), 0o400)
    const { describeSystemError } = await import('../../src/main/hosting/system-errors')
    expect(describeSystemError(new Error('attempt to write a readonly database'), readOnly)).toBe(
      `The database in ${readOnly} is read-only for this user (the file or its folder). Nothing was changed.`,
    )
    expect(
      describeSystemError(Object.assign(new Error('EACCES'), { code: 'EACCES', path: readOnly }), readOnly),
    ).toContain(`Tradedeck may not use ${readOnly}: permission denied`)
  })

  it('prints a plan and a dry run that change nothing', async () => {
    const dataDir = join(temp.path, 'dry')
    const dry = await cli(bin, ['migrate', '--dry-run', '--data-dir', dataDir])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('nothing was changed')
    expect(dry.stdout).toMatch(/0*1_app_meta\s+\[additive\]/)
    expect(existsSync(join(dataDir, 'tradedeck.sqlite'))).toBe(false)
  })

  it('uses exit code 2 for usage errors and 1 for refusals, with plain words', async () => {
    expect((await cli(bin, ['frobnicate'])).code).toBe(2)
    const both = await cli(bin, ['rollback', '--steps', '1', '--to', '0', '--data-dir', temp.path])
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('give exactly one of --steps N or --to VERSION')
    const wrongOption = await cli(bin, ['status', '--force', '--data-dir', temp.path])
    expect(wrongOption.code).toBe(2)
    expect(wrongOption.stderr).toContain('--force cannot be used with this command')
    const dataDir = join(temp.path, 'lossy')
    await cli(bin, ['migrate', '--data-dir', dataDir])
    const lossy = await cli(bin, ['rollback', '--to', '0', '--data-dir', dataDir, '--json'])
    expect(lossy.code).toBe(1)
    expect(lossy.stderr).toContain('confirm with --force')
    expect(JSON.parse(lossy.stdout)).toMatchObject({ error: { code: 'lossy_needs_force' } })
  })

  it('works against PostgreSQL with --pg', async () => {
    const migrate = await cli(bin, ['migrate', '--pg', pgDb.url, '--json'])
    expect(migrate.code).toBe(0)
    expect(JSON.parse(migrate.stdout)).toMatchObject({
      dialect: 'postgres',
      backup: null,
      applied: versions.map((version) => expect.objectContaining({ version })),
    })
    const status = JSON.parse((await cli(bin, ['status', '--pg', pgDb.url, '--json'])).stdout)
    expect(status.migrations.every((m: { state: string }) => m.state === 'applied')).toBe(true)
  })

  it('checks the central database with pg test, and explains a refusal', async () => {
    const tested = await cli(bin, ['pg', 'test', '--pg', pgDb.url, '--json'])
    expect(tested.code).toBe(0)
    expect(JSON.parse(tested.stdout)).toMatchObject({
      ok: true,
      canCreateTables: true,
      serverVersion: expect.stringMatching(/^\d+/),
    })
    const status = await cli(bin, ['pg', 'status', '--pg', pgDb.url, '--json'])
    expect(JSON.parse(status.stdout)).toMatchObject({ dialect: 'postgres' })
    const wrong = new URL(pgDb.url)
    wrong.password = 'not-the-password'
    expect(await cli(bin, ['pg', 'test', '--pg', wrong.toString()])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('refused the user name or password'),
    })
    expect(await cli(bin, ['pg', 'test'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--pg') })
  })
})
