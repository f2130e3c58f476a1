import type { ImportIssue } from '../../../../shared/domain'
import { parseCondition } from '../../../../shared/rules/expression'
import { parseSessionWindows } from '../../../../shared/rules/session-windows'

/*
 * One row of the strategies.csv of the platform Tradedeck replaces, as the settings of a rules instance: its entry
 * conditions, session windows, forbidden conditions, exit rules, risk caps and reward-to-risk expectation. A list
 * cell (JSON) joins its entries: entry conditions all hold ("and"), any forbidden one forbids ("or"), windows are
 * alternatives (";"). A rule or window that does not read is named with its place, and the row is not taken.
 */

export interface RulesSettings {
  config: Record<string, unknown>
  /** What the row held that the instance does not take, in words. */
  notTaken: string[]
}

/** A cell as text, or a JSON list's entries; null when the JSON does not read as a list of texts. */
function entriesOf(cell: string): string[] | null {
  const text = cell.trim()
  if (!text.startsWith('[')) return text === '' ? [] : [text]
  try {
    const list: unknown = JSON.parse(text)
    return Array.isArray(list) && list.every((entry) => typeof entry === 'string')
      ? list.map((entry) => entry.trim()).filter(Boolean)
      : null
  } catch {
    return null
  }
}

function objectOf(cell: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(cell)
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}

const joined = (entries: string[], operator: 'and' | 'or') =>
  entries.length === 1 ? entries[0]! : entries.map((entry) => `(${entry})`).join(` ${operator} `)

const positive = (value: unknown) => (typeof value === 'number' && value > 0 ? value : null)

/** The row's rules as a rules instance's settings, or the issues that keep it from being one. */
export function rulesSettingsOf(
  row: Record<string, string>,
  where: string,
): { settings: RulesSettings | null; issues: ImportIssue[] } {
  const issues: ImportIssue[] = []
  const config: Record<string, unknown> = {}
  const notTaken: string[] = []
  /** `taken` takes the entries that are settings rather than rules (it answers undefined for those). */
  const rule = (column: string, operator: 'and' | 'or', taken = (entry: string): string | undefined => entry) => {
    const listed = entriesOf(row[column] ?? '')
    if (listed === null) {
      issues.push({ where, field: column, message: 'must be a rule, or a JSON list of rules' })
      return null
    }
    const entries = listed.flatMap((entry) => taken(entry) ?? [])
    if (entries.length === 0) return ''
    const text = joined(entries, operator)
    const parsed = parseCondition(text)
    if (!parsed.ok) {
      issues.push({
        where,
        field: column,
        message: `“${text.slice(0, 120)}” is not a rule Tradedeck reads: ${parsed.message} (at character ${parsed.position + 1})`,
      })
      return null
    }
    return text
  }

  // {"long": ..., "short": ...} gives each side its own rule; anything else is the long side's.
  const sides = objectOf(row.entry_conditions ?? '')
  if (sides && (typeof sides.long === 'string' || typeof sides.short === 'string')) {
    for (const [side, key] of [
      ['long', 'entryLong'],
      ['short', 'entryShort'],
    ] as const) {
      const text = typeof sides[side] === 'string' ? (sides[side] as string).trim() : ''
      const parsed = text === '' ? null : parseCondition(text)
      if (parsed && !parsed.ok)
        issues.push({
          where,
          field: 'entry_conditions',
          message: `the ${side} rule “${text.slice(0, 120)}” does not read: ${parsed.message} (at character ${parsed.position + 1})`,
        })
      config[key] = text
    }
  } else {
    const entry = rule('entry_conditions', 'and')
    if (entry === '') return { settings: null, issues }
    if (entry !== null) {
      config.entryLong = entry
      config.entryShort = ''
    }
  }
  const forbidden = rule('forbidden_conditions', 'or', (entry) => {
    // The calendar and news conditions: high_impact_event_within(N) and news_within(N), in minutes.
    const calendar = /^high_impact_event_within\((\d{1,4})\)$/i.exec(entry)
    if (calendar) return void (config.avoidHighImpactMinutes = Number(calendar[1]))
    const news = /^news_within\((\d{1,4})\)$/i.exec(entry)
    if (news) return void (config.avoidNewsMinutes = Number(news[1]))
    return entry
  })
  if (forbidden) config.forbidden = forbidden

  const windows = entriesOf(row.session_windows ?? '')
  if (windows === null)
    issues.push({ where, field: 'session_windows', message: 'must be windows, or a JSON list of them' })
  else if (windows.length > 0) {
    const text = windows.join('; ')
    const parsed = parseSessionWindows(text)
    if (parsed.ok) config.sessionWindows = text
    else issues.push({ where, field: 'session_windows', message: parsed.message })
  }

  const exits = (row.exit_rules ?? '').trim()
  if (exits !== '') {
    const rules = objectOf(exits)
    const stopAtr = positive(rules?.stop_atr)
    const stopDistance = positive(rules?.stop_distance)
    const targetR = positive(rules?.target_r)
    const targetAtr = positive(rules?.target_atr)
    const targetDistance = positive(rules?.target_distance)
    if (!rules || (!stopAtr && !stopDistance) || (!targetR && !targetAtr && !targetDistance))
      issues.push({
        where,
        field: 'exit_rules',
        message:
          'must be a JSON object with a stop (stop_atr or stop_distance) and a target (target_r, target_atr or target_distance), like {"stop_atr": 1.5, "target_r": 2}',
      })
    else {
      Object.assign(
        config,
        stopAtr ? { stopBy: 'atr', stopValue: stopAtr } : { stopBy: 'distance', stopValue: stopDistance },
        targetR
          ? { targetBy: 'r', targetValue: targetR }
          : targetAtr
            ? { targetBy: 'atr', targetValue: targetAtr }
            : { targetBy: 'distance', targetValue: targetDistance },
      )
      if (positive(rules.atr_period)) config.atrPeriod = rules.atr_period
      if (positive(rules.time_exit_candles)) config.exitAfterCandles = rules.time_exit_candles
    }
  }

  const caps = (row.risk_caps ?? '').trim()
  if (caps !== '') {
    const parsed = objectOf(caps)
    if (!parsed) issues.push({ where, field: 'risk_caps', message: 'must be a JSON object, like {"max_lot": 0.5}' })
    else
      for (const [key, value] of Object.entries(parsed)) {
        if ((key === 'max_lot' || key === 'max_size') && positive(value)) config.maxSize = String(value)
        else if ((key === 'max_open' || key === 'max_open_trades') && positive(value)) config.maxOpenTrades = value
        else notTaken.push(`risk cap ${key}`)
      }
  }

  const rr = (row.rr_expectation ?? '').trim()
  if (rr !== '') {
    const value = Number(rr)
    if (!Number.isFinite(value) || value < 0 || value > 100)
      issues.push({ where, field: 'rr_expectation', message: 'must be a number from 0 to 100' })
    else config.minRewardToRisk = value
  }
  return { settings: issues.length === 0 ? { config, notTaken } : null, issues }
}
