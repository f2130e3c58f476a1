import type pg from 'pg'
import type { SyncVerification, TableVerification } from '../../../../shared/contract'
import type { SqliteDb } from '../db/sqlite'
import { localUserIds, readPage } from './local-rows'
import { pendingKeys } from './outbox'
import { REPLICATED_TABLES } from './replicated-tables'
import { canonicalRow, TableChecksum, type ColumnsByTable } from './row-codec'

const MISMATCHES_SHOWN = 5

/**
 * Compares the desk with the central copy table by table: row counts on both
 * sides and a sha256 over every row in key order, in a form both dialects
 * agree on. Rows with a change still in the outbox are counted as pending, not
 * as differences.
 */
export async function verifyAgainstCentral(
  db: SqliteDb,
  client: pg.Client,
  columns: ColumnsByTable,
  pageSize = 5_000,
): Promise<SyncVerification> {
  const pending = pendingKeys(db)
  const users = localUserIds(db)
  const tables: TableVerification[] = []
  for (const table of REPLICATED_TABLES) {
    const tableColumns = columns.get(table.name)
    if (!tableColumns) throw new Error(`No central columns for ${table.name}.`)
    const waiting = pending.get(table.name) ?? new Set<string>()
    const local = new TableChecksum()
    const central = new TableChecksum()
    const mismatched: string[] = []
    let differing = 0
    let after: string | null = null
    for (;;) {
      const page = readPage(db, table, after, pageSize)
      if (page.length === 0) break
      after = String(page.at(-1)?.[table.key])
      const rows = page.filter((row) => !waiting.has(String(row[table.key])))
      const found = await client.query<Record<string, unknown>>(
        `SELECT * FROM "${table.name}" WHERE "${table.key}" = ANY($1::uuid[])`,
        [rows.map((row) => String(row[table.key]))],
      )
      const byKey = new Map(found.rows.map((row) => [String(row[table.key]), row]))
      for (const row of rows) {
        const key = String(row[table.key])
        const mine = canonicalRow(row, tableColumns)
        local.add(mine)
        const found = byKey.get(key)
        const theirs = found ? canonicalRow(found, tableColumns) : null
        if (theirs !== null) central.add(theirs)
        if (theirs !== mine) {
          differing++
          if (mismatched.length < MISMATCHES_SHOWN) mismatched.push(key)
        }
      }
      if (page.length < pageSize) break
    }
    let centralRows = central.rows
    if (table.userColumn) {
      const counted = await client.query<{ rows: number }>(
        `SELECT count(*)::int AS rows FROM "${table.name}" WHERE "${table.userColumn}" = ANY($1::uuid[]) AND NOT ("${table.key}" = ANY($2::uuid[]))`,
        [users, [...waiting]],
      )
      centralRows = counted.rows[0]?.rows ?? 0
    }
    const localChecksum = local.digest()
    const centralChecksum = central.digest()
    tables.push({
      table: table.name,
      localRows: local.rows,
      centralRows,
      pending: waiting.size,
      localChecksum,
      centralChecksum,
      differing,
      mismatchedKeys: mismatched,
      matches:
        differing === 0 && localChecksum === centralChecksum && (!table.userColumn || centralRows === local.rows),
    })
  }
  return { at: new Date().toISOString(), ok: tables.every((table) => table.matches), tables }
}
