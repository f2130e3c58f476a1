import {
  invalidRowsOf,
  type Actor,
  type ImportFormat,
  type ImportReport,
  type ImportTable,
  type ImportTableCounts,
} from '../../../../shared/domain'

export interface HistoryImportRequest {
  path: string
  /** The name the trader knows the file by (an upload is staged under another). */
  fileName?: string
  format?: ImportFormat
  userId: string
  actor: Actor
  dryRun: boolean
  /** Write the valid records of a file that also holds invalid ones; without it such a file writes nothing. */
  skipInvalid?: boolean
  /** A staged upload's id, echoed in the report so the page can commit it after the dry run. */
  importId?: string | null
  onProgress?: (progress: { phase: 'reading' | 'checking' | 'writing'; done: number; total: number }) => void
}

const TABLE_UNITS: Record<ImportTable, string> = {
  orders: 'order',
  fills: 'fill',
  trades: 'trade',
  positions: 'open position',
  risk_config: 'risk config',
  watchlist: 'watchlist symbol',
  calendar_events: 'calendar event',
  news_items: 'news item',
  strategies: 'rules instance',
}

const problemsOf = (report: ImportReport) =>
  report.issues.map((issue) => `${issue.where}${issue.field ? `, ${issue.field}` : ''}: ${issue.message}`).join('; ') +
  (report.issueCount > report.issues.length ? `; and ${report.issueCount - report.issues.length} more` : '')

/** The decision row's words for a run: the file, its hash, every table's counts, and what was left out as asked. */
export function importSummary(report: ImportReport): string {
  const counts = (Object.entries(report.tables) as [ImportTable, ImportTableCounts][]).map(
    ([table, { new: fresh, duplicate, invalid }]) =>
      `${TABLE_UNITS[table]}s: ${fresh} new, ${duplicate} already here, ${invalid} invalid`,
  )
  const invalid = invalidRowsOf(report)
  const leftOut = invalid > 0 ? ` Left out, as the trader asked: ${problemsOf(report)}.` : ''
  return `Imported ${report.file} (${report.format}, sha256 ${report.sha256}). ${counts.join('; ')}.${leftOut}`
}

/**
 * A file with invalid records writes nothing unless the trader asks to leave them out: the refusal names them,
 * and says how to ask. Null when the run may go on.
 */
export function invalidRecordsRefusal(report: ImportReport, request: Pick<HistoryImportRequest, 'skipInvalid'>) {
  const invalid = invalidRowsOf(report)
  if (report.dryRun || invalid === 0 || request.skipInvalid) return null
  const records = `${invalid} invalid record${invalid === 1 ? '' : 's'}`
  return `${report.file} has ${records}, so nothing was imported: ${problemsOf(report)}. Fix the file, or import it again leaving out the ${records} (tradedeck import --skip-invalid; on the page, tick "Leave out the ${records}").`
}
