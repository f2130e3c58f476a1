import type { Actor, ImportFormat, ImportReport, ImportTable, ImportTableCounts } from '../../../../shared/domain'

export interface HistoryImportRequest {
  path: string
  /** The name the trader knows the file by (an upload is staged under another). */
  fileName?: string
  format?: ImportFormat
  userId: string
  actor: Actor
  dryRun: boolean
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
}

/** The decision row's words for a run: the file, its hash and every table's counts. */
export function importSummary(report: ImportReport): string {
  const counts = (Object.entries(report.tables) as [ImportTable, ImportTableCounts][]).map(
    ([table, { new: fresh, duplicate, invalid }]) =>
      `${TABLE_UNITS[table]}s: ${fresh} new, ${duplicate} already here, ${invalid} invalid`,
  )
  return `Imported ${report.file} (${report.format}, sha256 ${report.sha256}). ${counts.join('; ')}.`
}
