import type { CandleImportProgress } from '../../../shared/contract'
import type { CsvImportResult } from '../../../shared/domain'
import { api } from './client'
import { uploadFile } from './upload'

export interface CandleImportRequest {
  symbol: string
  timeframe: '1s' | '1m' | '5m' | '15m' | '1h' | '1d'
  importId: string
}

export type ImportProgress =
  { phase: 'uploading'; fraction: number } | { phase: CandleImportProgress['phase']; fraction: number; candles: number }

/** The desktop's main process opens its own file picker and reads the file itself. */
export const picksFilesInMainProcess = Boolean(window.api)

/** Browser mode: the file goes to the server as an upload (see uploadFile). */
export function uploadCandleCsv(
  file: File,
  request: CandleImportRequest,
  onProgress: (progress: ImportProgress) => void,
): Promise<CsvImportResult> {
  const query = new URLSearchParams({
    symbol: request.symbol,
    timeframe: request.timeframe,
    importId: request.importId,
  })
  return uploadFile<CsvImportResult>('/uploads/candles', query, file, 'text/csv', (fraction) =>
    onProgress({ phase: 'uploading', fraction }),
  )
}

/** Follows the core's progress events for one import. */
export function watchImportProgress(importId: string, onProgress: (progress: ImportProgress) => void): () => void {
  return api.on('marketData:importProgress', (event) => {
    if (event.importId !== importId) return
    onProgress({
      phase: event.phase,
      fraction: event.bytes > 0 ? event.bytesRead / event.bytes : 1,
      candles: event.candles,
    })
  })
}
