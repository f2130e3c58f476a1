import type { FingerprintDiff } from './fingerprint'

interface SchemaObject {
  type: string
  name: string
  table: string
  sql: string
}

/** "table strategies: CREATE TABLE strategies (...)" as its parts; tableOf reads the table an index or trigger is on. */
function parseLine(line: string): SchemaObject | null {
  const match = /^(\w+) ([^:]+): (.*)$/s.exec(line)
  if (!match) return null
  const [, type = '', name = '', sql = ''] = match
  const on = /\bON\s+"?(\w+)"?/i.exec(sql)
  return { type, name, sql, table: type === 'table' ? name : (on?.[1] ?? name) }
}

const CONSTRAINT_WORDS = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'])

/** The column names of a CREATE TABLE, read from its top-level comma-separated parts. */
export function columnsOf(createTable: string): string[] {
  const open = createTable.indexOf('(')
  const close = createTable.lastIndexOf(')')
  if (open < 0 || close <= open) return []
  const body = createTable.slice(open + 1, close)
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (const char of body) {
    if (char === '(') depth++
    if (char === ')') depth--
    if (char === ',' && depth === 0) {
      parts.push(current)
      current = ''
    } else current += char
  }
  parts.push(current)
  return parts
    .map((part) => /^["`[]?(\w+)/.exec(part.trim())?.[1] ?? '')
    .filter((word) => word && !CONSTRAINT_WORDS.has(word.toUpperCase()))
}

const list = (names: string[]) =>
  names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`

/**
 * What a rollback (or any schema change) did, in words a trader reads: which tables were added,
 * removed or changed, which columns came or went, how many indexes and triggers changed, and how
 * many rows each changed table holds now. The SQL lines stay available as the details.
 */
export function schemaChangesInWords(
  diff: FingerprintDiff,
  rowCount: (table: string) => number | null,
): string[] {
  const now = diff.onlyInDatabase.map(parseLine).filter((item): item is SchemaObject => item !== null)
  const before = diff.onlyInMigrations.map(parseLine).filter((item): item is SchemaObject => item !== null)
  const tables = [...new Set([...now, ...before].map((item) => item.table))].sort()
  const lines: string[] = []
  for (const table of tables) {
    const tableNow = now.find((item) => item.type === 'table' && item.name === table)
    const tableBefore = before.find((item) => item.type === 'table' && item.name === table)
    const rows = rowCount(table)
    const rowsInWords = rows === null ? '' : `; it holds ${rows.toLocaleString('en')} row${rows === 1 ? '' : 's'}`
    if (tableNow && !tableBefore) {
      lines.push(`Table ${table} was added${rowsInWords}.`)
      continue
    }
    if (tableBefore && !tableNow && rows === null) {
      lines.push(`Table ${table} was removed.`)
      continue
    }
    const parts: string[] = []
    if (tableNow && tableBefore) {
      const columnsNow = columnsOf(tableNow.sql)
      const columnsBefore = columnsOf(tableBefore.sql)
      const added = columnsNow.filter((column) => !columnsBefore.includes(column))
      const removed = columnsBefore.filter((column) => !columnsNow.includes(column))
      if (removed.length > 0) parts.push(`column${removed.length === 1 ? '' : 's'} ${list(removed)} removed`)
      if (added.length > 0) parts.push(`column${added.length === 1 ? '' : 's'} ${list(added)} added`)
      if (added.length === 0 && removed.length === 0) parts.push('its constraints changed')
    }
    const changedIndexes = new Set(
      [...now, ...before].filter((item) => item.table === table && item.type === 'index').map((item) => item.name),
    )
    const changedTriggers = new Set(
      [...now, ...before].filter((item) => item.table === table && item.type === 'trigger').map((item) => item.name),
    )
    if (changedIndexes.size > 0) parts.push(`${changedIndexes.size} index${changedIndexes.size === 1 ? '' : 'es'} changed`)
    if (changedTriggers.size > 0)
      parts.push(`${changedTriggers.size} trigger${changedTriggers.size === 1 ? '' : 's'} changed`)
    lines.push(`Table ${table}: ${parts.join(', ')}${rowsInWords}.`)
  }
  return lines
}
