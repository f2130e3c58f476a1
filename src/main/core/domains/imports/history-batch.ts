import type { ImportIssue, ImportReport, ImportTable } from '../../../../shared/domain'
import type { ImportRecord } from '../../platform/store/repositories/imported-history'

export type HistoryTable = Extract<ImportTable, 'orders' | 'fills' | 'trades' | 'positions'>

/** What a reader made of a file: the records it could map, and what it could not. */
export interface HistoryBatch {
  /** The tables this format writes, and so reports on. */
  tables: HistoryTable[]
  records: ImportRecord[]
  /** The first problems, up to what a report shows; `issueCount` counts them all. */
  issues: ImportIssue[]
  issueCount: number
  invalid: Partial<Record<HistoryTable, number>>
  skipped: ImportReport['skipped']
}

/** Problems kept per file: a report shows this many, so a file of a million bad records costs no more than one of twenty. */
export const ISSUES_KEPT = 20

export function addIssues(list: { issues: ImportIssue[]; issueCount: number }, issues: ImportIssue[]): void {
  for (const issue of issues) {
    if (list.issues.length < ISSUES_KEPT) list.issues.push(issue)
    list.issueCount++
  }
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
