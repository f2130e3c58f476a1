import type { HostKind, StartupMigrationState } from '../../../shared/contract'
import type { SecretBox } from './central/secret-box'
import type { SqliteDb } from './db/sqlite'
import type { CoreEvents } from './events'
import type { Store } from './store/store'

/**
 * The running desk's infrastructure, which every part of the core may know: where its data
 * lives, the open database and store, events, secrets. Services are not in it: the wiring
 * hands each one the few others it needs.
 */
export interface CoreContext {
  appVersion: string
  host: HostKind
  dataDir: string
  dbPath: string
  events: CoreEvents
  /** The open database; replaced when a backup is restored, so always read it from here. */
  db: SqliteDb
  /** The repositories over `db`; replaced together with it. */
  store: Store
  startupMigration: StartupMigrationState
  /**
   * Set when a restore, an undo or a rollback stops the desk's work, and read once work resumes: each
   * profile's halt as it stood before, so the database put in place cannot lift one.
   */
  afterDatabaseChange: { halts: { userId: string; reason: string }[] } | null
  /** The desk's first profile, which a call that names none acts as; null until the schema is ready. */
  profileId: string | null
  /** Every profile on this desk, so a call's named profile is checked without a query. */
  profiles: Set<string>
  /** False for the command line: it leaves resuming strategies and sync to the app's next launch. */
  servesTrader: boolean
  nativeBinding: string | undefined
  /** Seals secrets (the PostgreSQL password) before they are stored. */
  secrets: SecretBox
}
