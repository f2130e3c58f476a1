import { rebuiltTables } from './lint'
import type { MigrationDef } from './types'

export type MigrationClass = 'additive' | 'destructive' | 'table_rebuild' | 'non_transactional'

/** How careful a person should be with a migration, for the plan. */
export function classifyMigration(def: MigrationDef): MigrationClass {
  if (def.noTransaction) return 'non_transactional'
  if (rebuiltTables(def.up.sql).length > 0) return 'table_rebuild'
  if (/\bDROP\s+(TABLE|COLUMN)\b|\bALTER\s+TABLE\s+\S+\s+DROP\b|\bDELETE\s+FROM\b|\bTRUNCATE\b/i.test(def.up.sql)) return 'destructive'
  return 'additive'
}
