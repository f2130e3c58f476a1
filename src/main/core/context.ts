import type { HostKind, StartupMigrationState } from '../../shared/contract'
import type { CoreEvents } from './events'

/** What every core service may know about the running instance. */
export interface CoreContext {
  appVersion: string
  host: HostKind
  dataDir: string
  dbPath: string
  events: CoreEvents
  startupMigration: StartupMigrationState
}
