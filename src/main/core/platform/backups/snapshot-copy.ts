import { rmSync } from 'node:fs'
import { makePrivateFile } from '../files/private-files'
import { errorMessage } from '../../../../shared/errors'
import { copyDatabase, inspectCopy, sha256InWorker, type CopyInspection } from './worker-tasks'
import { runBackupTask, withBackupWorker } from './worker-pool'

export interface VerifiedCopy {
  sha256: string
  inspection: CopyInspection
  /** 'snapshot': one pass over the file, hashed as written, checked in parallel. 'backup-api': SQLite's page-by-page copy, checked and hashed after. */
  method: 'snapshot' | 'backup-api'
  /** Why the one-pass copy was not used. */
  fallbackReason?: string
}

export interface CopyHooks {
  /** Runs once the snapshot is held, before its bytes are read (tests use it to disturb the file). */
  afterSnapshot?: () => void
}

interface SnapshotOpened {
  established: boolean
  reason?: string
  bytes?: number
  fileMark?: { mtimeNs: string; size: string; ino: string }
}

interface RawCopy {
  sha256: string
  untouched: boolean
}

/**
 * A consistent, hashed and checked copy of a live database at `path`.
 *
 * The fast way holds a read transaction whose every page is already in the
 * database file (see openSnapshot in the worker). One worker then copies the
 * file's bytes, hashing them as they are written, while the other runs
 * quick_check and counts rows in that same snapshot, so the copy is read
 * once and checked in parallel. If the snapshot cannot be had (the app wrote
 * faster than the WAL could be checkpointed), or the database file's mtime,
 * size or inode moved while it was copied, SQLite's backup API is used instead
 * and the copy itself is checked.
 */
export async function copyVerified(source: string, path: string, hooks: CopyHooks = {}): Promise<VerifiedCopy> {
  const fast = await snapshotCopy(source, path, hooks)
  if ('sha256' in fast) return fast
  rmSync(path, { force: true })
  makePrivateFile(path)
  await copyDatabase(source, path)
  const [inspection, sha256] = await Promise.all([inspectCopy(path), sha256InWorker(path)])
  return { sha256, inspection, method: 'backup-api', fallbackReason: fast.reason }
}

function snapshotCopy(source: string, path: string, hooks: CopyHooks): Promise<VerifiedCopy | { reason: string }> {
  return withBackupWorker(async (holder) => {
    try {
      // A file this process may only read (no checkpointing connection) is copied the other way.
      const snapshot = await holder
        .run<SnapshotOpened>('openSnapshot', { source })
        .catch((error: unknown): SnapshotOpened => ({
          established: false,
          reason: `no snapshot could be held: ${errorMessage(error)}`,
        }))
      if (!snapshot.established) return { reason: snapshot.reason ?? 'no snapshot could be held' }
      hooks.afterSnapshot?.()
      const [copy, inspection] = await Promise.all([
        runBackupTask<RawCopy>('rawCopy', { source, path, bytes: snapshot.bytes, fileMark: snapshot.fileMark }).catch(
          (error: unknown) => ({ failed: errorMessage(error) }),
        ),
        holder.run<CopyInspection>('checkSnapshot'),
      ])
      if ('failed' in copy) return { reason: `the one-pass copy failed: ${copy.failed}` }
      if (!copy.untouched) return { reason: 'the database file changed while it was copied' }
      return { sha256: copy.sha256, inspection, method: 'snapshot' as const }
    } finally {
      await holder.run('closeSnapshot').catch(() => undefined)
    }
  })
}
