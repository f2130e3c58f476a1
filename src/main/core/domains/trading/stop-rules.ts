import Decimal from 'decimal.js'
import { ATR } from 'trading-signals'

/*
 * A strategy's trailing stop and break-even, decided from closed candles only, so forward running and a backtest
 * that see the same candles move the same stops to the decimal. A stop only ever tightens: it never moves against
 * the position, and never to the price's side of the close (it would close the position at once).
 */

export interface StopRules {
  /** Trail the stop this far behind each close: a price distance, or a multiple of the instrument's ATR. */
  trailing: { kind: 'off' } | { kind: 'distance'; distance: string } | { kind: 'atr'; multiple: number; period: number }
  /** Once the close has gone this many times the initial risk (entry to first stop) in favour, the stop goes to the entry plus fees. */
  breakEvenAtR: number | null
}

/** What a managed stop is computed from. */
export interface ManagedPosition {
  direction: 'long' | 'short'
  /** The average entry price. */
  entry: string
  /** The stop the position opened with: its distance to the entry is one R. */
  initialStop: string
  stop: string
  /** Entry and exit fees per unit (the entry's paid, the exit's expected at the same rate). */
  feesPerUnit: string
}

/** Fees per unit a managed stop keeps clear of: the entry's fee per unit, and the exit's, expected at the same rate. */
export const feesPerUnitOf = (entryFee: string, quantity: string) =>
  new Decimal(entryFee).div(quantity).times(2).toString()

export const rulesAreOff = (rules: StopRules) => rules.trailing.kind === 'off' && rules.breakEvenAtR === null

/** Why a stop moved, in the trader's words, for its decision row. */
export interface StopMove {
  stop: string
  why: string
}

/**
 * The stop after a closed candle, or null when it stays. `atr` is the instrument's ATR at that close (null before
 * it is stable: an ATR trailing stop waits for it). Prices are rounded to `decimals` away from the close, so rounding
 * never brings the stop nearer the price than asked.
 */
export function managedStop(
  position: ManagedPosition,
  close: string,
  rules: StopRules,
  atr: number | null,
  decimals: number,
  tick?: string,
): StopMove | null {
  const long = position.direction === 'long'
  const last = new Decimal(close)
  const entry = new Decimal(position.entry)
  const current = new Decimal(position.stop)
  const candidates: StopMove[] = []
  const mode = long ? Decimal.ROUND_FLOOR : Decimal.ROUND_CEIL
  // On a market whose tick is not a power of ten (Deribit's 0.5), a whole number of ticks.
  const round = (value: Decimal) =>
    tick ? value.div(tick).toDecimalPlaces(0, mode).times(tick) : value.toDecimalPlaces(decimals, mode)

  if (rules.trailing.kind === 'distance') {
    const at = round(long ? last.minus(rules.trailing.distance) : last.plus(rules.trailing.distance))
    candidates.push({ stop: at.toString(), why: `trailing ${rules.trailing.distance} behind the close ${close}` })
  } else if (rules.trailing.kind === 'atr' && atr !== null && atr > 0) {
    const distance = new Decimal(atr).times(rules.trailing.multiple)
    const at = round(long ? last.minus(distance) : last.plus(distance))
    candidates.push({
      stop: at.toString(),
      why: `trailing ${rules.trailing.multiple}×ATR (${round(new Decimal(atr)).toString()}) behind the close ${close}`,
    })
  }
  if (rules.breakEvenAtR !== null) {
    const risk = entry.minus(position.initialStop).abs()
    const gained = long ? last.minus(entry) : entry.minus(last)
    if (risk.gt(0) && gained.gte(risk.times(rules.breakEvenAtR))) {
      const at = round(long ? entry.plus(position.feesPerUnit) : entry.minus(position.feesPerUnit))
      candidates.push({
        stop: at.toString(),
        why: `break-even: the close ${close} is ${rules.breakEvenAtR}R in favour, so the stop goes to the entry ${position.entry} plus fees`,
      })
    }
  }
  // The tightest that still leaves the close on the position's side, and only if it tightens.
  const allowed = candidates.filter((move) =>
    long
      ? new Decimal(move.stop).lt(last) && new Decimal(move.stop).gt(current)
      : new Decimal(move.stop).gt(last) && new Decimal(move.stop).lt(current),
  )
  if (allowed.length === 0) return null
  return allowed.reduce((best, move) =>
    long ? (new Decimal(move.stop).gt(best.stop) ? move : best) : new Decimal(move.stop).lt(best.stop) ? move : best,
  )
}

/** An instance's ATR, fed every closed candle in order, for its ATR trailing stop. */
export class StopTracker {
  private readonly atr: ATR | null

  constructor(readonly rules: StopRules) {
    this.atr = rules.trailing.kind === 'atr' ? new ATR(rules.trailing.period) : null
  }

  /** Feeds one closed candle; answers the ATR at its close (null before it is stable, or when no rule needs it). */
  update(candle: { high: number; low: number; close: number }): number | null {
    if (!this.atr) return null
    const value = this.atr.update(candle, false)
    return this.atr.isStable && value !== null ? Number(value) : null
  }
}
