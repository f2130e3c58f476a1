import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { bundledMigrations } from '../../src/main/core/platform/migrations/manifest'
import { makeTempDir } from '../helpers/temp-dir'

const LATEST = Math.max(...bundledMigrations.sqlite.map((def) => def.version))

const run = promisify(execFile)
const BIN = join(__dirname, '..', '..', 'bin', 'tradedeck.cjs')

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, TRADEDECK_DATA_DIR: '' },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('tradedeck backup commands (built)', () => {
  const temp = makeTempDir()
  const dataDir = join(temp.path, 'desk')
  afterAll(() => temp.remove())

  it('backs up, lists, verifies, restores and prunes, with the documented JSON', async () => {
    expect(existsSync(join(__dirname, '..', '..', 'out', 'main', 'cli.js')), 'run `npm run build` first').toBe(true)
    expect((await cli(['migrate', '--data-dir', dataDir])).code).toBe(0)

    const backup = await cli(['backup', '--data-dir', dataDir, '--json'])
    expect(backup.code).toBe(0)
    const made = JSON.parse(backup.stdout)
    expect(Object.keys(made)).toEqual(['path', 'sha256', 'size', 'schemaVersion', 'reason', 'createdAt'])
    expect(made).toMatchObject({
      reason: 'manual',
      schemaVersion: LATEST,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
    expect(existsSync(made.path)).toBe(true)

    const list = JSON.parse((await cli(['backups', '--data-dir', dataDir, '--json'])).stdout)
    expect(list).toEqual([made])
    const file = made.path.split('/').at(-1)
    expect(JSON.parse((await cli(['verify', file, '--data-dir', dataDir, '--json'])).stdout)).toMatchObject({
      ...made,
      verified: true,
    })

    const restored = await cli(['restore', file, '--data-dir', dataDir, '--json'])
    expect(restored.code).toBe(0)
    expect(JSON.parse(restored.stdout)).toMatchObject({
      restoredFrom: { path: made.path },
      preRestore: { reason: 'pre-restore' },
      migrated: [],
    })
    expect(
      JSON.parse((await cli(['backups', '--data-dir', dataDir, '--json'])).stdout).map(
        (entry: { reason: string }) => entry.reason,
      ),
    ).toEqual(['pre-restore', 'manual'])
    expect(JSON.parse((await cli(['prune', '--data-dir', dataDir, '--json'])).stdout)).toEqual({ pruned: [], kept: 2 })
  })

  it('explains bad input in plain words and changes nothing', async () => {
    expect(await cli(['restore', '--data-dir', dataDir])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('restore needs the backup file'),
    })
    expect(await cli(['verify', 'nope.sqlite', '--data-dir', dataDir])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is not in the backup catalogue'),
    })
    expect(await cli(['backup', '--data-dir', join(temp.path, 'empty')])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('There is no Tradedeck database in'),
    })
    expect(await cli(['backups', 'extra', '--data-dir', dataDir])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Unexpected argument: extra'),
    })
    expect(JSON.parse((await cli(['backups', '--data-dir', dataDir, '--json'])).stdout)).toHaveLength(2)
  })
})
