import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importDesks } from '../helpers/import-desks'
import { sha256Of } from '../helpers/sha256'
import { tableChecksums } from '../helpers/table-checksums'

const RISK_CONFIG = `id,ai_trading_enabled,min_confidence_threshold,max_lot_size,max_concurrent_trades,daily_profit_target,stop_after_target,max_drawdown_amount,halt_on_drawdown,allow_off_watchlist_autotrade,last_halt_reason
1,true,0.72,0.5,3,250,True,400,1,false,"Drawdown of 410 hit, halted"
`

const STRATEGIES = `id,name,is_active,allowed_symbols,session_windows,entry_conditions,exit_rules,forbidden_conditions,risk_caps,rr_expectation
7,London breakout,true,"[""EURUSD"",""GBPUSD""]","[""Mon–Fri 07:00–10:00 Europe/London""]","[""close > sma(20)"", ""rsi(14) < 70""]","{""stop_atr"": 1.5, ""target_r"": 2}","[""atr(14) > 3 * atr(50)""]","{""max_lot"": 0.5, ""max_open"": 2}",2.0
8,Gold dips,yes,XAUUSD; eurusd,,rsi(14) < 30,,,,
9,Old idea,false,USDJPY,,,,,,
10,Broken,true,"[""ok"",",,,,,,
11,Odd names,true,BTC/USDT:USDT drop table,,,,,,
`

describe('importing the risk config and strategies from CSV', () => {
  const { desk, write, importInto, rows } = importDesks()

  it('takes the nine settings of risk_config.csv, names what it leaves, and writes the change with its audit and decision rows once', async () => {
    const { core, dataDir, user } = await desk()
    const file = write('risk_config.csv', RISK_CONFIG)
    const before = tableChecksums(join(dataDir, 'tradedeck.sqlite'))

    const dry = await importInto(core, user, file, true)
    expect(dry).toMatchObject({
      format: 'rules-csv',
      sha256: sha256Of(file),
      tables: { risk_config: { new: 1, duplicate: 0, invalid: 0 } },
      issueCount: 0,
    })
    expect(dry.skipped.map((skipped) => skipped.reason)).toEqual([
      expect.stringContaining('(id) not taken'),
      expect.stringContaining('(last_halt_reason) not taken'),
    ])
    expect(tableChecksums(join(dataDir, 'tradedeck.sqlite'))).toEqual(before)

    const real = await importInto(core, user, file, false)
    expect(real.backupFile).toMatch(/^tradedeck-/)
    const config = await core.context.store.riskConfig.get(user)
    expect(config).toMatchObject({
      aiTradingEnabled: true,
      minConfidenceThreshold: 0.72,
      maxLotSize: '0.5',
      maxConcurrentTrades: 3,
      dailyProfitTarget: '250',
      stopAfterTarget: true,
      maxDrawdownAmount: '400',
      haltOnDrawdown: true,
      allowOffWatchlistAutotrade: false,
      halted: false,
    })
    const audit = rows<{ action: string; details: string }>(
      dataDir,
      "SELECT action, details FROM audit_log WHERE subject = 'risk_config'",
    )
    expect(audit).toHaveLength(1)
    expect(JSON.parse(audit[0]!.details)).toMatchObject({
      file: 'risk_config.csv',
      minConfidenceThreshold: { to: 0.72 },
    })
    expect(JSON.parse(audit[0]!.details)).not.toHaveProperty('maxConcurrentTrades')
    const decision = rows<{ rationale: string }>(
      dataDir,
      "SELECT rationale FROM decision_history WHERE action = 'imported'",
    )
    expect(decision).toHaveLength(1)
    expect(decision[0]!.rationale).toContain('Drawdown of 410 hit, halted')

    const again = await importInto(core, user, file, false)
    expect(again).toMatchObject({ tables: { risk_config: { new: 0, duplicate: 1, invalid: 0 } }, backupFile: null })
    expect(rows(dataDir, "SELECT * FROM decision_history WHERE action = 'imported'")).toHaveLength(1)
  })

  it('refuses a risk config with a bad field as a whole, naming the line and column, and changes nothing', async () => {
    const { core, dataDir, user } = await desk()
    const before = tableChecksums(join(dataDir, 'tradedeck.sqlite'))
    const bad = write('risk_config.csv', RISK_CONFIG.replace('0.72', '72').replace(',3,', ',three,'))
    await expect(importInto(core, user, bad, false)).rejects.toThrow(
      /^risk_config\.csv has 1 invalid record, so nothing was imported: risk_config\.csv, line 2, max_concurrent_trades: must be a number\./,
    )
    const report = await importInto(core, user, bad, true)
    expect(report.tables.risk_config).toEqual({ new: 0, duplicate: 0, invalid: 1 })
    expect(report.issues).toEqual([
      { where: 'risk_config.csv, line 2', field: 'max_concurrent_trades', message: 'must be a number' },
    ])
    const outOfRange = await importInto(core, user, write('risk_config.csv', RISK_CONFIG.replace('0.72', '72')), true)
    expect(outOfRange.issues).toEqual([
      { where: 'risk_config.csv, line 2', field: 'min_confidence_threshold', message: 'must be between 0 and 1' },
    ])
    await expect(
      importInto(core, user, write('risk_config.csv', RISK_CONFIG + RISK_CONFIG.split('\n')[1] + '\n'), false),
    ).rejects.toThrow(/exactly one risk config row; it holds 2/)
    expect(tableChecksums(join(dataDir, 'tradedeck.sqlite'))).toEqual(before)
  })

  it("adds active strategies' symbols to the watchlist and makes each a stopped rules instance per symbol, and skips inactive ones", async () => {
    const { core, user } = await desk()
    await core.context.store.riskConfig.update(user, { watchlist: ['XAUUSD'] })
    const file = write('strategies.csv', STRATEGIES)
    const dry = await importInto(core, user, file, true)
    expect(dry.tables).toEqual({
      watchlist: { new: 2, duplicate: 2, invalid: 2 },
      strategies: { new: 4, duplicate: 0, invalid: 0 },
    })
    expect(dry.issues.map((issue) => `${issue.where} ${issue.field}`)).toEqual([
      'strategies.csv, line 5 allowed_symbols',
      'strategies.csv, line 6 allowed_symbols',
    ])
    expect(dry.skipped.map((skipped) => skipped.reason)).toEqual([expect.stringContaining('marked inactive')])
    expect((await core.context.store.riskConfig.get(user))?.watchlist).toEqual(['XAUUSD'])

    // A bad strategy.csv adds nothing to the watchlist unless told to leave its bad rows out.
    await expect(importInto(core, user, file, false)).rejects.toThrow(/^strategies\.csv has 2 invalid records/)
    expect((await core.context.store.riskConfig.get(user))?.watchlist).toEqual(['XAUUSD'])
    await importInto(core, user, file, false, undefined, true)
    expect((await core.context.store.riskConfig.get(user))?.watchlist).toEqual(['XAUUSD', 'EURUSD', 'GBPUSD'])
    const again = await importInto(core, user, file, true)
    expect(again.tables.watchlist).toMatchObject({ new: 0, duplicate: 4 })
    expect(again.tables.strategies).toEqual({ new: 0, duplicate: 4, invalid: 0 })

    // Each instance is stopped, on paper, with the row's rules as the rules kind reads them.
    const instances = (await core.context.store.strategies.list(user)).sort((a, b) => a.name.localeCompare(b.name))
    expect(
      instances.map((instance) => [
        instance.name,
        instance.strategyName,
        instance.instrument,
        instance.status,
        instance.environment,
      ]),
    ).toEqual([
      ['Gold dips EURUSD', 'rules', 'EURUSD', 'stopped', 'paper'],
      ['Gold dips XAUUSD', 'rules', 'XAUUSD', 'stopped', 'paper'],
      ['London breakout EURUSD', 'rules', 'EURUSD', 'stopped', 'paper'],
      ['London breakout GBPUSD', 'rules', 'GBPUSD', 'stopped', 'paper'],
    ])
    expect(instances[2]!.config).toMatchObject({
      entryLong: '(close > sma(20)) and (rsi(14) < 70)',
      entryShort: '',
      forbidden: 'atr(14) > 3 * atr(50)',
      sessionWindows: 'Mon–Fri 07:00–10:00 Europe/London',
      stopBy: 'atr',
      stopValue: 1.5,
      targetBy: 'r',
      targetValue: 2,
      maxSize: '0.5',
      maxOpenTrades: 2,
      minRewardToRisk: 2,
    })
  })

  it('names, in the dry run, each rule or window of a strategy it cannot read, with where, and writes nothing', async () => {
    const { core, dataDir, user } = await desk()
    const file = write(
      'strategies.csv',
      `id,name,is_active,allowed_symbols,session_windows,entry_conditions,exit_rules,forbidden_conditions,risk_caps,rr_expectation
7,London breakout,true,EURUSD,"[""07:00-10:00""]",Break of Asian range,Close at 2R,rsi(14) > ,,2.0
`,
    )
    const before = tableChecksums(join(dataDir, 'tradedeck.sqlite'))
    const dry = await importInto(core, user, file, true)
    expect(dry.issues.map((issue) => [issue.field, issue.message])).toEqual([
      [
        'entry_conditions',
        '“Break of Asian range” is not a rule Tradedeck reads: Unknown name “Break”: a rule reads open, high, low, close, volume and the indicators ema, sma, rsi, atr, macd, macd_signal, macd_hist. (at character 1)',
      ],
      [
        'forbidden_conditions',
        '“rsi(14) >” is not a rule Tradedeck reads: Expected expression after >. (at character 10)',
      ],
      [
        'session_windows',
        '“07:00-10:00” is not a window: write the days, the hours and the time zone, like Mon–Fri 08:00–16:30 Europe/London.',
      ],
      ['exit_rules', expect.stringContaining('must be a JSON object with a stop (stop_atr or stop_distance)')],
    ])
    await expect(importInto(core, user, file, false)).rejects.toThrow(/^strategies\.csv has 1 invalid record/)
    expect(tableChecksums(join(dataDir, 'tradedeck.sqlite'))).toEqual(before)
  })
})
