import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importDesks } from '../helpers/import-desks'
import { tableChecksums } from '../helpers/table-checksums'

/*
 * The economic calendar and the news from CSV in the columns of the platform Tradedeck replaces: a dry run that counts
 * and names, nothing written from a file with an invalid row unless asked, duplicates by natural key, and an actual
 * value arriving after its event updating the row it belongs to.
 */
const CALENDAR = `event_time,currency,impact_level,title,previous_value,forecast_value,actual_value,captured_at
2026-12-04T13:30:00Z,USD,High,Non-Farm Payrolls,150K,180K,,2026-11-28T00:00:00Z
2026-12-04 15:00:00+00,usd,medium,ISM Services PMI,52.1,52.5,,
2026-12-10T12:45:00+01:00,EUR,3,ECB rate decision,3.25%,3.00%,,
`
const NEWS = `headline,source,symbols,published_at,captured_at
Payrolls beat forecasts,Wire,"[""EURUSD"",""USD""]",2026-12-04T13:35:00Z,
Bitcoin ETF flows jump,Desk,BTC; btcusdt,2026-12-04T10:00:00Z,2026-12-04T10:01:00Z
`

describe('importing the economic calendar and the news', () => {
  const { desk, write, importInto, rows } = importDesks()

  it('counts a calendar in a dry run, writes it once with its decision row, and takes the actual value when it arrives', async () => {
    const { core, dataDir, user } = await desk()
    const file = write('calendar.csv', CALENDAR)
    const before = tableChecksums(join(dataDir, 'tradedeck.sqlite'))
    const dry = await importInto(core, user, file, true)
    expect(dry).toMatchObject({
      format: 'calendar-csv',
      tables: { calendar_events: { new: 3, duplicate: 0, invalid: 0 } },
    })
    expect(tableChecksums(join(dataDir, 'tradedeck.sqlite'))).toEqual(before)

    const done = await importInto(core, user, file, false)
    expect(done.backupFile).toMatch(/pre-import/)
    expect(
      rows<{ event_time: string; currency: string; impact: string; title: string }>(
        dataDir,
        'SELECT event_time, currency, impact, title FROM calendar_events ORDER BY event_time',
      ),
    ).toEqual([
      { event_time: '2026-12-04T13:30:00.000Z', currency: 'USD', impact: 'high', title: 'Non-Farm Payrolls' },
      { event_time: '2026-12-04T15:00:00.000Z', currency: 'USD', impact: 'medium', title: 'ISM Services PMI' },
      { event_time: '2026-12-10T11:45:00.000Z', currency: 'EUR', impact: 'high', title: 'ECB rate decision' },
    ])
    const imported = await core.context.store.decisions.query(user, { actions: ['imported'] }, {})
    expect(imported.rows[0]!.rationale).toContain('calendar events: 3 new, 0 already here, 0 invalid')

    // The same file again changes nothing; the payrolls' actual value, known after them, updates their row.
    expect((await importInto(core, user, file, true)).tables.calendar_events).toEqual({
      new: 0,
      duplicate: 3,
      invalid: 0,
    })
    const later = write(
      'calendar-later.csv',
      CALENDAR.replace('High,Non-Farm Payrolls,150K,180K,,', 'High,Non-Farm Payrolls,150K,180K,227K,'),
    )
    const update = await importInto(core, user, later, false)
    expect(update.tables.calendar_events).toEqual({ new: 1, duplicate: 2, invalid: 0 })
    expect(update.skipped[0]!.reason).toContain('already held with other figures')
    expect(rows(dataDir, `SELECT actual_value FROM calendar_events WHERE title = 'Non-Farm Payrolls'`)).toEqual([
      { actual_value: '227K' },
    ])
    expect(
      await core.context.store.marketEvents.calendarBetween('2026-12-04T00:00:00.000Z', '2026-12-05T00:00:00.000Z', {
        highOnly: true,
      }),
    ).toMatchObject([{ title: 'Non-Farm Payrolls', actualValue: '227K' }])
  })

  it('reads news with its symbols, and dedupes it by its source, time and headline', async () => {
    const { core, dataDir, user } = await desk()
    const file = write('news.csv', NEWS)
    expect((await importInto(core, user, file, false)).tables.news_items).toEqual({ new: 2, duplicate: 0, invalid: 0 })
    expect(rows(dataDir, 'SELECT headline, symbols FROM news_items ORDER BY published_at')).toEqual([
      { headline: 'Bitcoin ETF flows jump', symbols: '["BTC","BTCUSDT"]' },
      { headline: 'Payrolls beat forecasts', symbols: '["EURUSD","USD"]' },
    ])
    expect((await importInto(core, user, file, true)).tables.news_items).toEqual({ new: 0, duplicate: 2, invalid: 0 })
  })

  it('names every invalid row in the dry run, writes nothing from such a file unless asked to leave them out', async () => {
    const { core, dataDir, user } = await desk()
    const file = write(
      'calendar-bad.csv',
      `${CALENDAR}2026-12-11 13:30:00,USD,High,CPI,,,,\n2026-12-12T13:30:00Z,USD,extreme,PPI,,,,\n`,
    )
    const dry = await importInto(core, user, file, true)
    expect(dry.tables.calendar_events).toEqual({ new: 3, duplicate: 0, invalid: 2 })
    expect(dry.issues).toEqual([
      {
        where: 'calendar-bad.csv, line 5',
        field: 'event_time',
        message: 'must be a time with its zone, like 2026-12-04T13:30:00Z or 2026-12-04 13:30:00+00',
      },
      { where: 'calendar-bad.csv, line 6', field: 'impact_level', message: 'must be low, medium or high' },
    ])
    const before = tableChecksums(join(dataDir, 'tradedeck.sqlite'))
    await expect(importInto(core, user, file, false)).rejects.toThrow(/^calendar-bad\.csv has 2 invalid records/)
    expect(tableChecksums(join(dataDir, 'tradedeck.sqlite'))).toEqual(before)
    const left = await importInto(core, user, file, false, undefined, true)
    expect(left.tables.calendar_events).toMatchObject({ new: 3, invalid: 2 })
    expect(rows(dataDir, 'SELECT COUNT(*) AS n FROM calendar_events')).toEqual([{ n: 3 }])
    await expect(importInto(core, user, write('nothing.csv', 'headline,source\nx,y\n'), true)).rejects.toThrow(
      /format could not be told from the file/,
    )
  })
})
