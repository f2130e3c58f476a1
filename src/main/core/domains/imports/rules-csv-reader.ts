import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { z } from 'zod'
import type { ImportIssue, ImportReport, RiskConfigPatch } from '../../../../shared/domain'
import { riskConfigPatchSchema } from '../../../../shared/contract'
import { whyNotAFile } from '../../platform/files/readable-file'
import { ImportFileError } from './history-batch'
import { rulesSettingsOf } from './strategy-rules-mapping'

/*
 * The risk config and the strategies as the rules desk Tradedeck replaces kept them in
 * CSV: risk_config.csv (one row, ten fields) and strategies.csv (one row per strategy,
 * with lists and rule texts in its cells). Tradedeck keeps what it can act on and names
 * the rest in the report.
 */

/** A risk config is one row and a strategy list a few hundred; 4 MiB is thousands of strategies with long rules. */
export const MAX_RULES_CSV_BYTES = 4 * 1024 * 1024
/** Both files have under twenty columns; more is not one of them, and each would be named in the report. */
export const MAX_RULES_CSV_COLUMNS = 200
/** A rule text longer than this is not one a person wrote. */
export const MAX_RULES_CSV_RECORD_CHARS = 64 * 1024
/** Strategies in one file. */
export const MAX_RULES_CSV_ROWS = 10_000

export type RulesCsvKind = 'risk_config' | 'strategies'

/** risk_config.csv's columns Tradedeck uses, and the setting each becomes. */
const RISK_COLUMNS = {
  ai_trading_enabled: 'aiTradingEnabled',
  min_confidence_threshold: 'minConfidenceThreshold',
  max_lot_size: 'maxLotSize',
  max_concurrent_trades: 'maxConcurrentTrades',
  daily_profit_target: 'dailyProfitTarget',
  stop_after_target: 'stopAfterTarget',
  max_drawdown_amount: 'maxDrawdownAmount',
  halt_on_drawdown: 'haltOnDrawdown',
  allow_off_watchlist_autotrade: 'allowOffWatchlistAutotrade',
} as const satisfies Record<string, keyof RiskConfigPatch>
type RiskColumn = keyof typeof RISK_COLUMNS

/** Columns the old desk kept for itself, with why Tradedeck does not take them. */
const RISK_COLUMNS_NOT_TAKEN: Record<string, string> = {
  last_halt_reason: 'a past halt: Tradedeck keeps halts in decision history, and this one is quoted in the import row',
  id: 'the old row id',
  created_at: 'the old row time',
  updated_at: 'the old row time',
}

const STRATEGY_RULE_COLUMNS = [
  'session_windows',
  'entry_conditions',
  'exit_rules',
  'forbidden_conditions',
  'risk_caps',
  'rr_expectation',
] as const

const bool = z
  .string()
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 't', 'f'], { error: 'must be true or false' }))
  .transform((value) => ['true', '1', 'yes', 't'].includes(value))
const number = z
  .string()
  .trim()
  .regex(/^-?\d+(\.\d+)?$/, 'must be a number')
  .transform(Number)
const decimalOrEmpty = z
  .string()
  .trim()
  .transform((value) => (value === '' ? null : value))
  .pipe(
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, 'must be a positive number, or empty for none')
      .nullable(),
  )

const RISK_PARSERS: Record<RiskColumn, z.ZodType<unknown, string>> = {
  ai_trading_enabled: bool,
  min_confidence_threshold: number,
  max_lot_size: z.string().trim(),
  max_concurrent_trades: number,
  daily_profit_target: decimalOrEmpty,
  stop_after_target: bool,
  max_drawdown_amount: decimalOrEmpty,
  halt_on_drawdown: bool,
  allow_off_watchlist_autotrade: bool,
}

export interface RiskConfigRows {
  kind: 'risk_config'
  /** The settings the file holds, valid as a risk config change; null when a field is not. */
  patch: RiskConfigPatch | null
  lastHaltReason: string | null
  issues: ImportIssue[]
  skipped: ImportReport['skipped']
}

export interface StrategyRows {
  kind: 'strategies'
  /** Symbols the file's active strategies trade, in file order, each with the row that named it. */
  symbols: { symbol: string; where: string }[]
  /** A stopped rules instance per active strategy with entry conditions and per symbol it trades. */
  instances: { name: string; symbol: string; config: Record<string, unknown>; where: string }[]
  /** Rows whose symbols could not be read. */
  invalidRows: number
  invalidSymbols: number
  issues: ImportIssue[]
  skipped: ImportReport['skipped']
}

class TooManyColumns extends Error {}

function readRows(path: string, fileName: string): Record<string, string>[] {
  const unreadable = whyNotAFile(path, fileName, MAX_RULES_CSV_BYTES)
  if (unreadable) throw new ImportFileError(unreadable)
  try {
    return parse(readFileSync(path, 'utf8'), {
      columns: (header: string[]) => {
        if (header.length > MAX_RULES_CSV_COLUMNS) throw new TooManyColumns()
        return header.map((name) => name.trim().toLowerCase())
      },
      skip_empty_lines: true,
      bom: true,
      trim: false,
      relax_column_count: false,
      max_record_size: MAX_RULES_CSV_RECORD_CHARS,
      to: MAX_RULES_CSV_ROWS + 1,
    })
  } catch (error) {
    if (error instanceof TooManyColumns)
      throw new ImportFileError(
        `${fileName} has more than ${MAX_RULES_CSV_COLUMNS} columns, which no risk config or strategy list has.`,
      )
    const { code, lines } = error as { code?: string; lines?: number }
    if (code === 'CSV_MAX_RECORD_SIZE')
      throw new ImportFileError(
        `${fileName}, line ${lines ?? 1}: a row is longer than ${MAX_RULES_CSV_RECORD_CHARS.toLocaleString('en-US')} characters, which no risk config or strategy list row is.`,
      )
    throw new ImportFileError(`${fileName} is not readable CSV: ${(error as Error).message}`)
  }
}

/** risk_config.csv or strategies.csv, told apart by their columns. */
function rulesKindOf(columns: readonly string[], fileName: string): RulesCsvKind {
  if (columns.includes('allowed_symbols') || columns.includes('entry_conditions')) return 'strategies'
  if (columns.some((column) => column in RISK_COLUMNS)) return 'risk_config'
  throw new ImportFileError(
    `${fileName}: its columns (${columns.join(', ')}) are neither a risk config (ai_trading_enabled, max_lot_size, …) nor a strategy list (name, allowed_symbols, …).`,
  )
}

function readRiskConfig(rows: Record<string, string>[], columns: string[], fileName: string): RiskConfigRows {
  if (rows.length !== 1)
    throw new ImportFileError(`${fileName} must hold exactly one risk config row; it holds ${rows.length}.`)
  const row = rows[0] as Record<string, string>
  const where = `${fileName}, line 2`
  const issues: ImportIssue[] = []
  const patch: Record<string, unknown> = {}
  for (const column of Object.keys(RISK_COLUMNS) as RiskColumn[]) {
    if (!(column in row)) continue
    const parsed = RISK_PARSERS[column].safeParse(row[column])
    if (parsed.success) patch[RISK_COLUMNS[column]] = parsed.data
    else issues.push({ where, field: column, message: parsed.error.issues[0]?.message ?? 'is not valid' })
  }
  if (issues.length === 0) {
    const checked = riskConfigPatchSchema.safeParse(patch)
    if (!checked.success) {
      const columnOf = Object.fromEntries(Object.entries(RISK_COLUMNS).map(([column, key]) => [key, column]))
      for (const issue of checked.error.issues)
        issues.push({ where, field: columnOf[String(issue.path[0])] ?? null, message: issue.message })
    }
  }
  const skipped: ImportReport['skipped'] = []
  const notTaken = columns.filter((column) => !(column in RISK_COLUMNS))
  for (const column of notTaken)
    skipped.push({
      count: 1,
      unit: 'field',
      reason: `(${column}) not taken: ${RISK_COLUMNS_NOT_TAKEN[column] ?? 'Tradedeck has no such setting'}`,
    })
  const missing = Object.keys(RISK_COLUMNS).filter((column) => !columns.includes(column))
  if (missing.length > 0)
    skipped.push({
      count: missing.length,
      unit: 'setting',
      reason: `missing from the file, so left as they are: ${missing.join(', ')}`,
    })
  return {
    kind: 'risk_config',
    patch: issues.length === 0 ? (patch as RiskConfigPatch) : null,
    lastHaltReason: row.last_halt_reason?.trim() || null,
    issues,
    skipped,
  }
}

/** `["EURUSD","XAUUSD"]`, or the same names separated by commas, semicolons or bars. */
export function symbolsOf(cell: string): string[] | null {
  const text = cell.trim()
  if (text === '') return []
  if (text.startsWith('[')) {
    try {
      const list: unknown = JSON.parse(text)
      return Array.isArray(list) && list.every((item) => typeof item === 'string')
        ? list.map((item) => item.trim()).filter(Boolean)
        : null
    } catch {
      return null
    }
  }
  return text
    .split(/[,;|]/)
    .map((name) => name.trim())
    .filter(Boolean)
}

const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,49}$/

function readStrategies(rows: Record<string, string>[], fileName: string): StrategyRows {
  const result: StrategyRows = {
    kind: 'strategies',
    symbols: [],
    instances: [],
    invalidRows: 0,
    invalidSymbols: 0,
    issues: [],
    skipped: [],
  }
  let inactive = 0
  rows.forEach((row, index) => {
    const where = `${fileName}, line ${index + 2}`
    const name = row.name?.trim() || `line ${index + 2}`
    const active = row.is_active === undefined ? true : bool.safeParse(row.is_active)
    if (typeof active !== 'boolean' && !active.success) {
      result.issues.push({ where, field: 'is_active', message: 'must be true or false' })
      result.invalidRows++
      return
    }
    const isActive = typeof active === 'boolean' ? active : active.data
    if (!isActive) {
      inactive++
      return
    }
    const symbols = symbolsOf(row.allowed_symbols ?? '')
    if (symbols === null) {
      result.issues.push({
        where,
        field: 'allowed_symbols',
        message: 'must be a JSON list of names or names separated by commas',
      })
      result.invalidRows++
      return
    }
    const { settings, issues } = rulesSettingsOf(row, where)
    if (issues.length > 0) {
      result.issues.push(...issues)
      result.invalidRows++
      return
    }
    if (!settings) {
      const rules = STRATEGY_RULE_COLUMNS.filter((column) => (row[column] ?? '').trim() !== '')
      if (rules.length > 0)
        result.skipped.push({
          count: rules.length,
          unit: 'field',
          reason: `of strategy "${name}" not taken (${rules.join(', ')}): without entry conditions there is no rules instance to give them to`,
        })
    } else if (settings.notTaken.length > 0)
      result.skipped.push({
        count: settings.notTaken.length,
        unit: 'field',
        reason: `of strategy "${name}" not taken (${settings.notTaken.join(', ')}): the profile's risk config caps these for every strategy`,
      })
    for (const symbol of symbols) {
      if (SYMBOL.test(symbol) && settings)
        result.instances.push({
          name: `${name} ${symbol.toUpperCase()}`.slice(0, 80),
          symbol: symbol.toUpperCase(),
          config: settings.config,
          where,
        })
      if (SYMBOL.test(symbol)) result.symbols.push({ symbol: symbol.toUpperCase(), where })
      else {
        result.issues.push({
          where,
          field: 'allowed_symbols',
          message: `"${symbol.slice(0, 60)}" is not an instrument name`,
        })
        result.invalidSymbols++
      }
    }
  })
  if (inactive > 0)
    result.skipped.push({
      count: inactive,
      unit: 'strategy',
      reason: 'marked inactive, so their symbols were not added to the watchlist',
    })
  return result
}

export function readRulesCsv(path: string, fileName: string): RiskConfigRows | StrategyRows {
  const rows = readRows(path, fileName)
  if (rows.length > MAX_RULES_CSV_ROWS)
    throw new ImportFileError(
      `${fileName} holds more than ${MAX_RULES_CSV_ROWS.toLocaleString('en-US')} strategies; split it.`,
    )
  const columns = rows.length > 0 ? Object.keys(rows[0] as object) : []
  if (columns.length === 0) throw new ImportFileError(`${fileName} holds no rows under a header line.`)
  return rulesKindOf(columns, fileName) === 'risk_config'
    ? readRiskConfig(rows, columns, fileName)
    : readStrategies(rows, fileName)
}
