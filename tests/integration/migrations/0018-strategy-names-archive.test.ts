import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS, type MigrationHarness } from '../../helpers/migration-harness'

/*
 * 0018 names every strategy instance and lets one be archived. The instances already
 * there are named from their kind, symbol and candle length, with the venue added where
 * two would share a name; their edit times stay as they were. Two instances may then
 * share a kind, symbol and venue, names in use are unique, and an archived name is free
 * again. The down drops both columns (declared lossy), keeps every instance, and refuses
 * while two instances share what the old UNIQUE covered.
 */
const USER = '00000000-0000-7000-8000-000000000001'
const PAPER = '00000000-0000-7000-8000-0000000000b1'
const TESTNET = '00000000-0000-7000-8000-0000000000b2'
const RSI = '00000000-0000-7000-8000-0000000000b3'
const SECOND = '00000000-0000-7000-8000-0000000000b4'
const EDITED = '2026-11-20T10:00:00.000Z'

describe.each(DIALECTS)('migration 0018 (strategy names, archive) on %s', (_name, open) => {
  let db: MigrationHarness
  afterEach(async () => db?.close())

  it('names the instances already there, keeps their edit times, and keeps every instance both ways', async () => {
    db = await open()
    await db.migrateTo(17)
    await db.exec(`
      INSERT INTO users (id, display_name) VALUES ('${USER}', 'Migration trader');
      INSERT INTO strategies (id, user_id, strategy_name, instrument, broker, environment, config, updated_at) VALUES
        ('${PAPER}', '${USER}', 'ema_crossover', 'BTC-USD', 'paper', 'paper', '{"timeframe":"1m"}', '${EDITED}'),
        ('${TESTNET}', '${USER}', 'ema_crossover', 'BTC-USD', 'bybit', 'testnet', '{"timeframe":"1m"}', '${EDITED}'),
        ('${RSI}', '${USER}', 'rsi_mean_reversion', 'ETH-USD', 'paper', 'paper', '{}', '${EDITED}');
    `)

    await db.migrateTo(18)
    const named = await db.rows<{ id: string; name: string; updated_at: unknown; archived_at: unknown }>(
      `SELECT id, name, updated_at, archived_at FROM strategies ORDER BY id`,
    )
    expect(named.map((row) => [row.id, row.name])).toEqual([
      [PAPER, 'EMA crossover BTC-USD 1m (paper paper)'],
      [TESTNET, 'EMA crossover BTC-USD 1m (bybit testnet)'],
      [RSI, 'RSI mean reversion ETH-USD'],
    ])
    expect(named.map((row) => new Date(row.updated_at as string).toISOString())).toEqual([EDITED, EDITED, EDITED])
    expect(named.every((row) => row.archived_at === null)).toBe(true)

    // Same kind, symbol and venue, another name: allowed now. The same name in use: refused.
    await db.exec(`INSERT INTO strategies (id, user_id, name, strategy_name, instrument, broker, environment, config)
      VALUES ('${SECOND}', '${USER}', 'EMA crossover BTC-USD 15m', 'ema_crossover', 'BTC-USD', 'paper', 'paper', '{"timeframe":"15m"}')`)
    expect(
      await db.refusal(`INSERT INTO strategies (id, user_id, name, strategy_name, instrument, broker, environment)
        VALUES ('00000000-0000-7000-8000-0000000000b5', '${USER}', 'RSI mean reversion ETH-USD', 'rsi_mean_reversion', 'SOL-USD', 'paper', 'paper')`),
    ).toMatch(/unique|duplicate/i)
    // An archived instance's name is free for a new one.
    await db.exec(`UPDATE strategies SET archived_at = '2026-11-21T00:00:00.000Z' WHERE id = '${RSI}'`)
    await db.exec(`INSERT INTO strategies (id, user_id, name, strategy_name, instrument, broker, environment)
      VALUES ('00000000-0000-7000-8000-0000000000b5', '${USER}', 'RSI mean reversion ETH-USD', 'rsi_mean_reversion', 'SOL-USD', 'paper', 'paper')`)
    expect(await db.refusal(`UPDATE strategies SET name = '' WHERE id = '${PAPER}'`)).toMatch(/check|name/i)

    // Two instances share kind, symbol and venue: the old shape cannot hold both, so the down refuses and changes nothing.
    await expect(db.rollbackTo(17)).rejects.toThrow()
    expect((await db.rows(`SELECT id FROM strategies`)).length).toBe(5)

    await db.exec(`DELETE FROM strategies WHERE id IN ('${SECOND}', '00000000-0000-7000-8000-0000000000b5')`)
    await db.rollbackTo(17)
    expect(await db.refusal(`SELECT name FROM strategies`)).toMatch(/name/)
    expect((await db.rows<{ id: string }>(`SELECT id FROM strategies ORDER BY id`)).map((row) => row.id)).toEqual([PAPER, TESTNET, RSI])
  })
})
