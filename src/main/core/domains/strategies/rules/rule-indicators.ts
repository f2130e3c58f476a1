import { ATR, EMA, MACD, RSI, SMA } from 'trading-signals'
import type { Rule } from '../../../../../shared/rules/expression'
import { indicatorKey, indicatorsOf } from '../../../../../shared/rules/expression'
import { stableValue, type IndicatorSet, type IndicatorValues, type NumericCandle } from '../kinds/kind'

type IndicatorRule = Extract<Rule, { kind: 'indicator' }>

/** One indicator a rule names, fed every closed candle; answers its value once stable, else null. */
function feedFor(indicator: IndicatorRule): (candle: NumericCandle) => number | null {
  const [first = 14, second = 26, third = 9] = indicator.args
  switch (indicator.name) {
    case 'ema': {
      const ema = new EMA(first)
      return (candle) => (ema.update(candle.close, false), stableValue(ema))
    }
    case 'sma': {
      const sma = new SMA(first)
      return (candle) => (sma.update(candle.close, false), stableValue(sma))
    }
    case 'rsi': {
      const rsi = new RSI(first)
      return (candle) => (rsi.update(candle.close, false), stableValue(rsi))
    }
    case 'atr': {
      const atr = new ATR(first)
      return (candle) => (atr.update(candle, false), stableValue(atr))
    }
    case 'macd':
    case 'macd_signal':
    case 'macd_hist': {
      const macd = new MACD(new EMA(first), new EMA(second), new EMA(third))
      const part = indicator.name === 'macd' ? 'macd' : indicator.name === 'macd_signal' ? 'signal' : 'histogram'
      return (candle) => {
        const result = macd.update(candle.close, false)
        return macd.isStable && result && Number.isFinite(result[part]) ? result[part] : null
      }
    }
  }
}

/**
 * The indicators a set of rules reads, each computed once however many rules name it, keyed as the snapshots store
 * them (ema_12, macd_hist_12_26_9).
 */
export function ruleIndicatorSet(rules: readonly Rule[], extra: readonly IndicatorRule[] = []): IndicatorSet {
  const wanted = new Map<string, IndicatorRule>()
  for (const rule of rules) indicatorsOf(rule, wanted)
  for (const indicator of extra) wanted.set(indicator.key, indicator)
  const feeds = [...wanted.values()].map((indicator) => [indicator.key, feedFor(indicator)] as const)
  return {
    update(candle): IndicatorValues {
      const values: IndicatorValues = {}
      for (const [key, feed] of feeds) values[key] = feed(candle)
      return values
    },
  }
}

/** What every snapshot keeps besides an instance's own indicators, as the platform Tradedeck replaces stored them. */
export function standardIndicatorSet(): IndicatorSet {
  const standard = (name: IndicatorRule['name'], args: number[]): IndicatorRule => ({
    kind: 'indicator',
    name,
    args,
    key: indicatorKey(name, args),
  })
  return ruleIndicatorSet(
    [],
    [
      standard('rsi', [14]),
      standard('sma', [50]),
      standard('sma', [200]),
      standard('atr', [14]),
      standard('macd', [12, 26, 9]),
      standard('macd_signal', [12, 26, 9]),
      standard('macd_hist', [12, 26, 9]),
    ],
  )
}
