import type { AnyStrategyKind, CommonConfig, IdeaSignal, IndicatorValues, NumericCandle } from './kinds/kind'

export interface CandleOutcome {
  indicators: IndicatorValues
  ideas: IdeaSignal[]
}

const RECENT_CANDLES = 200

/**
 * One instance's strategy logic: indicators updated candle by candle and the
 * kind's decision on each closed candle. Plain and synchronous, so the worker,
 * the tests and the benchmark all run exactly the same code.
 */
export function createStrategyRunner(kind: AnyStrategyKind, config: CommonConfig & Record<string, unknown>) {
  const indicators = kind.indicators(config)
  const recent: NumericCandle[] = []
  let previous: IndicatorValues | null = null
  const remember = (candle: NumericCandle) => {
    recent.push(candle)
    if (recent.length > RECENT_CANDLES) recent.shift()
  }
  return {
    /** Feeds history the strategy has already seen (after a restart) without deciding on it again. */
    warm(candle: NumericCandle): void {
      remember(candle)
      previous = indicators.update(candle)
    },
    onCandle(candle: NumericCandle): CandleOutcome {
      remember(candle)
      const values = indicators.update(candle)
      const ideas = kind.decide({ candle, recent, indicators: values, previous, config })
      previous = values
      return { indicators: values, ideas }
    },
  }
}
