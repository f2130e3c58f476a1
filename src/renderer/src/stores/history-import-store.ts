import { create } from 'zustand'
import type { ImportReport } from '../../../shared/domain'
import { errorMessage } from '../../../shared/errors'
import { picksFilesInMainProcess } from '../bridge/candle-import'
import { api } from '../bridge/client'
import { uploadFile } from '../bridge/upload'

export { picksFilesInMainProcess }

export type HistoryImportStep =
  | { step: 'idle' }
  | { step: 'uploading'; fraction: number }
  | { step: 'checking' }
  | { step: 'reviewing'; report: ImportReport }
  | { step: 'importing'; report: ImportReport; done: number; total: number }
  | { step: 'imported'; report: ImportReport }

interface HistoryImportState {
  state: HistoryImportStep
  error: string | null
  /** Desktop: the main process asks for the file, stages it and dry-runs it. */
  pick(): Promise<void>
  /** Browser mode: the file is uploaded, staged and dry-run. */
  upload(file: File): Promise<void>
  /** `skipInvalid`: the trader ticked "Leave out the N invalid records"; without it a file with any writes nothing. */
  commit(skipInvalid: boolean): Promise<void>
  discard(): Promise<void>
}

/** Settings → Import: a file is offered, its dry run shown, and only then imported or discarded. */
export const useHistoryImportStore = create<HistoryImportState>((set, get) => ({
  state: { step: 'idle' },
  error: null,
  async pick() {
    set({ state: { step: 'checking' }, error: null })
    try {
      const { report } = await api.importsPickFile()
      set({ state: report ? { step: 'reviewing', report } : { step: 'idle' } })
    } catch (error) {
      set({ state: { step: 'idle' }, error: errorMessage(error) })
    }
  },
  async upload(file) {
    set({ state: { step: 'uploading', fraction: 0 }, error: null })
    try {
      const query = new URLSearchParams({ fileName: file.name })
      const report = await uploadFile<ImportReport>(
        '/uploads/history',
        query,
        file,
        'application/octet-stream',
        (fraction) => set({ state: fraction < 1 ? { step: 'uploading', fraction } : { step: 'checking' } }),
      )
      set({ state: { step: 'reviewing', report } })
    } catch (error) {
      set({ state: { step: 'idle' }, error: errorMessage(error) })
    }
  },
  async commit(skipInvalid) {
    const current = get().state
    if (current.step !== 'reviewing' || !current.report.importId) return
    const importId = current.report.importId
    set({ state: { step: 'importing', report: current.report, done: 0, total: 0 }, error: null })
    const stop = api.on('imports:progress', (progress) => {
      const now = get().state
      if (progress.importId === importId && progress.phase === 'writing' && now.step === 'importing')
        set({ state: { ...now, done: progress.done, total: progress.total } })
    })
    try {
      set({ state: { step: 'imported', report: await api.importsCommit({ importId, skipInvalid }) } })
    } catch (error) {
      set({ state: { step: 'reviewing', report: current.report }, error: errorMessage(error) })
    } finally {
      stop()
    }
  },
  async discard() {
    const current = get().state
    set({ state: { step: 'idle' }, error: null })
    if (current.step === 'reviewing' && current.report.importId)
      await api.importsDiscard({ importId: current.report.importId }).catch(() => undefined)
  },
}))
