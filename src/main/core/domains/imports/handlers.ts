import { Refusal } from '../../platform/calls/refusal'
import type { CoreContext } from '../../platform/context'
import type { BackupBeforeChange } from '../../platform/backups/backup-service'
import type { ChannelsOf, HandlerTable } from '../../platform/calls/handler-table'
import { actorOf, profile } from '../../platform/calls/profile'
import { importHistory } from './history-import'
import { asInput } from './staged-dry-run'
import { discardStaged, findStaged, findStagedIfAny } from './staged-imports'

export function createImportHandlers(
  ctx: CoreContext,
  backups: BackupBeforeChange,
): Pick<HandlerTable, ChannelsOf<'imports'>> {
  return {
    // The desktop host replaces this with its file picker; browser mode uploads the file over HTTP instead.
    'imports:pickFile': async () => {
      throw new Refusal(
        'unavailable',
        `Only the desktop app can pick a file here. In ${ctx.host === 'browser' ? 'browser mode' : 'this host'}, upload the file.`,
      )
    },
    'imports:commit': async ({ importId, skipInvalid }) => {
      const staged = findStaged(ctx.dataDir, importId)
      if (staged.profileId !== profile(ctx))
        throw new Refusal('conflict', 'That file was offered to another profile; switch back to it to import.')
      const report = await asInput(() =>
        importHistory(ctx, backups, {
          path: staged.path,
          fileName: staged.fileName,
          userId: staged.profileId,
          actor: actorOf(ctx),
          dryRun: false,
          skipInvalid,
          importId,
          onProgress: (progress) => ctx.events.emit('imports:progress', { importId, ...progress }),
        }),
      )
      discardStaged(ctx.dataDir, importId)
      return report
    },
    'imports:discard': async ({ importId }) => {
      const staged = findStagedIfAny(ctx.dataDir, importId)
      if (staged && staged.profileId !== profile(ctx))
        throw new Refusal('conflict', 'That file was offered to another profile; only that profile can discard it.')
      discardStaged(ctx.dataDir, importId)
      return { discarded: true as const }
    },
  }
}
