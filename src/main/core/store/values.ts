import { v7 as uuidv7 } from 'uuid'

/** Ids are UUIDv7: generated in the app, unique across desks, sortable by creation time. */
export const newId = (): string => uuidv7()

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
