import { v5 as uuidv5, v7 as uuidv7 } from 'uuid'

/** Ids are UUIDv7: generated in the app, unique across desks, sortable by creation time. */
export const newId = (): string => uuidv7()

const CANDLE_NAMESPACE = '5f0c2a4e-8d1b-4c1e-9a57-3b6f1d2e7c90'
const INDICATOR_NAMESPACE = 'a3d9e6b2-1c4f-4e8a-b7d5-9f2c0e1a6b34'

/**
 * Market data is shared: every desk that records the same candle gives it the
 * same id, so a central database holds it once and every desk's ideas point at it.
 */
export const candleId = (symbol: string, timeframe: string, ts: string): string => uuidv5(`${symbol}\u0000${timeframe}\u0000${ts}`, CANDLE_NAMESPACE)
export const indicatorSnapshotId = (symbol: string, timeframe: string, ts: string): string => uuidv5(`${symbol}\u0000${timeframe}\u0000${ts}`, INDICATOR_NAMESPACE)

export const nowIso = (): string => new Date().toISOString()

export const toBool = (value: number | boolean): boolean => value === true || value === 1

export const fromBool = (value: boolean): number => (value ? 1 : 0)

export const toJson = (value: unknown): string => JSON.stringify(value)

export function fromJson<T>(value: string): T
export function fromJson<T>(value: string | null): T | null
export function fromJson<T>(value: string | null): T | null {
  return value === null ? null : (JSON.parse(value) as T)
}

/** Canonical decimal text: what a trader typed, without float rounding ("0.1" stays "0.1"). */
export function decimal(value: string | number): string {
  const text = typeof value === 'number' ? String(value) : value.trim()
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new RangeError(`Not a decimal number: ${value}`)
  return text
}
