/**
 * What a desk replicates to the central database, parents before children.
 * The SQLite outbox triggers (migration 0008) cover exactly these tables.
 */
export interface ReplicatedTable {
  name: string
  /** The primary key the upserts are keyed by. */
  key: string
  /**
   * upsert: the central row becomes the desk's row, and a row deleted on the desk is deleted centrally.
   * append: decision history is insert-only; a row already there is left alone.
   * shared: market data every desk may record; the first copy stays, nothing is deleted.
   * merge: indicator values from several desks are merged into one row.
   */
  mode: 'upsert' | 'append' | 'shared' | 'merge'
  /** The column naming the owning user; rows without one stay on the desk. */
  userColumn: string | null
  /** Rows with no user (desk-level events) are not replicated. */
  userRequired: boolean
}

export const REPLICATED_TABLES: readonly ReplicatedTable[] = [
  { name: 'users', key: 'id', mode: 'upsert', userColumn: 'id', userRequired: true },
  { name: 'risk_config', key: 'user_id', mode: 'upsert', userColumn: 'user_id', userRequired: true },
  { name: 'strategies', key: 'id', mode: 'upsert', userColumn: 'user_id', userRequired: true },
  { name: 'market_snapshots', key: 'id', mode: 'shared', userColumn: null, userRequired: false },
  { name: 'indicator_snapshots', key: 'id', mode: 'merge', userColumn: null, userRequired: false },
  // An event's actual value arrives after it: a re-import updates the row, which keeps its id (from its natural key).
  { name: 'calendar_events', key: 'id', mode: 'upsert', userColumn: null, userRequired: false },
  { name: 'news_items', key: 'id', mode: 'shared', userColumn: null, userRequired: false },
  { name: 'trade_ideas', key: 'id', mode: 'upsert', userColumn: 'user_id', userRequired: true },
  { name: 'orders', key: 'id', mode: 'upsert', userColumn: 'user_id', userRequired: true },
  { name: 'fills', key: 'id', mode: 'upsert', userColumn: 'user_id', userRequired: true },
  { name: 'positions', key: 'id', mode: 'upsert', userColumn: 'user_id', userRequired: true },
  { name: 'trades', key: 'id', mode: 'upsert', userColumn: 'user_id', userRequired: true },
  { name: 'account_snapshots', key: 'id', mode: 'upsert', userColumn: 'user_id', userRequired: true },
  { name: 'decision_history', key: 'id', mode: 'append', userColumn: 'user_id', userRequired: true },
  { name: 'notifications', key: 'id', mode: 'upsert', userColumn: 'user_id', userRequired: true },
  { name: 'audit_log', key: 'id', mode: 'upsert', userColumn: 'user_id', userRequired: true },
  { name: 'service_logs', key: 'id', mode: 'upsert', userColumn: 'user_id', userRequired: true },
  { name: 'error_logs', key: 'id', mode: 'upsert', userColumn: 'user_id', userRequired: true },
]

const BY_NAME = new Map(REPLICATED_TABLES.map((table) => [table.name, table]))

export function replicatedTable(name: string): ReplicatedTable {
  const table = BY_NAME.get(name)
  if (!table) throw new Error(`${name} is not a replicated table.`)
  return table
}
