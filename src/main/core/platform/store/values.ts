import { createHash } from 'node:crypto'
import { v7 as uuidv7 } from 'uuid'

/** Ids are UUIDv7: generated in the app, unique across desks, sortable by creation time. */
export const newId = (): string => uuidv7()

const SERIES_CACHE_LIMIT = 10_000
const seriesHashes = new Map<string, Buffer>()

function seriesHash(kind: string, symbol: string, timeframe: string): Buffer {
  const key = `${kind}\u0000${symbol}\u0000${timeframe}`
  let hash = seriesHashes.get(key)
  if (!hash) {
    if (seriesHashes.size >= SERIES_CACHE_LIMIT) seriesHashes.clear()
    hash = createHash('sha256').update(key).digest()
    seriesHashes.set(key, hash)
  }
  return hash
}

/**
 * Market data is shared: every desk that records the same candle gives it the
 * same id, so a central database holds it once and every desk's ideas point
 * at it. The id is an RFC 9562 version-8 UUID laid out like a version 7: the
 * candle's own time in milliseconds first (so ids grow with time and inserts
 * append to the index, as with the app's other ids), then 74 bits of a SHA-256
 * of the kind, symbol and timeframe.
 */
export function seriesTimeId(
  kind: 'candle' | 'indicator' | 'calendar' | 'news',
  symbol: string,
  timeframe: string,
  ts: string,
): string {
  const ms = Date.parse(ts)
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`Not a time a market-data id can carry: ${ts}`)
  const hash = seriesHash(kind, symbol, timeframe)
  const bytes = Buffer.allocUnsafe(16)
  bytes.writeUIntBE(ms, 0, 6)
  hash.copy(bytes, 6, 0, 10)
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x80
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export const candleId = (symbol: string, timeframe: string, ts: string): string =>
  seriesTimeId('candle', symbol, timeframe, ts)
export const indicatorSnapshotId = (symbol: string, timeframe: string, ts: string): string =>
  seriesTimeId('indicator', symbol, timeframe, ts)

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
