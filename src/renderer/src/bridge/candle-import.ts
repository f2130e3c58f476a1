import type { CandleImportProgress } from '../../../shared/contract'
import type { CsvImportResult } from '../../../shared/domain'
import { ApiError, type Envelope } from '../../../shared/errors'
import { api } from './client'

export interface CandleImportRequest {
  symbol: string
  timeframe: '1s' | '1m' | '5m' | '15m' | '1h' | '1d'
  importId: string
}

export type ImportProgress = { phase: 'uploading'; fraction: number } | { phase: CandleImportProgress['phase']; fraction: number; candles: number }

/** The desktop's main process opens its own file picker and reads the file itself. */
export const picksFilesInMainProcess = Boolean(window.api)

/**
 * Browser mode streams the file to the server in one HTTP request: it may be
 * far larger than any WebSocket message. The session cookie authenticates it.
 */
export function uploadCandleCsv(file: File, request: CandleImportRequest, onProgress: (progress: ImportProgress) => void): Promise<CsvImportResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    const query = new URLSearchParams({ symbol: request.symbol, timeframe: request.timeframe, importId: request.importId })
    xhr.open('POST', `/uploads/candles?${query}`)
    xhr.setRequestHeader('Content-Type', 'text/csv')
    xhr.upload.onprogress = (event) => onProgress({ phase: 'uploading', fraction: event.lengthComputable ? event.loaded / event.total : 0 })
    xhr.onerror = () => reject(new ApiError({ code: 'unavailable', message: 'The upload was interrupted; nothing was imported.' }))
    xhr.onload = () => {
      let envelope: Envelope<CsvImportResult>
      try {
        envelope = JSON.parse(xhr.responseText) as Envelope<CsvImportResult>
      } catch {
        return reject(new ApiError({ code: 'internal', message: `The upload was refused (${xhr.status}): ${xhr.responseText.slice(0, 200)}` }))
      }
      if (envelope.ok) resolve(envelope.value)
      else reject(new ApiError(envelope.error))
    }
    xhr.send(file)
  })
}

/** Follows the core's progress events for one import. */
export function watchImportProgress(importId: string, onProgress: (progress: ImportProgress) => void): () => void {
  return api.on('marketData:importProgress', (event) => {
    if (event.importId !== importId) return
    onProgress({ phase: event.phase, fraction: event.bytes > 0 ? event.bytesRead / event.bytes : 1, candles: event.candles })
  })
}
