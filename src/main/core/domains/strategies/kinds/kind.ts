import type { StopRules } from '../../trading/stop-rules'
import { z } from 'zod'

/** A closed candle as strategies compute with it. */
export interface NumericCandle {
  ts: string
  open: number
  high: number
  low: number
  close: number
  volume: number
}

/** A stored candle (decimal text) as strategies compute with it. */
export function numericCandle(candle: {
  ts: string
  open: string
  high: string
  low: string
  close: string
  volume: string
}): NumericCandle {
  return {
    ts: candle.ts,
    open: Number(candle.open),
    high: Number(candle.high),
    low: Number(candle.low),
    close: Number(candle.close),
    volume: Number(candle.volume),
  }
}

export type IndicatorValues = Record<string, number | null>

/** What a strategy proposes; the runtime adds the symbol, size, snapshot and expiry. */
export interface IdeaSignal {
  direction: 'long' | 'short'
  entry: number
  stopLoss: number
  takeProfit: number
  /** 0..1 */
  confidence: number
  /** One sentence that says why, in the trader's words. */
  rationale: string
}

export interface DecisionContext<C> {
  candle: NumericCandle
  indicators: IndicatorValues
  /** The indicators as they were on the previous candle (null on the first). */
  previous: IndicatorValues | null
  /** The previous closed candle (null on the first). */
  previousCandle: NumericCandle | null
  config: C
}

/** Incremental indicators for one instance: fed every closed candle, in order. */
export interface IndicatorSet {
  update(candle: NumericCandle): IndicatorValues
}

const decimalText = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/, 'Enter a positive decimal number, e.g. 0.5')

/** Settings every kind shares: where candles come from, how fast, and how big each idea is. */
export const commonConfigSchema = z.object({
  feed: z
    .enum(['synthetic', 'csv'])
    .default('synthetic')
    .describe(
      'Market feed on paper: a seeded synthetic market, or candles imported from CSV (an exchange instance takes the exchange’s)',
    ),
  timeframe: z.enum(['1s', '15s', '1m', '5m', '15m', '1h', '1d']).default('1m').describe('Candle length'),
  history: z
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(2000)
    .describe(
      'Candles of history that warm the indicators up (made up, or fetched from the exchange); they propose nothing',
    ),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42)
    .describe('Seed of the synthetic market'),
  startPrice: z
    .number()
    .positive()
    .max(1e9)
    .optional()
    .describe('First price of the synthetic market (empty: the usual level of the symbol, e.g. 60000 for BTC)'),
  priceDecimals: z.number().int().min(0).max(8).default(2).describe('Decimals prices are rounded to'),
  orderSize: decimalText
    .refine((value) => Number(value) > 0, 'The size must be above zero')
    .default('1')
    .describe('Size of each idea, when sized by a fixed quantity'),
  sizing: z
    .enum(['fixed', 'risk'])
    .default('fixed')
    .describe(
      'How each idea is sized: the fixed size above, or by what it loses if its stop is hit (the risk per trade below), rounded down to the market’s step',
    ),
  riskPerTrade: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?%?$/, 'Enter an amount, e.g. 50, or a share of the equity, e.g. 0.5%')
    .refine((value) => Number(value.replace('%', '')) > 0, 'The risk must be above zero')
    .refine((value) => !value.endsWith('%') || Number(value.slice(0, -1)) <= 10, 'At most 10% of the equity per trade')
    .default('0.5%')
    .describe(
      'When sized by risk: what one idea may lose if its stop is hit, as an amount in the quote currency (50) or a share of the account’s equity where it trades (0.5%)',
    ),
  ideaExpiryMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15)
    .describe('Minutes an idea waits for approval before it expires'),
  ideaExpiryCandles: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(5)
    .describe('Candles an idea waits for approval before it expires, whichever comes first'),
  entryToleranceR: z
    .number()
    .min(0.05)
    .max(1)
    .default(0.75)
    .describe(
      'How far the price may move from the entry while an idea waits for you, as a share of its risk (entry to stop): 0.75 keeps it valid until three quarters of the way to the stop',
    ),
  trailingStop: z
    .enum(['off', 'distance', 'atr'])
    .default('off')
    .describe(
      'Trailing stop of each trade: off, a fixed distance behind each close, or a multiple of the ATR behind it (it only ever tightens)',
    ),
  trailingDistance: decimalText
    .refine((value) => Number(value) > 0, 'The distance must be above zero')
    .optional()
    .describe('When trailing by a distance: how far behind the close, in price (e.g. 150)'),
  trailingAtrMultiple: z.number().positive().max(50).default(2).describe('When trailing by ATR: how many ATRs behind'),
  trailingAtrPeriod: z.number().int().min(2).max(200).default(14).describe('When trailing by ATR: the ATR period'),
  breakEvenAtR: z
    .number()
    .min(0.1)
    .max(50)
    .optional()
    .describe(
      'Break-even: once the close has gone this many times the initial risk (R) in favour, the stop goes to the entry plus fees (empty: never)',
    ),
})

/** The trailing stop and break-even an instance's trades manage themselves with. */
export function stopRulesOf(config: CommonConfig): StopRules {
  return {
    trailing:
      config.trailingStop === 'distance' && config.trailingDistance
        ? { kind: 'distance', distance: config.trailingDistance }
        : config.trailingStop === 'atr'
          ? { kind: 'atr', multiple: config.trailingAtrMultiple, period: config.trailingAtrPeriod }
          : { kind: 'off' },
    breakEvenAtR: config.breakEvenAtR ?? null,
  }
}

export type CommonConfig = z.output<typeof commonConfigSchema>

export interface StrategyKind<P extends z.ZodRawShape = z.ZodRawShape> {
  name: string
  label: string
  description: string
  /** The kind's own settings; merged with the common ones into the config schema. */
  params: P
  /** Cross-field rules (e.g. fast period below slow period); return a message when broken. */
  check?: (config: z.output<z.ZodObject<P>> & CommonConfig) => { path: string; message: string } | null
  indicators(config: z.output<z.ZodObject<P>> & CommonConfig): IndicatorSet
  /** Pure: the same context gives the same ideas, and skipping a call changes nothing else (a backtest skips it while a position is open). */
  decide(context: DecisionContext<z.output<z.ZodObject<P>> & CommonConfig>): IdeaSignal[]
}

// Every kind is declared with its own param shape; the registry only needs the erased form.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStrategyKind = StrategyKind<any>

export function defineKind<P extends z.ZodRawShape>(kind: StrategyKind<P>): AnyStrategyKind {
  return kind as AnyStrategyKind
}

export function configSchemaOf(kind: AnyStrategyKind) {
  return commonConfigSchema.extend(kind.params as z.ZodRawShape).superRefine((config, ctx) => {
    if (config.trailingStop === 'distance' && !config.trailingDistance)
      ctx.addIssue({
        code: 'custom',
        path: ['trailingDistance'],
        message: 'Trailing by a distance needs the distance',
      })
    const broken = kind.check?.(config as CommonConfig)
    if (broken) ctx.addIssue({ code: 'custom', path: [broken.path], message: broken.message })
  })
}

export const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value))

/** Confidence rounded to two places, within the range the risk engine accepts. */
export const confidenceOf = (value: number) => Math.round(clamp(value, 0, 1) * 100) / 100

export function formatPrice(value: number, decimals: number): string {
  return value.toFixed(decimals)
}

/** A trading-signals indicator's value once it has enough data, else null. */
export function stableValue(indicator: { isStable: boolean; getResult(): unknown }): number | null {
  if (!indicator.isStable) return null
  const result = indicator.getResult()
  return typeof result === 'number' && Number.isFinite(result) ? result : null
}

/** Protective levels a multiple of ATR away from the entry, on the right side for the direction. */
export function atrLevels(
  direction: 'long' | 'short',
  entry: number,
  atr: number,
  stopMultiple: number,
  targetMultiple: number,
) {
  const sign = direction === 'long' ? 1 : -1
  return { stopLoss: entry - sign * stopMultiple * atr, takeProfit: entry + sign * targetMultiple * atr }
}
