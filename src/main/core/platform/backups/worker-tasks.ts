import { runBackupTask, type TaskProgress } from './worker-pool'

export interface CopyInspection {
  /** Why the file is not a Tradedeck database at all (no SQLite header, no pages, no schema_migrations); null when it is one. */
  notADatabase: string | null
  /** The rows of quick_check or integrity_check: ['ok'] when the file is intact. */
  check: string[]
  schemaVersion: number
  rowCounts: Record<string, number>
}

/**
 * Copies a live database to `path` through SQLite's backup API on a
 * connection of its own in a worker thread, so the app's thread and its
 * writes carry on while gigabytes are copied.
 */
export function copyDatabase(source: string, path: string): Promise<void> {
  return runBackupTask<unknown>('copy', { source, path }).then(() => undefined)
}

export interface InspectOptions {
  /** integrity_check instead of quick_check. */
  thorough?: boolean
  /** Adopting or restoring: the file must carry this app's schema_migrations. */
  requireTradedeck?: boolean
  /** A thorough check then reports table by table how far it has come. */
  onProgress?: (progress: TaskProgress) => void
}

/** Checks a copy and counts its rows in a worker thread: on a large database these scans take seconds. */
export function inspectCopy(path: string, options: InspectOptions = {}): Promise<CopyInspection> {
  const input = {
    path,
    thorough: options.thorough ?? false,
    requireTradedeck: options.requireTradedeck ?? false,
    progress: options.onProgress !== undefined,
  }
  return runBackupTask<CopyInspection>('inspect', input, options.onProgress)
}

/** The sha256 of a file, read in a worker thread. */
export function sha256InWorker(path: string): Promise<string> {
  return runBackupTask<{ sha256: string }>('hash', { path }).then((result) => result.sha256)
}

export function isIntact(inspection: CopyInspection): boolean {
  return inspection.notADatabase === null && inspection.check.length === 1 && inspection.check[0] === 'ok'
}

/** Why a copy may not be used, in words for the trader. */
export function describeDamage(inspection: CopyInspection): string {
  return inspection.notADatabase ?? `it failed its integrity check: ${inspection.check.slice(0, 3).join('; ')}`
}
