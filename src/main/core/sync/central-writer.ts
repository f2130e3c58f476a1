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
      const updates = columns.names.filter((name) => name !== table.key).map((name) => `${quote(name)} = EXCLUDED.${quote(name)}`)
      return `ON CONFLICT (${quote(table.key)}) DO UPDATE SET ${updates.join(', ')}`
    }
  }
}

/**
 * Writes desk rows to the central database: one statement per table and
 * batch, idempotent by key, so a batch sent twice (after a crash between the
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

  private upsertSql(table: ReplicatedTable): string {
    let text = this.statements.get(table.name)
    if (!text) {
      const columns = this.columnsOf(table.name)
      const list = columns.names.map(quote).join(', ')
      const arrays = columns.names.map((name, index) => `$${index + 1}::${columns.types[name]}[]`).join(', ')
      text = `INSERT INTO ${quote(table.name)} (${list}) SELECT * FROM unnest(${arrays}) ${conflictClause(table, columns)}`
      this.statements.set(table.name, text)
    }
    return text
  }

  async upsert(table: ReplicatedTable, rows: Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return
    const columns = this.columnsOf(table.name)
    await this.client.query(this.upsertSql(table), toCentralColumns(rows, columns))
  }

  /** Rows the desk deleted; shared market data and decision history are never deleted centrally. */
  async delete(table: ReplicatedTable, keys: string[]): Promise<void> {
    if (keys.length === 0 || table.mode !== 'upsert') return
    await this.client.query(`DELETE FROM ${quote(table.name)} WHERE ${quote(table.key)} = ANY($1::uuid[])`, [keys])
  }
}
