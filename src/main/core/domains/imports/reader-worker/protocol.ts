import type { ImportFormat } from '../../../../../shared/domain'
import type { ImportRecord } from '../../../platform/store/repositories/imported-history'
import type { HistoryBatch } from '../history-batch'
import type { RiskConfigRows, StrategyRows } from '../rules-csv-reader'
import type { MarketEventRows } from '../market-events-csv-reader'

export interface ReadJob {
  format: ImportFormat
  path: string
  sha256: string
  fileName: string
  /** better-sqlite3's addon for the host (Electron's differs from Node's). */
  nativeBinding?: string
}

export type ReadOutcome =
  | { kind: 'history'; batch: Omit<HistoryBatch, 'records'> }
  | { kind: 'rules'; rows: RiskConfigRows | StrategyRows }
  | { kind: 'events'; rows: MarketEventRows }

/** The core took a slice of records and is ready for the next. */
export interface ToReader {
  type: 'ack'
}

export type FromReader =
  | { type: 'progress'; done: number; total: number }
  /** Records go in slices, each only once the last was taken, so the core's thread decodes one slice per turn. */
  | { type: 'records'; records: ImportRecord[] }
  | { type: 'done'; outcome: ReadOutcome }
  /** The file cannot be imported, in words for the trader. */
  | { type: 'refused'; message: string }
  | { type: 'failed'; message: string }
