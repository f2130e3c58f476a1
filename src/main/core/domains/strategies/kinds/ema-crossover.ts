import { ATR, EMA, RSI } from 'trading-signals'
import { z } from 'zod'
import { atrLevels, confidenceOf, defineKind, formatPrice, stableValue } from './kind'

const period = (fallback: number, description: string) =>
  z.number().int().min(2).max(500).default(fallback).describe(description)

type Periods = { fastPeriod: number; slowPeriod: number; rsiPeriod: number; atrPeriod: number }

// The indicator names are built once per config: a backtest asks for them on every one of a million candles.
const keysByConfig = new WeakMap<Periods, { fastKey: string; slowKey: string; rsiKey: string; atrKey: string }>()
function keysOf(config: Periods) {
  let keys = keysByConfig.get(config)
  if (!keys) {
    keys = {
      fastKey: `ema_${config.fastPeriod}`,
      slowKey: `ema_${config.slowPeriod}`,
      rsiKey: `rsi_${config.rsiPeriod}`,
      atrKey: `atr_${config.atrPeriod}`,
    }
    keysByConfig.set(config, keys)
  }
  return keys
}

export const emaCrossover = defineKind({
  name: 'ema_crossover',
  label: 'EMA crossover',
  description:
    'Goes long when the fast EMA crosses above the slow one and short when it crosses below, unless RSI says the move is already stretched. Stop-loss and take-profit are ATR multiples.',
  params: {
    fastPeriod: period(5, 'Fast EMA period'),
    slowPeriod: period(13, 'Slow EMA period'),
    rsiPeriod: period(14, 'RSI period'),
    rsiOverbought: z.number().min(50).max(100).default(70).describe('No long above this RSI'),
    rsiOversold: z.number().min(0).max(50).default(30).describe('No short below this RSI'),
    atrPeriod: period(14, 'ATR period'),
    stopAtr: z.number().positive().max(20).default(1.5).describe('Stop-loss distance in ATRs'),
    takeProfitAtr: z.number().positive().max(50).default(3).describe('Take-profit distance in ATRs'),
  },
  check: (config) =>
    config.fastPeriod >= config.slowPeriod
      ? { path: 'fastPeriod', message: 'The fast period must be shorter than the slow period.' }
      : null,
  indicators(config) {
    const fast = new EMA(config.fastPeriod)
    const slow = new EMA(config.slowPeriod)
    const rsi = new RSI(config.rsiPeriod)
    const atr = new ATR(config.atrPeriod)
    const { fastKey, slowKey, rsiKey, atrKey } = keysOf(config)
    return {
      update(candle) {
        fast.update(candle.close, false)
        slow.update(candle.close, false)
        rsi.update(candle.close, false)
        atr.update(candle, false)
        return {
          [fastKey]: stableValue(fast),
          [slowKey]: stableValue(slow),
          [rsiKey]: stableValue(rsi),
          [atrKey]: stableValue(atr),
        }
      },
    }
  },
  decide({ candle, indicators, previous, config }) {
    const { fastKey, slowKey, rsiKey, atrKey } = keysOf(config)
    const fast = indicators[fastKey]
    const slow = indicators[slowKey]
    const rsi = indicators[rsiKey]
    const atr = indicators[atrKey]
    const prevFast = previous?.[fastKey]
    const prevSlow = previous?.[slowKey]
    if (fast == null || slow == null || rsi == null || atr == null || !atr || prevFast == null || prevSlow == null)
      return []
    const crossedUp = prevFast <= prevSlow && fast > slow
    const crossedDown = prevFast >= prevSlow && fast < slow
    if (!crossedUp && !crossedDown) return []
    const direction = crossedUp ? 'long' : 'short'
    if (direction === 'long' && rsi >= config.rsiOverbought) return []
    if (direction === 'short' && rsi <= config.rsiOversold) return []
    const entry = candle.close
    const { stopLoss, takeProfit } = atrLevels(direction, entry, atr, config.stopAtr, config.takeProfitAtr)
    // A wide gap between the averages and room left before RSI's extreme both make the move more convincing.
    const separation = Math.min(1, (Math.abs(fast - slow) / atr) * 4)
    const room =
      direction === 'long'
        ? (config.rsiOverbought - rsi) / (config.rsiOverbought - 50)
        : (rsi - config.rsiOversold) / (50 - config.rsiOversold)
    const confidence = confidenceOf(0.5 + 0.3 * separation + 0.2 * Math.min(1, Math.max(0, room)))
    const p = (value: number) => formatPrice(value, config.priceDecimals)
    const rationale =
      `EMA ${config.fastPeriod} (${p(fast)}) crossed ${crossedUp ? 'above' : 'below'} EMA ${config.slowPeriod} (${p(slow)}) ` +
      `with RSI ${config.rsiPeriod} at ${rsi.toFixed(1)}, ${direction === 'long' ? `below the overbought line ${config.rsiOverbought}` : `above the oversold line ${config.rsiOversold}`}; ` +
      `stop ${config.stopAtr}×ATR (${p(atr)}) ${direction === 'long' ? 'below' : 'above'} the entry, target ${config.takeProfitAtr}×ATR.`
    return [{ direction, entry, stopLoss, takeProfit, confidence, rationale }]
  },
})
