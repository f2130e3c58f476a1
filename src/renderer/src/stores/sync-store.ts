import { create } from 'zustand'
import type { CentralRestoreView, SyncStatusView } from '../../../shared/contract'
import { api } from '../bridge/client'
import { useDatabaseStore } from './database-store'
import { useSystemStore } from './system-store'
import { errorMessage } from '../../../shared/errors'

interface SyncState {
  status: SyncStatusView | null
  loadError: string | null
  busy: boolean
  /** The last action's result or refusal in words. */
  message: { tone: 'ok' | 'bad'; text: string } | null
  load(): Promise<void>
  start(): Promise<void>
  pause(): Promise<void>
  resume(): Promise<void>
  verify(): Promise<void>
  restoreFromCentral(userId: string): Promise<CentralRestoreView | null>
}

export const useSyncStore = create<SyncState>((set) => {
  async function act<T>(run: () => Promise<T>, success: (result: T) => string): Promise<T | null> {
    set({ busy: true, message: null })
    try {
      const result = await run()
      set({ message: { tone: 'ok', text: success(result) } })
      return result
    } catch (error) {
      set({ message: { tone: 'bad', text: errorMessage(error) } })
      return null
    } finally {
      set({ busy: false })
      try {
        set({ status: await api.syncStatus(), loadError: null })
      } catch (error) {
        set({ loadError: errorMessage(error) })
      }
    }
  }

  return {
    status: null,
    loadError: null,
    busy: false,
    message: null,
    async load() {
      try {
        set({ status: await api.syncStatus(), loadError: null })
      } catch (error) {
        set({ loadError: errorMessage(error) })
      }
    },
    async start() {
      await act(
        () => api.syncStart(),
        (status) =>
          `Sync started to ${status.target ?? 'the central database'}: ${status.initialCopy.done ? 'the outbox is being sent.' : 'the desk\u2019s history is copied first.'}`,
      )
    },
    async pause() {
      await act(
        () => api.syncPause(),
        (status) =>
          `Sync paused. Changes keep collecting in the outbox (${status.lagRows.toLocaleString()} rows now) and are sent on Resume.`,
      )
    },
    async resume() {
      await act(
        () => api.syncResume(),
        () => 'Sync resumed.',
      )
    },
    async verify() {
      await act(
        () => api.syncVerify(),
        (verification) =>
          verification.ok
            ? `Every table matches: row counts and checksums agree on both sides (${verification.tables.reduce((sum, table) => sum + table.localRows, 0).toLocaleString()} rows).`
            : `Differences in ${verification.tables
                .filter((table) => !table.matches)
                .map((table) => table.table)
                .join(', ')}; see the table below.`,
      )
    },
    async restoreFromCentral(userId) {
      const result = await act(
        () => api.syncRestoreFromCentral({ userId }),
        (view) =>
          `Rebuilt from the central database and swapped in: ${Object.values(view.rows)
            .reduce((sum, rows) => sum + rows, 0)
            .toLocaleString()} rows for ${view.userId}. The database it replaced is kept as ${view.restore.preRestore.file}; "Undo last restore" puts it back.`,
      )
      await useSystemStore.getState().refresh()
      await useDatabaseStore.getState().load()
      return result
    },
  }
})

api.on('sync:status', (status) => useSyncStore.setState({ status }))
