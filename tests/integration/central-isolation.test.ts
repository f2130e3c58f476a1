import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tradeRound } from '../helpers/desk-activity'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres'
import { openDesk, withClient } from '../helpers/sync-desk'
import { makeTempDir } from '../helpers/temp-dir'

const run = promisify(execFile)
const ROOT = join(__dirname, '..', '..')
const BIN = join(ROOT, 'out', 'main', 'cli.js')

async function tradedeck(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, TRADEDECK_DATA_DIR: '', ...env },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

/** A desk data directory with one trader's history, made through the app's services. */
async function deskWithHistory(dataDir: string, symbols: string[]): Promise<string> {
  const core = await openDesk(dataDir)
  const user = core.context.profileId as string
  for (const [index, symbol] of symbols.entries())
    await tradeRound(core.context.store, user, symbol, Date.parse('2026-11-20T09:00:00Z') + index * 3_600_000)
  await core.shutdown()
  core.close()
  return user
}

describe('several desks on one central database, each isolated by Row-Level Security', () => {
  const dirs = { a: makeTempDir(), b: makeTempDir(), laptop: makeTempDir() }
  const suffix = randomBytes(4).toString('hex')
  const roles = { a: `desk_a_${suffix}`, b: `desk_b_${suffix}` }
  const password = `pw-${randomBytes(8).toString('hex')}`
  let database: TestDatabase
  const users = { a: '', b: '' }
  const urlAs = (role: string) => {
    const url = new URL(database.url)
    url.username = role
    url.password = password
    return url.toString()
  }

  beforeAll(async () => {
    expect(existsSync(BIN), 'run `npm run build` before this test').toBe(true)
    database = await createTestDatabase()
    users.a = await deskWithHistory(dirs.a.path, ['BTC-PERP', 'ETH-PERP'])
    users.b = await deskWithHistory(dirs.b.path, ['SOL-PERP'])
    expect((await tradedeck(['pg', 'migrate', '--pg', database.url])).code).toBe(0)
  })

  afterAll(async () => {
    await database.drop()
    const maintenance = new URL(database.url)
    maintenance.pathname = '/postgres'
    await withClient(maintenance.toString(), async (client) => {
      for (const role of Object.values(roles)) await client.query(`DROP ROLE IF EXISTS ${role}`)
    })
    for (const dir of Object.values(dirs)) dir.remove()
  })

  it('adds desk roles, and each desk replicates its own trader with sync run', async () => {
    for (const desk of ['a', 'b'] as const) {
      const added = await tradedeck(
        ['pg', 'add-desk', '--pg', database.url, '--role', roles[desk], '--user', users[desk], '--json'],
        { TRADEDECK_DESK_PASSWORD: password },
      )
      expect(added.code, added.stderr).toBe(0)
      expect(JSON.parse(added.stdout)).toMatchObject({ created: true, users: [users[desk]] })
      const synced = await tradedeck([
        'sync',
        'run',
        '--data-dir',
        dirs[desk].path,
        '--pg',
        urlAs(roles[desk]),
        '--json',
      ])
      expect(synced.code, synced.stderr).toBe(0)
      expect(JSON.parse(synced.stdout)).toMatchObject({ status: { lagRows: 0, initialCopy: { done: true } } })
      const status = await tradedeck(['sync', 'status', '--data-dir', dirs[desk].path])
      expect(status.stdout).toContain('Waiting in the outbox: 0 rows')
    }
    const owner = await withClient(
      database.url,
      async (client) =>
        (await client.query('SELECT user_id, count(*)::int AS n FROM trade_ideas GROUP BY user_id ORDER BY n DESC'))
          .rows,
    )
    expect(owner).toEqual([
      { user_id: users.a, n: 2 },
      { user_id: users.b, n: 1 },
    ])
    expect(
      (
        await tradedeck([
          'pg',
          'add-desk',
          '--pg',
          database.url,
          '--role',
          'Robert; DROP TABLE users',
          '--user',
          users.a,
        ])
      ).stderr,
    ).toContain('not a plain role name')
  })

  it("keeps a second desk's hand-written SQL away from the first desk's rows", async () => {
    const before = await withClient(
      database.url,
      async (client) =>
        (await client.query('SELECT id, rationale FROM trade_ideas WHERE user_id = $1 ORDER BY id', [users.a])).rows,
    )
    await withClient(urlAs(roles.b), async (client) => {
      const seen = async (sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows
      expect(await seen('SELECT id FROM users')).toEqual([{ id: users.b }])
      expect(await seen('SELECT count(*)::int AS n FROM trade_ideas WHERE user_id = $1', [users.a])).toEqual([{ n: 0 }])
      expect(await seen('SELECT DISTINCT user_id FROM decision_history')).toEqual([{ user_id: users.b }])
      expect(await seen('SELECT DISTINCT user_id FROM orders')).toEqual([{ user_id: users.b }])
      expect(await seen('SELECT user_id FROM desk_users')).toEqual([{ user_id: users.b }])

      expect(
        (await client.query("UPDATE trade_ideas SET rationale = 'changed by desk b' WHERE user_id = $1", [users.a]))
          .rowCount,
      ).toBe(0)
      expect(
        (await client.query("UPDATE users SET display_name = 'taken over' WHERE id = $1", [users.a])).rowCount,
      ).toBe(0)
      expect((await client.query('DELETE FROM orders WHERE user_id = $1', [users.a])).rowCount).toBe(0)
      expect((await client.query('DELETE FROM trades WHERE user_id <> $1', [users.b])).rowCount).toBe(0)
      const refused = (sql: string, params: unknown[]) =>
        client.query(sql, params).then(
          () => null,
          (failure: Error) => failure.message,
        )
      expect(
        await refused(
          "INSERT INTO notifications (id, user_id, level, title) VALUES (gen_random_uuid(), $1, 'info', 'spoofed')",
          [users.a],
        ),
      ).toMatch(/row-level security/)
      expect(
        await refused(
          "INSERT INTO decision_history (id, user_id, action, actor) VALUES (gen_random_uuid(), $1, 'human_approved', 'human:someone')",
          [users.a],
        ),
      ).toMatch(/row-level security/)
      expect(await refused('UPDATE trade_ideas SET user_id = $1 WHERE user_id = $2', [users.a, users.b])).toMatch(
        /row-level security/,
      )
      expect(await refused('INSERT INTO desk_users (role_name, user_id) VALUES (current_user, $1)', [users.a])).toMatch(
        /permission denied/,
      )
      // Candles are shared and written once: no desk can change what another desk's ideas point at.
      expect(await refused("UPDATE market_snapshots SET close = '1'", [])).toMatch(/permission denied/)
      expect(await refused("SELECT set_config('tradedeck.user_id', $1, false)", [users.a])).toBeNull()
      expect(await seen('SELECT count(*)::int AS n FROM trade_ideas WHERE user_id = $1', [users.a])).toEqual([{ n: 0 }])
    })
    const after = await withClient(
      database.url,
      async (client) =>
        (await client.query('SELECT id, rationale FROM trade_ideas WHERE user_id = $1 ORDER BY id', [users.a])).rows,
    )
    expect(after).toEqual(before)

    // Syncing a desk under a role not mapped to its trader is refused by the server, in words that say what to do.
    const wrongRole = await tradedeck(['sync', 'run', '--data-dir', dirs.b.path, '--pg', urlAs(roles.a)])
    expect(wrongRole).toMatchObject({ code: 1, stderr: expect.stringContaining('refused this desk') })
    expect(wrongRole.stderr).toContain('tradedeck pg add-desk')
  })

  it("rebuilds desk A's trader on a new machine with pg restore, and desk B's role cannot", async () => {
    expect((await tradedeck(['migrate', '--data-dir', dirs.laptop.path])).code).toBe(0)
    const refused = await tradedeck([
      'pg',
      'restore',
      '--user',
      users.a,
      '--data-dir',
      dirs.laptop.path,
      '--pg',
      urlAs(roles.b),
    ])
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('has no user') })
    const restored = await tradedeck([
      'pg',
      'restore',
      '--user',
      users.a,
      '--data-dir',
      dirs.laptop.path,
      '--pg',
      urlAs(roles.a),
      '--json',
    ])
    expect(restored.code, restored.stderr).toBe(0)
    expect(JSON.parse(restored.stdout)).toMatchObject({
      userId: users.a,
      verified: true,
      rows: { users: 1, trade_ideas: 2, trades: 2 },
    })
    const status = await tradedeck(['sync', 'status', '--data-dir', dirs.laptop.path, '--json'])
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'idle', initialCopy: { done: true }, lagRows: 0 })
  })
})
