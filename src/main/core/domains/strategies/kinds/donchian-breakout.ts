import { ATR, DonchianChannels } from 'trading-signals'
import { z } from 'zod'
import { atrLevels, confidenceOf, defineKind, formatPrice } from './kind'

export const donchianBreakout = defineKind({
  name: 'donchian_breakout',
  label: 'Donchian breakout',
  description:
    'Goes long when the close breaks above the highest high of the last N candles and short when it breaks below the lowest low. Stop-loss and take-profit are ATR multiples.',
  params: {
    channelPeriod: z.number().int().min(2).max(500).default(20).describe('Channel length in candles'),
    atrPeriod: z.number().int().min(2).max(200).default(14).describe('ATR period'),
    stopAtr: z.number().positive().max(20).default(2).describe('Stop-loss distance in ATRs'),
    takeProfitAtr: z.number().positive().max(50).default(4).describe('Take-profit distance in ATRs'),
  },
  indicators(config) {
    const channel = new DonchianChannels(config.channelPeriod)
    const atr = new ATR(config.atrPeriod)
    return {
      update(candle) {
        const bands = channel.update(candle, false)
        const range = atr.update(candle, false)
        return {
          [`donchian_${config.channelPeriod}_upper`]: channel.isStable && bands ? bands.upper : null,
          [`donchian_${config.channelPeriod}_lower`]: channel.isStable && bands ? bands.lower : null,
          [`atr_${config.atrPeriod}`]: atr.isStable ? range : null,
        }
      },
    }
  },
  decide({ candle, indicators, previous, config }) {
    // The channel including this candle always contains its close; the breakout is against the previous one.
    const upper = previous?.[`donchian_${config.channelPeriod}_upper`]
    const lower = previous?.[`donchian_${config.channelPeriod}_lower`]
    const atr = indicators[`atr_${config.atrPeriod}`]
    if (upper == null || lower == null || atr == null || !atr) return []
    const direction = candle.close > upper ? 'long' : candle.close < lower ? 'short' : null
    if (!direction) return []
    const entry = candle.close
    const { stopLoss, takeProfit } = atrLevels(direction, entry, atr, config.stopAtr, config.takeProfitAtr)
    const beyond = direction === 'long' ? candle.close - upper : lower - candle.close
    const confidence = confidenceOf(0.55 + Math.min(0.4, (beyond / atr) * 0.4))
    const p = (value: number) => formatPrice(value, config.priceDecimals)
    const rationale =
      direction === 'long'
        ? `The close ${p(candle.close)} broke above the ${config.channelPeriod}-candle high ${p(upper)}; stop ${config.stopAtr}×ATR (${p(atr)}) below the entry, target ${config.takeProfitAtr}×ATR.`
        : `The close ${p(candle.close)} broke below the ${config.channelPeriod}-candle low ${p(lower)}; stop ${config.stopAtr}×ATR (${p(atr)}) above the entry, target ${config.takeProfitAtr}×ATR.`
    return [{ direction, entry, stopLoss, takeProfit, confidence, rationale }]
  },
})
