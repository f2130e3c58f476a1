import type { ImportIssue, ImportReport, ImportTable } from '../../../../shared/domain'
import type { ImportRecord } from '../../platform/store/repositories/imported-history'

export type HistoryTable = Extract<ImportTable, 'orders' | 'fills' | 'trades' | 'positions'>

/** What a reader made of a file: the records it could map, and what it could not. */
export interface HistoryBatch {
  /** The tables this format writes, and so reports on. */
  tables: HistoryTable[]
  records: ImportRecord[]
  issues: ImportIssue[]
  invalid: Partial<Record<HistoryTable, number>>
  skipped: ImportReport['skipped']
}

export class ImportFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ImportFileError'
  }
}

/** Counts a record that cannot be imported against every table it would have written to. */
export function countInvalid(batch: HistoryBatch, rows: Partial<Record<HistoryTable, number>>): void {
  for (const [table, count] of Object.entries(rows) as [HistoryTable, number][])
    batch.invalid[table] = (batch.invalid[table] ?? 0) + count
}
