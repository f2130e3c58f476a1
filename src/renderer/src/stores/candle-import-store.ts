import { create } from 'zustand'
import type { CsvImportResult } from '../../../shared/domain'
import { errorMessage } from '../../../shared/errors'
import { api } from '../bridge/client'
import {
  picksFilesInMainProcess,
  uploadCandleCsv,
  watchImportProgress,
  type CandleImportRequest,
  type ImportProgress,
} from '../bridge/candle-import'

export { picksFilesInMainProcess, type CandleImportRequest, type ImportProgress }

export interface ImportMessage {
  tone: 'ok' | 'bad'
  text: string
  /** The first wrong lines the core named; the rest are in the report it wrote. */
  lines: string[]
}

interface CandleImportState {
  progress: ImportProgress | null
  message: ImportMessage | null
  /** Desktop: the main process asks for the file and reads it. */
  pickAndImport(target: Omit<CandleImportRequest, 'importId'>): Promise<void>
  /** Browser mode: the chosen file is streamed to the server. */
  upload(file: File, target: Omit<CandleImportRequest, 'importId'>): Promise<void>
}

/** Importing a candle CSV: one at a time, its progress from the core's events, and the outcome in words. */
export const useCandleImportStore = create<CandleImportState>((set, get) => {
  const run = async (
    target: Omit<CandleImportRequest, 'importId'>,
    start: (request: CandleImportRequest) => Promise<CsvImportResult | null>,
  ) => {
    if (get().progress) return
    const request = { ...target, symbol: target.symbol.trim(), importId: crypto.randomUUID() }
    set({ message: null, progress: { phase: 'checking', fraction: 0, candles: 0 } })
    const stopWatching = watchImportProgress(request.importId, (progress) => set({ progress }))
    try {
      const result = await start(request)
      if (result) {
        set({
          message: {
            tone: 'ok',
            text: `Imported ${result.imported.toLocaleString('en-US')} candles of ${result.symbol} ${result.timeframe} (${result.first} to ${result.last}); ${result.alreadyStored.toLocaleString('en-US')} were already stored.`,
            lines: [],
          },
        })
      }
    } catch (error) {
      const issues = (error as { issues?: { path: (string | number)[]; message: string }[] }).issues ?? []
      set({
        message: {
          tone: 'bad',
          text: errorMessage(error),
          lines: issues.slice(0, 10).map((issue) => `${issue.path.join(' ')}: ${issue.message}`),
        },
      })
    } finally {
      stopWatching()
      set({ progress: null })
    }
  }
  return {
    progress: null,
    message: null,
    pickAndImport: (target) => run(target, async (request) => (await api.marketDataImportCsvFile(request)).imported),
    upload: (file, target) =>
      run(target, (request) =>
        // Upload progress shows until the core's own checking progress takes over.
        uploadCandleCsv(file, request, (uploaded) =>
          set((state) => ({
            progress:
              state.progress && state.progress.phase !== 'uploading' && state.progress.fraction > 0
                ? state.progress
                : uploaded,
          })),
        ),
      ),
  }
})
