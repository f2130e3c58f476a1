/** Importing trade history from other systems. */

/**
 * The formats `tradedeck import` and Settings → Import read: a Freqtrade database,
 * order history as JSON (trades_history.json, pending_orders.json, paper trading),
 * the risk config or strategies as CSV, and an economic calendar or news as CSV.
 */
export const IMPORT_FORMATS = ['freqtrade', 'orders-json', 'rules-csv', 'calendar-csv', 'news-csv'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

export const IMPORT_TABLES = [
  'orders',
  'fills',
  'trades',
  'positions',
  'risk_config',
  'watchlist',
  'calendar_events',
  'news_items',
  'strategies',
] as const
export type ImportTable = (typeof IMPORT_TABLES)[number]

/** One record that cannot be imported: where it is (file, table and row, or line) and which field. */
export interface ImportIssue {
  where: string
  field: string | null
  message: string
}

export interface ImportTableCounts {
  new: number
  duplicate: number
  invalid: number
}

/** What an import found (a dry run) or wrote; `importId` names a staged file that a commit can write. */
export interface ImportReport {
  importId: string | null
  file: string
  sha256: string
  format: ImportFormat
  profileId: string
  dryRun: boolean
  /** Only the tables the format writes to. */
  tables: Partial<Record<ImportTable, ImportTableCounts>>
  /** Records read but left out on purpose, e.g. trades still open in the source bot ("3 trades still open…"). */
  skipped: { count: number; unit: string; reason: string }[]
  /** The first 20 problems; `issueCount` says how many there were. */
  issues: ImportIssue[]
  issueCount: number
  /** The backup taken before writing (a real run only). */
  backupFile: string | null
}

/** How many records the file holds that cannot be imported as they are, over every table. */
export function invalidRowsOf(report: Pick<ImportReport, 'tables'>): number {
  return Object.values(report.tables).reduce((sum, counts) => sum + (counts?.invalid ?? 0), 0)
}

/** How many rows a real run of this report would write, over every table. */
export function newRowsOf(report: Pick<ImportReport, 'tables'>): number {
  return Object.values(report.tables).reduce((sum, counts) => sum + (counts?.new ?? 0), 0)
}
