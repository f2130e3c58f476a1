import { ATR, RSI } from 'trading-signals'
import { z } from 'zod'
import { atrLevels, confidenceOf, defineKind, formatPrice, stableValue } from './kind'

export const rsiMeanReversion = defineKind({
  name: 'rsi_mean_reversion',
  label: 'RSI mean reversion',
  description:
    'Buys when RSI climbs back out of oversold and sells when it falls back out of overbought, betting on a return towards the mean. Stop-loss and take-profit are ATR multiples.',
  params: {
    rsiPeriod: z.number().int().min(2).max(200).default(14).describe('RSI period'),
    oversold: z.number().min(1).max(49).default(30).describe('Oversold line'),
    overbought: z.number().min(51).max(99).default(70).describe('Overbought line'),
    atrPeriod: z.number().int().min(2).max(200).default(14).describe('ATR period'),
    stopAtr: z.number().positive().max(20).default(2).describe('Stop-loss distance in ATRs'),
    takeProfitAtr: z.number().positive().max(50).default(2).describe('Take-profit distance in ATRs'),
  },
  indicators(config) {
    const rsi = new RSI(config.rsiPeriod)
    const atr = new ATR(config.atrPeriod)
    return {
      update(candle) {
        rsi.update(candle.close, false)
        atr.update(candle, false)
        return { [`rsi_${config.rsiPeriod}`]: stableValue(rsi), [`atr_${config.atrPeriod}`]: stableValue(atr) }
      },
    }
  },
  decide({ candle, indicators, previous, config }) {
    const key = `rsi_${config.rsiPeriod}`
    const rsi = indicators[key]
    const prev = previous?.[key]
    const atr = indicators[`atr_${config.atrPeriod}`]
    if (rsi == null || prev == null || atr == null || !atr) return []
    const leftOversold = prev < config.oversold && rsi >= config.oversold
    const leftOverbought = prev > config.overbought && rsi <= config.overbought
    if (!leftOversold && !leftOverbought) return []
    const direction = leftOversold ? 'long' : 'short'
    const entry = candle.close
    const { stopLoss, takeProfit } = atrLevels(direction, entry, atr, config.stopAtr, config.takeProfitAtr)
    // The deeper the extreme it came back from, the stronger the snap-back.
    const depth = leftOversold
      ? (config.oversold - prev) / config.oversold
      : (prev - config.overbought) / (100 - config.overbought)
    const confidence = confidenceOf(0.6 + 0.35 * Math.min(1, depth * 3))
    const rationale = leftOversold
      ? `RSI ${config.rsiPeriod} rose back above ${config.oversold} (from ${prev.toFixed(1)} to ${rsi.toFixed(1)}), so the sell-off may be exhausted; stop ${config.stopAtr}×ATR (${formatPrice(atr, config.priceDecimals)}) below the entry.`
      : `RSI ${config.rsiPeriod} fell back below ${config.overbought} (from ${prev.toFixed(1)} to ${rsi.toFixed(1)}), so the rally may be exhausted; stop ${config.stopAtr}×ATR (${formatPrice(atr, config.priceDecimals)}) above the entry.`
    return [{ direction, entry, stopLoss, takeProfit, confidence, rationale }]
  },
})
