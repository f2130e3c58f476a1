import { create } from 'zustand'
import type { BackupInfo, BackupProgress, MigrationStatusView, RollbackView } from '../../../shared/contract'
import { api } from '../bridge/client'
import { dataReplaced, resultsBelongToPage } from './results'
import { useSystemStore } from './system-store'
import { useHealthStore } from './health-store'
import { errorMessage } from '../../../shared/errors'

interface Outcome {
  tone: 'ok' | 'bad'
  message: string
  details?: string[]
  /** The SQL behind the details, shown on request. */
  sql?: string[]
  /** The panel whose control caused it, where it is shown. */
  panel: OutcomePanel
}

export type OutcomePanel = 'backups' | 'rollback' | 'central'

interface DatabaseState {
  migrations: MigrationStatusView | null
  /** The central PostgreSQL schema; null when none is configured or it could not be reached (see centralError). */
  central: MigrationStatusView | null
  centralError: string | null
  /** A central connection is saved (reachable or not). */
  centralConfigured: boolean
  backups: BackupInfo[]
  loading: boolean
  loadError: string | null
  /** The running operation's latest progress line; null when nothing runs. */
  progress: BackupProgress | null
  busy: boolean
  /** The panel whose operation runs now, where its progress shows. */
  busyPanel: OutcomePanel | null
  outcome: Outcome | null
  /** Everything the page shows: the local database and, when one is configured, the central one. */
  load(): Promise<void>
  backupNow(): Promise<void>
  verify(file: string): Promise<void>
  restore(file: string): Promise<void>
  undoRestore(): Promise<void>
  rollback(force: boolean): Promise<RollbackView | null>
  migrateCentral(): Promise<void>
}

export const useDatabaseStore = create<DatabaseState>((set) => {
  /** The local schema and backups, and whether a central connection is saved. */
  async function loadLocal(): Promise<boolean> {
    try {
      const [migrations, backups, connection] = await Promise.all([
        api.migrationsStatus(),
        api.backupsList(),
        api.centralGet(),
      ])
      set({ migrations, backups, loading: false, loadError: null, centralConfigured: connection.configured })
      if (!connection.configured) set({ central: null, centralError: null })
      return connection.configured
    } catch (error) {
      set({ loading: false, loadError: errorMessage(error) })
      return false
    }
  }

  /** The central schema: a round trip to another server, so only when it may have changed. */
  async function loadCentral(): Promise<void> {
    try {
      set({ central: await api.centralMigrationStatus(), centralError: null })
    } catch (error) {
      set({ central: null, centralError: errorMessage(error) })
    }
  }

  /** Runs one operation: busy while it runs, then its result in words, then fresh lists of what it changed. */
  async function operate<T>(
    panel: OutcomePanel,
    run: () => Promise<T>,
    success: (result: T) => Omit<Outcome, 'panel'>,
    changes: 'local' | 'central' | 'all' = 'local',
  ): Promise<T | null> {
    set({ busy: true, busyPanel: panel, outcome: null })
    try {
      const result = await run()
      set({ outcome: { ...success(result), panel } })
      return result
    } catch (error) {
      set({ outcome: { tone: 'bad', message: errorMessage(error), panel } })
      return null
    } finally {
      set({ busy: false, busyPanel: null, progress: null })
      // Health reports on backups, the schema and the data: it is read again after anything that changed them.
      void useHealthStore.getState().check()
      if (changes === 'central') await loadCentral()
      // A restore brings back the settings too, so the saved central connection may be another one.
      else if ((await loadLocal()) && changes === 'all') await loadCentral()
    }
  }

  return {
    migrations: null,
    central: null,
    centralError: null,
    centralConfigured: false,
    backups: [],
    loading: true,
    loadError: null,
    progress: null,
    busy: false,
    busyPanel: null,
    outcome: null,
    async load() {
      if (await loadLocal()) await loadCentral()
    },
    async backupNow() {
      await operate(
        'backups',
        () => api.backupsCreate(),
        (backup) => ({ tone: 'ok', message: `Backed up and verified: ${backup.file}.` }),
      )
    },
    async verify(file) {
      await operate(
        'backups',
        () => api.backupsVerify({ file }),
        (backup) => ({
          tone: 'ok',
          message: `${backup.file} is intact: its sha256 matches and integrity_check is ok.`,
        }),
      )
    },
    async restore(file) {
      await operate(
        'backups',
        () => api.backupsRestore({ file }),
        (summary) => {
          dataReplaced()
          return {
            tone: 'ok',
            message: `Restored ${summary.restoredFrom.file}. The database it replaced is kept as ${summary.preRestore.file}; "Undo last restore" puts it back.`,
            details: [
              ...(summary.migrated.length > 0
                ? [`Brought up to date with migrations ${summary.migrated.join(', ')}.`]
                : []),
              `${summary.resumedStrategies} strategy instance${summary.resumedStrategies === 1 ? '' : 's'} running again.`,
            ],
          }
        },
        'all',
      )
      await useSystemStore.getState().refresh()
    },
    async undoRestore() {
      await operate(
        'backups',
        () => api.backupsUndoRestore(),
        (summary) => {
          dataReplaced()
          return {
            tone: 'ok',
            message: `Put back ${summary.restoredFrom.file}. What it replaced is kept as ${summary.preRestore.file}.`,
          }
        },
        'all',
      )
      await useSystemStore.getState().refresh()
    },
    async migrateCentral() {
      await operate(
        'central',
        () => api.centralMigrate(),
        (result) => ({
          tone: 'ok',
          message:
            result.applied.length === 0
              ? 'The central database is up to date.'
              : `Migrated the central database from version ${result.from} to ${result.to}.`,
          details: result.applied.map((entry) => `${entry.version}_${entry.name}`),
        }),
        'central',
      )
    },
    async rollback(force) {
      const result = await operate(
        'rollback',
        () => api.migrationsRollback({ force }),
        (view) => ({
          tone: 'ok',
          message:
            view.rolledBack.length === 0
              ? 'Nothing to roll back.'
              : `Rolled back to schema version ${view.to}. The database before it is in ${view.backupFile ?? 'no backup'}.`,
          details: view.summary,
          sql: view.schemaChanges,
        }),
      )
      await useSystemStore.getState().refresh()
      return result
    },
  }
})

api.on('backups:progress', (progress) => {
  useDatabaseStore.setState({ progress: progress.phase === 'running' ? progress : null })
})

resultsBelongToPage(() => useDatabaseStore.setState({ outcome: null }))
