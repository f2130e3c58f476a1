import { z } from 'zod'
import type { SyncStatusView } from '../../shared/contract'
import { APP_VERSION } from '../core/platform/app-version'
import { resolveDataDir } from '../core/platform/files/data-dir'
import { requireCurrentSchema, withMaintenanceCore } from '../core/wiring/maintenance'
import { centralTargetFromUrl } from '../core/platform/sync/central-session'
import { readSyncStatus } from '../core/platform/sync/sync-service'
import type { CommandOutput } from './migration-commands'
import { UsageError } from '../hosting/command-line'

const SYNC_SUBCOMMANDS = ['status', 'run'] as const
type SyncSubcommand = (typeof SYNC_SUBCOMMANDS)[number]

export const pgUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')

const syncOptions = z.object({ 'data-dir': z.string().min(1).optional(), pg: pgUrl.optional() }).strict()

function statusText(status: SyncStatusView): string {
  const lines = [
    `Sync: ${status.state}${status.target ? ` → ${status.target}` : ''}`,
    `Waiting in the outbox: ${status.lagRows} rows${status.oldestQueuedAt ? `, oldest queued ${status.oldestQueuedAt}` : ''}`,
    `Initial copy: ${status.initialCopy.done ? `done ${status.initialCopy.doneAt}` : `${status.initialCopy.copied} of ${status.initialCopy.total} rows`}`,
    `Last success: ${status.lastSuccessAt ?? 'never'}`,
  ]
  if (status.lastError) lines.push(`Last error (${status.lastErrorAt}): ${status.lastError}`)
  if (status.verification)
    lines.push(
      `Last verification (${status.verification.at}): ${
        status.verification.ok
          ? 'every table matches'
          : `differs in ${status.verification.tables
              .filter((table) => !table.matches)
              .map((table) => table.table)
              .join(', ')}`
      }`,
    )
  return lines.join('\n')
}

/** `tradedeck sync status|run`: replication from the command line, while the app is closed. */
export async function runSyncCommand(
  subcommand: string | undefined,
  raw: Record<string, unknown>,
): Promise<CommandOutput> {
  if (!SYNC_SUBCOMMANDS.includes(subcommand as SyncSubcommand))
    throw new UsageError(`sync needs one of: ${SYNC_SUBCOMMANDS.join(', ')}`)
  const options = syncOptions.parse(raw)
  const dataDir = resolveDataDir(options['data-dir'])
  if (subcommand === 'status') {
    if (options.pg) throw new UsageError('sync status reads the desk only; --pg is for sync run')
    const status = readSyncStatus(dataDir)
    return { json: status, text: statusText(status) }
  }
  return withMaintenanceCore({ dataDir, appVersion: APP_VERSION }, async ({ context, services }) => {
    requireCurrentSchema(context)
    const result = await services.sync.drain(options.pg ? centralTargetFromUrl(options.pg) : undefined, (progress) =>
      process.stderr.write(
        progress.phase === 'copy'
          ? `sync: copied ${progress.copied} of ${progress.total} rows\n`
          : `sync: sent ${progress.sent} outbox entries\n`,
      ),
    )
    const status = services.sync.status()
    return {
      json: { ...result, status },
      text: `Copied ${result.copied} rows in the initial copy and sent ${result.sent} outbox entries.\n${statusText(status)}`,
    }
  })
}
