import type pg from 'pg'
import type { ReplicatedTable } from './replicated-tables'
import { toCentralColumns, type ColumnsByTable, type TableColumns } from './row-codec'

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`

function conflictClause(table: ReplicatedTable, columns: TableColumns): string {
  switch (table.mode) {
    case 'append':
      return `ON CONFLICT (${quote(table.key)}) DO NOTHING`
    // Any unique key: the same candle recorded by two desks is one central row.
    case 'shared':
      return 'ON CONFLICT DO NOTHING'
    case 'merge':
      return `ON CONFLICT (${quote(table.key)}) DO UPDATE SET indicators = ${quote(table.name)}.indicators || EXCLUDED.indicators,
        market_snapshot_id = coalesce(${quote(table.name)}.market_snapshot_id, EXCLUDED.market_snapshot_id)`
    case 'upsert': {
      const updates = columns.names
        .filter((name) => name !== table.key)
        .map((name) => `${quote(name)} = EXCLUDED.${quote(name)}`)
      return `ON CONFLICT (${quote(table.key)}) DO UPDATE SET ${updates.join(', ')}`
    }
  }
}

/**
 * Writes desk rows to the central database: one statement per batch,
 * idempotent by key, so a batch sent twice (after a crash between the
 * central commit and the outbox delete) changes nothing the second time.
 */
export class CentralWriter {
  private readonly statements = new Map<string, string>()

  constructor(
    private readonly client: pg.Client,
    private readonly columns: ColumnsByTable,
  ) {}

  columnsOf(table: string): TableColumns {
    const columns = this.columns.get(table)
    if (!columns) throw new Error(`No central columns for ${table}.`)
    return columns
  }

  private insertSql(table: ReplicatedTable, firstParameter: number): string {
    const columns = this.columnsOf(table.name)
    const list = columns.names.map(quote).join(', ')
    const arrays = columns.names.map((name, index) => `$${firstParameter + index}::${columns.types[name]}[]`).join(', ')
    return `INSERT INTO ${quote(table.name)} (${list}) SELECT * FROM unnest(${arrays}) ${conflictClause(table, columns)}`
  }

  /** One statement for several tables (data-modifying CTEs); foreign keys are checked at its end, so parents and children may come together. */
  private upsertSql(tables: ReplicatedTable[]): string {
    const key = tables.map((table) => table.name).join(',')
    let text = this.statements.get(key)
    if (!text) {
      let parameter = 1
      const parts = tables.map((table, index) => {
        const part = `w${index} AS (${this.insertSql(table, parameter)})`
        parameter += this.columnsOf(table.name).names.length
        return part
      })
      text = `WITH ${parts.join(', ')} SELECT 1`
      this.statements.set(key, text)
    }
    return text
  }

  /** Upserts every table's rows in one round trip. */
  async upsert(steps: { table: ReplicatedTable; rows: Record<string, unknown>[] }[]): Promise<void> {
    const present = steps.filter((step) => step.rows.length > 0)
    if (present.length === 0) return
    const parameters = present.flatMap((step) => toCentralColumns(step.rows, this.columnsOf(step.table.name)))
    await this.client.query(this.upsertSql(present.map((step) => step.table)), parameters)
  }

  /** Rows the desk deleted; shared market data and decision history are never deleted centrally. */
  async delete(table: ReplicatedTable, keys: string[]): Promise<void> {
    if (keys.length === 0 || table.mode !== 'upsert') return
    await this.client.query(`DELETE FROM ${quote(table.name)} WHERE ${quote(table.key)} = ANY($1::uuid[])`, [keys])
  }
}
