import { z } from 'zod'
import {
  conjunctsOf,
  evaluate,
  indicatorKey,
  parseCondition,
  printRule,
  valuesIn,
  type Rule,
  type RuleInputs,
} from '../../../../../shared/rules/expression'
import { inSession, parseSessionWindows, type SessionWindow } from '../../../../../shared/rules/session-windows'
import { TIMEFRAME_MS } from '../../../../../shared/timeframes'
import { ruleIndicatorSet } from '../rules/rule-indicators'
import { confidenceOf, defineKind, formatPrice, type CommonConfig, type NumericCandle } from './kind'

/*
 * A strategy written as rules rather than code, as the platform Tradedeck replaces kept them: entry conditions for
 * each side, session windows, forbidden conditions, exits as ATR multiples, distances or R multiples, and a floor on
 * reward to risk. The rule texts are checked when the instance is saved and read once per run.
 */

const ruleText = (fallback: string, description: string) =>
  z
    .string()
    .max(1000, 'A rule is at most 1000 characters')
    .default(fallback)
    .describe(description)
    .meta({ format: 'rule' })

const params = {
  entryLong: ruleText(
    'crosses_above(ema(12), ema(26)) and rsi(14) < 70',
    'Go long when (a rule, e.g. ema(12) > ema(26) and rsi(14) < 70; empty: never long)',
  ),
  entryShort: ruleText(
    'crosses_below(ema(12), ema(26)) and rsi(14) > 30',
    'Go short when (a rule; empty: never short)',
  ),
  forbidden: ruleText('', 'Never propose when (a rule, e.g. atr(14) > 3 * atr(50); empty: no such rule)'),
  sessionWindows: z
    .string()
    .max(1000)
    .default('')
    .describe(
      'Propose only in these windows, e.g. Mon–Fri 08:00–16:30 Europe/London (several joined by “;”; empty: at any time)',
    )
    .meta({ format: 'session-windows' }),
  avoidHighImpactMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(0)
    .describe(
      'Stay out this many minutes either side of a high-impact calendar event for one of the symbol’s currencies (0: not watched)',
    ),
  avoidNewsMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(0)
    .describe('Stay out this many minutes after news naming the symbol (0: not watched)'),
  stopBy: z.enum(['atr', 'distance']).default('atr').describe('Stop-loss by: ATR multiple, or a fixed price distance'),
  stopValue: z.number().positive().max(1e9).default(1.5).describe('Stop-loss: how many ATRs, or the distance'),
  targetBy: z
    .enum(['r', 'atr', 'distance'])
    .default('r')
    .describe('Take-profit by: a multiple of the risk (R), an ATR multiple, or a fixed price distance'),
  targetValue: z.number().positive().max(1e9).default(2).describe('Take-profit: how many R or ATRs, or the distance'),
  atrPeriod: z.number().int().min(2).max(500).default(14).describe('ATR period of the stop and target'),
  exitAfterCandles: z
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(0)
    .describe('Time exit: close a trade at the close of its Nth candle, counting the one it opened on (0: never)'),
  minRewardToRisk: z
    .number()
    .min(0)
    .max(100)
    .default(0)
    .describe('Least reward to risk (target distance over stop distance); an idea below it is not proposed (0: any)'),
  confidence: z.number().min(0).max(1).default(0.6).describe('Confidence each idea is proposed with, 0 to 1'),
  maxSize: z
    .string()
    .trim()
    .regex(/^(\d+(\.\d+)?)?$/, 'Enter a positive decimal number, e.g. 0.5, or leave it empty')
    .refine((value) => value === '' || Number(value) > 0, 'The cap must be above zero')
    .default('')
    .describe('Largest size of one idea, whatever the sizing gives (empty: no cap)'),
  maxOpenTrades: z
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(0)
    .describe(
      'Open trades this instance may hold at once; an idea beyond them is withheld (0: only the risk config caps)',
    ),
}

type RulesConfig = z.output<z.ZodObject<typeof params>> & CommonConfig

interface Compiled {
  long: Rule | null
  short: Rule | null
  forbidden: Rule | null
  windows: SessionWindow[]
  atrKey: string
}

/** The rule fields, each parsed; null for an empty one. A broken rule never reaches here: `check` refuses it. */
const compiledByConfig = new WeakMap<object, Compiled>()
function compiled(config: RulesConfig): Compiled {
  let rules = compiledByConfig.get(config)
  if (!rules) {
    const rule = (text: string) => {
      if (text.trim() === '') return null
      const parsed = parseCondition(text)
      if (!parsed.ok) throw new Error(`A rule that was never checked reached the strategy: ${parsed.message}`)
      return parsed.rule
    }
    const windows = parseSessionWindows(config.sessionWindows)
    if (!windows.ok) throw new Error(`Session windows that were never checked reached the strategy: ${windows.message}`)
    rules = {
      long: rule(config.entryLong),
      short: rule(config.entryShort),
      forbidden: rule(config.forbidden),
      windows: windows.windows,
      atrKey: indicatorKey('atr', [config.atrPeriod]),
    }
    compiledByConfig.set(config, rules)
  }
  return rules
}

const RULE_FIELDS = ['entryLong', 'entryShort', 'forbidden'] as const

/** Where a condition holds: each of its parts, with the values it read, in words. */
function heldParts(rule: Rule, inputs: RuleInputs, decimals: number): string {
  return conjunctsOf(rule)
    .map((part) => `${printRule(part)} (${valuesIn(part, inputs, (value) => value.toFixed(decimals)).join(', ')})`)
    .join('; ')
}

export const rulesStrategy = defineKind({
  name: 'rules',
  label: 'Rules',
  description:
    'Proposes when a rule you write holds: entry conditions for each side over candle fields and indicators (ema, sma, rsi, atr, macd), within session windows, never while a forbidden condition holds. Stop-loss and take-profit by ATR, distance or R; an idea below the least reward to risk is not proposed.',
  params,
  check(config) {
    for (const field of RULE_FIELDS) {
      const text = config[field]
      if (text.trim() === '') continue
      const parsed = parseCondition(text)
      if (!parsed.ok) return { path: field, message: `${parsed.message} (at character ${parsed.position + 1})` }
    }
    if (config.entryLong.trim() === '' && config.entryShort.trim() === '')
      return { path: 'entryLong', message: 'Give a rule for going long, going short, or both.' }
    const windows = parseSessionWindows(config.sessionWindows)
    if (!windows.ok) return { path: 'sessionWindows', message: windows.message }
    return null
  },
  indicators(config) {
    const rules = compiled(config)
    return ruleIndicatorSet(
      [rules.long, rules.short, rules.forbidden].filter((rule): rule is Rule => rule !== null),
      [{ kind: 'indicator', name: 'atr', args: [config.atrPeriod], key: rules.atrKey }],
    )
  },
  decide({ candle, indicators, previous, previousCandle, config }) {
    const rules = compiled(config)
    const closedAt = Date.parse(candle.ts) + TIMEFRAME_MS[config.timeframe]
    // A candle closing at the end of a window belongs to it: its last minute was inside.
    if (!inSession(rules.windows, closedAt - 1)) return []
    const inputs: RuleInputs = {
      candle: fields(candle),
      indicators,
      previous: previous && previousCandle ? { candle: fields(previousCandle), indicators: previous } : null,
    }
    // A forbidden condition that cannot be known yet (an indicator still warming up) forbids: the careful reading.
    if (rules.forbidden && evaluate(rules.forbidden, inputs) !== false) return []
    const direction =
      rules.long && evaluate(rules.long, inputs) === true
        ? 'long'
        : rules.short && evaluate(rules.short, inputs) === true
          ? 'short'
          : null
    if (!direction) return []
    const atr = indicators[rules.atrKey]
    const needsAtr = config.stopBy === 'atr' || config.targetBy === 'atr'
    if (needsAtr && (atr === null || atr === undefined || !(atr > 0))) return []
    const sign = direction === 'long' ? 1 : -1
    const entry = candle.close
    const risk = config.stopBy === 'atr' ? config.stopValue * (atr as number) : config.stopValue
    const reward =
      config.targetBy === 'r'
        ? config.targetValue * risk
        : config.targetBy === 'atr'
          ? config.targetValue * (atr as number)
          : config.targetValue
    const rewardToRisk = reward / risk
    if (rewardToRisk < config.minRewardToRisk) return []
    const p = (value: number) => formatPrice(value, config.priceDecimals)
    const held = heldParts((direction === 'long' ? rules.long : rules.short) as Rule, inputs, config.priceDecimals)
    const stopWords =
      config.stopBy === 'atr' ? `${config.stopValue}×ATR(${config.atrPeriod}) (${p(risk)})` : `${p(risk)}`
    const targetWords =
      config.targetBy === 'r'
        ? `${config.targetValue}R`
        : config.targetBy === 'atr'
          ? `${config.targetValue}×ATR(${config.atrPeriod})`
          : p(reward)
    const rationale =
      `${direction === 'long' ? 'Long' : 'Short'}: ${held}` +
      `${rules.windows.length > 0 ? `; inside the session ${config.sessionWindows.trim()}` : ''}` +
      `${rules.forbidden ? `; not forbidden (${printRule(rules.forbidden)} does not hold)` : ''}. ` +
      `Stop ${stopWords} ${direction === 'long' ? 'below' : 'above'} the entry, target ${targetWords}: reward to risk ${rewardToRisk.toFixed(2)}${config.minRewardToRisk > 0 ? `, at least ${config.minRewardToRisk} asked` : ''}.`
    return [
      {
        direction,
        entry,
        stopLoss: entry - sign * risk,
        takeProfit: entry + sign * reward,
        confidence: confidenceOf(config.confidence),
        rationale,
      },
    ]
  },
})

function fields(candle: NumericCandle): RuleInputs['candle'] {
  return { open: candle.open, high: candle.high, low: candle.low, close: candle.close, volume: candle.volume }
}
