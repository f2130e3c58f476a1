import { createHash } from 'node:crypto'
import type pg from 'pg'
import { REPLICATED_TABLES } from './replicated-tables'

/** How a column's value differs between the two dialects. */
export type ColumnKind = 'json' | 'bool' | 'timestamp' | 'number' | 'text'

export interface TableColumns {
  names: string[]
  kinds: Record<string, ColumnKind>
  /** The central column types as SQL (format_type), for casting parameter arrays. */
  types: Record<string, string>
}

export type ColumnsByTable = Map<string, TableColumns>

function kindOf(dataType: string): ColumnKind {
  if (dataType === 'jsonb' || dataType === 'json') return 'json'
  if (dataType === 'boolean') return 'bool'
  if (dataType.startsWith('timestamp')) return 'timestamp'
  if (['integer', 'bigint', 'smallint', 'double precision', 'real'].includes(dataType)) return 'number'
  return 'text'
}

/** The replicated tables' columns as the central database has them (what the desk's role may see). */
export async function readCentralColumns(client: pg.Client): Promise<ColumnsByTable> {
  const result = await client.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ANY($1) ORDER BY table_name, ordinal_position`,
    [REPLICATED_TABLES.map((table) => table.name)],
  )
  const types = await client.query<{ table_name: string; column_name: string; type: string }>(
    `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped`,
    [REPLICATED_TABLES.map((table) => table.name)],
  )
  const typeOf = new Map(types.rows.map((row) => [`${row.table_name}.${row.column_name}`, row.type]))
  const columns: ColumnsByTable = new Map()
  for (const row of result.rows) {
    const table = columns.get(row.table_name) ?? { names: [], kinds: {}, types: {} }
    table.names.push(row.column_name)
    table.kinds[row.column_name] = kindOf(row.data_type)
    table.types[row.column_name] = typeOf.get(`${row.table_name}.${row.column_name}`) ?? 'text'
    columns.set(row.table_name, table)
  }
  const missing = REPLICATED_TABLES.filter((table) => !columns.has(table.name)).map((table) => table.name)
  if (missing.length > 0)
    throw new Error(
      `The central database has no table ${missing.join(', ')} this role can see; migrate it, or ask its administrator to add this desk.`,
    )
  return columns
}

/** SQLite rows as one array per column, each cast by the server to its column type: 0/1 becomes a boolean, JSON text is parsed there. */
export function toCentralColumns(rows: Record<string, unknown>[], columns: TableColumns): unknown[][] {
  return columns.names.map((name) => {
    const bool = columns.kinds[name] === 'bool'
    return rows.map((row) => {
      const value = row[name] ?? null
      return value === null ? null : bool ? value === 1 || value === true : value
    })
  })
}

/** A central row as SQLite stores it: JSON as compact text, booleans as 0/1, timestamps as ISO-8601 UTC text. */
export function toLocalRow(row: Record<string, unknown>, columns: TableColumns): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const name of columns.names) {
    const value = row[name] ?? null
    const kind = columns.kinds[name]
    if (value === null) out[name] = null
    else if (kind === 'json') out[name] = JSON.stringify(typeof value === 'string' ? JSON.parse(value) : value)
    else if (kind === 'bool') out[name] = value === true || value === 1 ? 1 : 0
    else if (kind === 'timestamp')
      out[name] = value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()
    else out[name] = value
  }
  return out
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`
  }
  return JSON.stringify(value)
}

/** One value as both sides agree on it, whatever the dialect: what checksums compare. */
function canonicalValue(value: unknown, kind: ColumnKind | undefined): string {
  if (value === null || value === undefined) return '\u0000'
  switch (kind) {
    case 'json':
      return canonicalJson(typeof value === 'string' ? JSON.parse(value) : value)
    case 'bool':
      return value === true || value === 1 ? '1' : '0'
    case 'timestamp':
      return String(value instanceof Date ? value.getTime() : Date.parse(String(value)))
    case 'number':
      return String(Number(value))
    default:
      return String(value)
  }
}

/** A row as one string both dialects produce alike. */
export function canonicalRow(row: Record<string, unknown>, columns: TableColumns): string {
  return columns.names.map((name) => canonicalValue(row[name], columns.kinds[name])).join('\u0001')
}

/** A running checksum over canonical rows in key order. */
export class TableChecksum {
  private readonly hash = createHash('sha256')
  rows = 0

  add(canonical: string): void {
    this.rows++
    this.hash.update(canonical)
    this.hash.update('\u0002')
  }

  digest(): string {
    return this.hash.digest('hex')
  }
}
