import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS, type MigrationHarness } from '../../helpers/migration-harness'

/*
 * 0020 adds the economic calendar and the news (market data, deduped by natural key) and the 'idea_withheld'
 * decision action, rebuilding decision_history on SQLite with every index and trigger. The down drops the two
 * tables and keeps every decision row: a withheld idea's row becomes an 'idea_invalidated' row, word for word.
 */
const USER = '00000000-0000-7000-8000-000000000001'
const WITHHELD = '00000000-0000-7000-8000-0000000000e1'
const OLDER = '00000000-0000-7000-8000-0000000000e2'
const EVENT = '00000000-0000-8000-8000-0000000000c1'
const NEWS = '00000000-0000-8000-8000-0000000000d1'

describe.each(DIALECTS)('migration 0020 (calendar and news) on %s', (_name, open) => {
  let db: MigrationHarness
  afterEach(async () => db?.close())

  it('adds the tables with their natural keys and checks, and the withheld action, keeping every decision row both ways', async () => {
    db = await open()
    await db.migrateTo(19)
    await db.exec(`
      INSERT INTO users (id, display_name) VALUES ('${USER}', 'Migration trader');
      INSERT INTO decision_history (id, user_id, symbol, action, rationale, actor) VALUES ('${OLDER}', '${USER}', 'EURUSD', 'ai_proposed', 'Long EURUSD.', 'ai');
    `)
    const withheldRow = `INSERT INTO decision_history (id, user_id, symbol, action, rationale, actor) VALUES ('${WITHHELD}', '${USER}', 'EURUSD', 'idea_withheld', 'Long EURUSD withheld: Non-Farm Payrolls (USD, high) at 13:30.', 'ai')`
    expect(await db.refusal(withheldRow)).toMatch(/check constraint|CHECK constraint failed/i)

    await db.migrateTo(20)
    await db.exec(withheldRow)
    const symbols = db.dialect === 'sqlite' ? `'["EURUSD","USD"]'` : `'["EURUSD","USD"]'::jsonb`
    await db.exec(`
      INSERT INTO calendar_events (id, event_time, currency, impact, title, previous_value, forecast_value, actual_value, captured_at) VALUES ('${EVENT}', '2026-12-04T13:30:00.000Z', 'USD', 'high', 'Non-Farm Payrolls', '150K', '180K', NULL, '2026-12-01T00:00:00.000Z');
      INSERT INTO news_items (id, published_at, source, headline, symbols) VALUES ('${NEWS}', '2026-12-04T13:35:00.000Z', 'Wire', 'Payrolls beat forecasts', ${symbols});
    `)
    // The natural keys: the same event or item again is refused whatever its id.
    expect(
      await db.refusal(
        `INSERT INTO calendar_events (id, event_time, currency, impact, title) VALUES ('00000000-0000-8000-8000-0000000000c2', '2026-12-04T13:30:00.000Z', 'USD', 'high', 'Non-Farm Payrolls')`,
      ),
    ).toMatch(/unique/i)
    expect(
      await db.refusal(
        `INSERT INTO calendar_events (id, event_time, currency, impact, title) VALUES ('00000000-0000-8000-8000-0000000000c3', '2026-12-04T15:00:00.000Z', 'USD', 'extreme', 'ISM')`,
      ),
    ).toMatch(/check constraint|CHECK constraint failed/i)
    expect(
      await db.refusal(
        `INSERT INTO news_items (id, published_at, source, headline, symbols) VALUES ('00000000-0000-8000-8000-0000000000d2', '2026-12-04T13:35:00.000Z', 'Wire', 'Payrolls beat forecasts', ${symbols})`,
      ),
    ).toMatch(/unique/i)
    expect(await db.rows(`SELECT title, actual_value FROM calendar_events`)).toEqual([
      { title: 'Non-Farm Payrolls', actual_value: null },
    ])
    if (db.dialect === 'sqlite') {
      const objects = await db.rows<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE tbl_name IN ('decision_history', 'calendar_events', 'news_items') AND type IN ('index', 'trigger') AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      expect(objects.map((object) => object.name)).toEqual([
        'calendar_events_impact_time',
        'calendar_events_outbox_delete',
        'calendar_events_outbox_insert',
        'calendar_events_outbox_update',
        'decision_history_no_delete',
        'decision_history_no_update',
        'decision_history_outbox_insert',
        'decision_history_snapshot_id',
        'decision_history_strategy_id',
        'decision_history_trade_idea_id',
        'decision_history_user_action_time',
        'decision_history_user_symbol_time',
        'decision_history_user_time',
        'news_items_outbox_delete',
        'news_items_outbox_insert',
        'news_items_outbox_update',
        'news_items_published',
      ])
    }
    expect(await db.refusal(`UPDATE decision_history SET rationale = 'changed' WHERE id = '${WITHHELD}'`)).toMatch(
      /append-only/,
    )

    await db.rollbackTo(19)
    expect(await db.rows(`SELECT id, action, rationale, actor FROM decision_history ORDER BY id`)).toEqual([
      {
        id: WITHHELD,
        action: 'idea_invalidated',
        rationale: 'Long EURUSD withheld: Non-Farm Payrolls (USD, high) at 13:30.',
        actor: 'ai',
      },
      { id: OLDER, action: 'ai_proposed', rationale: 'Long EURUSD.', actor: 'ai' },
    ])
    expect(await db.refusal(`SELECT * FROM calendar_events`)).toMatch(/no such table|does not exist/)
    expect(await db.refusal(`DELETE FROM decision_history WHERE id = '${OLDER}'`)).toMatch(/append-only/)
  })
})
