import type { ImportReport } from '../../../../shared/domain'
import { Refusal } from '../../platform/calls/refusal'
import type { CoreContext } from '../../platform/context'
import type { BackupBeforeChange } from '../../platform/backups/backup-service'
import { actorOf } from '../../platform/calls/profile'
import { ImportFileError } from './history-batch'
import { importHistory } from './history-import'
import { discardStaged, type StagedImport } from './staged-imports'

/** A file's problems are the trader's to fix: said in words, as a refused input. */
export async function asInput<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof ImportFileError) throw new Refusal('invalid_input', error.message)
    throw error
  }
}

/** The dry run the page shows before anything is written; a file that cannot be read at all is not kept. */
export function dryRunStaged(
  ctx: CoreContext,
  backups: BackupBeforeChange,
  staged: StagedImport,
): Promise<ImportReport> {
  return asInput(() =>
    importHistory(ctx, backups, {
      path: staged.path,
      fileName: staged.fileName,
      userId: staged.profileId,
      actor: actorOf(ctx),
      dryRun: true,
      importId: staged.importId,
    }),
  ).catch((error: unknown) => {
    discardStaged(ctx.dataDir, staged.importId)
    throw error
  })
}
