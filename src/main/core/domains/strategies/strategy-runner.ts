import type {
  AnyStrategyKind,
  CommonConfig,
  IdeaSignal,
  IndicatorSet,
  IndicatorValues,
  NumericCandle,
} from './kinds/kind'

export interface CandleOutcome {
  indicators: IndicatorValues
  ideas: IdeaSignal[]
}

/**
 * One instance's strategy logic: indicators updated candle by candle and the
 * kind's decision on each closed candle. Plain and synchronous, so the worker,
 * the tests and the benchmark all run exactly the same code.
 */
export function createStrategyRunner(
  kind: AnyStrategyKind,
  config: CommonConfig & Record<string, unknown>,
  /** Indicators kept with each candle's snapshot beside the kind's own, which the decision never reads. */
  stored: IndicatorSet | null = null,
) {
  const indicators = kind.indicators(config)
  let previous: IndicatorValues | null = null
  let previousCandle: NumericCandle | null = null
  return {
    /** Feeds history the strategy has already seen (after a restart) without deciding on it again. */
    warm(candle: NumericCandle): void {
      previous = indicators.update(candle)
      previousCandle = candle
      stored?.update(candle)
    },
    onCandle(candle: NumericCandle): CandleOutcome {
      const values = indicators.update(candle)
      const ideas = kind.decide({ candle, indicators: values, previous, previousCandle, config })
      previous = values
      previousCandle = candle
      return { indicators: stored ? { ...stored.update(candle), ...values } : values, ideas }
    },
  }
}
