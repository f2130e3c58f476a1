import { create } from 'zustand'
import type { EventPayload, SystemStatus } from '../../../shared/contract'
import { api } from '../bridge/client'
import { dataReplaced } from './results'
import { errorMessage } from '../../../shared/errors'

type Progress = EventPayload<'migration:progress'>

interface SystemState {
  status: SystemStatus | null
  error: string | null
  loading: boolean
  progress: Progress | null
  /** An action on the recovery screen is running. */
  busy: boolean
  actionMessage: string | null
  readOnlyAcknowledged: boolean
  refresh(): Promise<void>
  checkIntegrity(): Promise<void>
  retryStartup(): Promise<void>
  restoreBackup(file: string): Promise<void>
  acknowledgeReadOnly(): void
}

export const useSystemStore = create<SystemState>((set) => {
  const loadStatus = async (fetch: () => Promise<SystemStatus>) => {
    set({ loading: true })
    try {
      set({ status: await fetch(), error: null, loading: false })
    } catch (error) {
      set({ error: errorMessage(error), loading: false })
    }
  }
  return {
    status: null,
    error: null,
    loading: false,
    progress: null,
    busy: false,
    actionMessage: null,
    readOnlyAcknowledged: false,
    refresh: () => loadStatus(() => api.systemStatus()),
    checkIntegrity: () => loadStatus(() => api.systemCheckIntegrity()),
    async retryStartup() {
      set({ busy: true, actionMessage: null })
      try {
        const status = await api.startupRetry()
        set({
          status,
          busy: false,
          actionMessage:
            status.startupMigration.state === 'ok' ? null : 'The migration failed again; the details are below.',
        })
        // What the pages held was read before the rollback or the failed start: read it again.
        if (status.startupMigration.state === 'ok') dataReplaced()
      } catch (error) {
        set({ busy: false, actionMessage: errorMessage(error) })
      }
    },
    async restoreBackup(file) {
      set({ busy: true, actionMessage: null })
      try {
        const result = await api.startupRestoreBackup({ file })
        set({
          status: result.status,
          busy: false,
          actionMessage: `Restored ${result.restoredFrom}. The database it replaced was saved as ${result.preRestoreBackup}.`,
        })
        dataReplaced()
      } catch (error) {
        set({ busy: false, actionMessage: `Restore failed, nothing was changed: ${errorMessage(error)}` })
      }
    },
    acknowledgeReadOnly() {
      set({ readOnlyAcknowledged: true })
    },
  }
})

api.on('migration:progress', (progress) => {
  useSystemStore.setState({ progress })
  if (progress.phase === 'done' || progress.phase === 'failed') void useSystemStore.getState().refresh()
})
