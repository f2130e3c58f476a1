import type { CoreContext } from '../context'
import { Refusal } from '../calls/refusal'

/** Backups, restores, rollbacks and health checks wait while the start-up migration runs: each would read a database in the middle of changing. */
export function notWhileMigrating(ctx: CoreContext): void {
  if (ctx.startupMigration.state === 'running')
    throw new Refusal('conflict', 'Wait for the running migration to finish first.')
}
