import type { SyncStatusView, SyncVerification } from '../../../../shared/contract'
import { errorMessage } from '../../../../shared/errors'
import { Refusal } from '../calls/refusal'
import { redactCredentials } from '../../../../shared/redact'
import { explainConnectionError } from '../central/connection'
import { keyFileSecretBox } from '../central/secret-box'
import type { CoreContext } from '../context'
import { requireDatabase } from '../files/data-dir'
import { openSqlite } from '../db/sqlite'
import { CoreEvents } from '../events'
import { sqliteStoreDb } from '../store/connection'
import { createStore } from '../store/store'
import { SchemaMismatchError } from './central-schema'
import {
  localSchemaVersion,
  openCentralSession,
  savedCentralTarget,
  type CentralSession,
  type CentralTarget,
} from './central-session'
import { runInitialCopy, type InitialCopyProgress } from './initial-copy'
import { outboxLag } from './outbox'
import { drainOutbox } from './push-outbox'
import { recordTaskRun } from '../operations/task-history'
import { enableCapture, readSyncState, writeSyncState, type SyncState } from './sync-state'
import { verifyAgainstCentral } from './verify'

export interface SyncOptions {
  batchSize?: number
  /** How often an empty outbox is looked at again. */
  idleMs?: number
  backoffBaseMs?: number
  backoffMaxMs?: number
  /** How often a schema mismatch is checked again (someone may migrate meanwhile). */
  blockedRecheckMs?: number
  random?: () => number
}

type RuntimeState = SyncStatusView['state']

/** What `drain` reports after each page of the initial copy and each outbox batch the central database committed. */
export type DrainProgress = { phase: 'copy'; copied: number; total: number } | { phase: 'outbox'; sent: number }

export type SyncHost = Pick<CoreContext, 'db' | 'store' | 'secrets' | 'events' | 'startupMigration'> & {
  profileId?: string | null
}

const DEFAULTS = {
  batchSize: 5_000,
  idleMs: 1_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  blockedRecheckMs: 30_000,
}
const STATUS_EVENT_EVERY_MS = 500
const INSUFFICIENT_PRIVILEGE = '42501'

/** Plain words for why a sync step failed: the connection's own explanation when it is one. */
function describeFailure(error: unknown): string {
  if (error instanceof SchemaMismatchError) return error.message
  const code = (error as { code?: unknown }).code
  if (code === INSUFFICIENT_PRIVILEGE || /row-level security/.test(error instanceof Error ? error.message : '')) {
    return `The central database refused this desk's role: ${(error as Error).message}. Its owner can let the role replicate this desk's users with tradedeck pg add-desk --role <role> --user <user id>; changes wait in the outbox meanwhile.`
  }
  const explained = explainConnectionError(error)
  if (explained.kind !== 'other') return explained.message
  return redactCredentials(errorMessage(error))
}

/**
 * Replicates the desk to the central database: the initial copy first, then
 * the outbox in seq order. While PostgreSQL is unreachable it retries with
 * exponential backoff and jitter; changes keep waiting in the outbox, which
 * survives restarts. A schema mismatch stops sending until it is resolved.
 */
export class SyncService {
  private readonly options: Required<Omit<SyncOptions, 'random'>> & { random: () => number }
  private loop: Promise<void> | null = null
  private active = false
  private wake: (() => void) | null = null
  private session: CentralSession | null = null
  private state: RuntimeState = 'off'
  private nextRetryAt: string | null = null
  private attempt = 0
  private lastEventAt = 0
  private eventTimer: NodeJS.Timeout | null = null

  constructor(
    private readonly context: () => SyncHost,
    options: SyncOptions = {},
  ) {
    this.options = { ...DEFAULTS, random: Math.random, ...options }
  }

  private get ctx(): SyncHost {
    return this.context()
  }

  private dbReady(): boolean {
    return this.ctx.db.open && this.ctx.startupMigration.state === 'ok'
  }

  /** At launch and after a restore: carries on where the desk left off, if it replicates at all. */
  start(): void {
    if (!this.dbReady()) return
    const saved = readSyncState(this.ctx.db)
    if (!saved.capture) return this.setState('off')
    if (saved.paused) return this.setState('paused')
    this.ensureLoop()
  }

  /** Starts replicating to the saved connection; another central database than before starts with a full copy. */
  async enable(actor: string): Promise<SyncStatusView> {
    const central = await this.requireTarget()
    enableCapture(this.ctx.db, central.target)
    this.ensureLoop()
    this.poke()
    return this.audited(actor, 'sync_start', (status) => ({ target: status.target }))
  }

  async pause(actor: string): Promise<SyncStatusView> {
    this.requireEnabled()
    writeSyncState(this.ctx.db, { paused: true })
    await this.stop()
    this.setState('paused')
    return this.audited(actor, 'sync_pause', (status) => ({ target: status.target, waiting: status.lagRows }))
  }

  async resume(actor: string): Promise<SyncStatusView> {
    this.requireEnabled()
    writeSyncState(this.ctx.db, { paused: false })
    this.attempt = 0
    this.ensureLoop()
    this.poke()
    return this.audited(actor, 'sync_resume', (status) => ({ target: status.target, waiting: status.lagRows }))
  }

  /** Who turned replication on, off or back on, with what was waiting at that moment. */
  private async audited(
    actor: string,
    action: string,
    details: (status: SyncStatusView) => Record<string, unknown>,
  ): Promise<SyncStatusView> {
    const status = this.status()
    await this.ctx.store.auditLog.record({ userId: null, actor, subject: 'settings', action, details: details(status) })
    return status
  }

  /** The connection changed in Settings: reconnect with it. */
  reconnect(): void {
    void this.closeSession()
    this.attempt = 0
    this.poke()
  }

  status(): SyncStatusView {
    if (!this.dbReady()) {
      return {
        state: this.state,
        connected: false,
        target: null,
        paused: false,
        lagRows: 0,
        oldestQueuedAt: null,
        lastSuccessAt: null,
        lastError: null,
        lastErrorAt: null,
        nextRetryAt: null,
        initialCopy: { done: false, copied: 0, total: 0, table: null, doneAt: null },
        verification: null,
      }
    }
    const saved = readSyncState(this.ctx.db)
    const lag = outboxLag(this.ctx.db)
    return {
      state: !saved.capture
        ? 'off'
        : saved.paused
          ? 'paused'
          : this.state === 'off'
            ? this.stateFromRecord(saved, lag.rows)
            : this.state,
      connected: this.session !== null,
      target: saved.target,
      paused: saved.paused,
      lagRows: lag.rows,
      oldestQueuedAt: lag.oldestQueuedAt,
      lastSuccessAt: saved.lastSuccessAt,
      lastError: saved.lastError,
      lastErrorAt: saved.lastErrorAt,
      nextRetryAt: this.state === 'retrying' || this.state === 'blocked' ? this.nextRetryAt : null,
      initialCopy: {
        done: saved.initialDoneAt !== null,
        copied: saved.initialCopied,
        total: saved.initialTotal,
        table: saved.initialTable,
        doneAt: saved.initialDoneAt,
      },
      verification: saved.verification ? (JSON.parse(saved.verification) as SyncVerification) : null,
    }
  }

  /** Without a running loop (the CLI, or before the first attempt), the state as the last attempt left it. */
  private stateFromRecord(saved: SyncState, lagRows: number): RuntimeState {
    if (saved.lastError && (!saved.lastSuccessAt || saved.lastErrorAt! > saved.lastSuccessAt)) return 'retrying'
    if (!saved.initialDoneAt) return 'copying'
    return lagRows > 0 ? 'syncing' : 'idle'
  }

  /** Row counts and checksums of every replicated table on both sides, on a connection of its own. */
  async verify(): Promise<SyncVerification> {
    this.requireEnabled()
    const session = await this.openSession()
    try {
      const verification = await verifyAgainstCentral(this.ctx.db, session.client, session.columns)
      writeSyncState(this.ctx.db, { verification: JSON.stringify(verification) })
      this.emitStatus(true)
      return verification
    } finally {
      await session.close()
    }
  }

  /**
   * Sends everything now and returns when the outbox is empty (the CLI's
   * `sync run`); starts replicating to `central` (by default the saved
   * connection) when the desk does not yet.
   */
  async drain(
    central?: CentralTarget,
    onProgress: (progress: DrainProgress) => void = () => {},
  ): Promise<{ copied: number; sent: number }> {
    const target = central ?? (await this.requireTarget())
    enableCapture(this.ctx.db, target.target)
    const session = await this.openSession(target)
    try {
      const before = readSyncState(this.ctx.db).initialCopied
      this.setState('copying')
      const onPage = (page: InitialCopyProgress) => {
        this.emitStatus()
        onProgress({ phase: 'copy', copied: page.copied, total: page.total })
      }
      await runInitialCopy(this.ctx.db, session.client, session.writer, {
        pageSize: this.options.batchSize,
        onProgress: onPage,
        shouldStop: () => false,
      })
      const copied = readSyncState(this.ctx.db).initialCopied - before
      this.setState('syncing')
      let sentSoFar = 0
      const onBatch = (entries: number) => {
        this.succeeded()
        sentSoFar += entries
        onProgress({ phase: 'outbox', sent: sentSoFar })
      }
      const sent = await drainOutbox(this.ctx.db, session.client, session.writer, {
        batchSize: this.options.batchSize,
        onBatch,
      })
      this.setState('idle')
      return { copied, sent }
    } catch (error) {
      this.recordError(error)
      throw new Error(describeFailure(error), { cause: error })
    } finally {
      await session.close()
    }
  }

  /** Stops the loop and closes the connection; the outbox keeps whatever was not sent. */
  async stop(): Promise<void> {
    this.active = false
    this.poke()
    // Closing first aborts a batch in flight: its central transaction rolls back and its entries stay in the outbox.
    await this.closeSession()
    await this.loop
  }

  private requireEnabled(): void {
    if (!this.dbReady()) throw new Refusal('unavailable', 'The database is not ready yet.')
    if (!readSyncState(this.ctx.db).capture)
      throw new Refusal('conflict', 'Sync is not started: connect a central database and start sync first.')
  }

  private async requireTarget(): Promise<CentralTarget> {
    if (!this.dbReady()) throw new Refusal('unavailable', 'The database is not ready yet.')
    const central = await savedCentralTarget(this.ctx.store, this.ctx.secrets)
    if (!central) throw new Refusal('not_found', 'No PostgreSQL connection is saved yet; set one up in Settings.')
    return central
  }

  /**
   * A connection of its own to the saved central database (or `central`),
   * schema checked; failures come back in plain words: a schema mismatch as a
   * conflict, anything else as unavailable.
   */
  async openSession(central?: CentralTarget, applicationName?: string): Promise<CentralSession> {
    const target = central ?? (await this.requireTarget())
    try {
      return await openCentralSession(target, localSchemaVersion(this.ctx.db), applicationName)
    } catch (error) {
      if (error instanceof Refusal) throw error
      throw new Refusal(error instanceof SchemaMismatchError ? 'conflict' : 'unavailable', describeFailure(error))
    }
  }

  private ensureLoop(): void {
    if (this.loop) return
    this.active = true
    this.loop = this.run().finally(() => {
      this.loop = null
    })
  }

  private async run(): Promise<void> {
    while (this.active) {
      if (!this.dbReady()) {
        await this.sleep(this.options.idleMs)
        continue
      }
      const saved = readSyncState(this.ctx.db)
      if (!saved.capture || saved.paused) {
        this.setState(saved.capture ? 'paused' : 'off')
        break
      }
      try {
        const session = await this.connected()
        if (!saved.initialDoneAt) {
          this.setState('copying')
          await runInitialCopy(this.ctx.db, session.client, session.writer, {
            pageSize: this.options.batchSize,
            onProgress: () => this.succeeded(),
            shouldStop: () => !this.active || readSyncState(this.ctx.db).paused,
          })
          continue
        }
        const drain = () =>
          drainOutbox(this.ctx.db, session.client, session.writer, {
            batchSize: this.options.batchSize,
            shouldStop: () => !this.active || readSyncState(this.ctx.db).paused,
            onBatch: () => {
              this.setState('syncing')
              this.succeeded()
            },
          })
        // A pass with changes to send is a recorded task; the idle polls between them are not.
        if (outboxLag(this.ctx.db).rows > 0) await recordTaskRun(this.ctx, 'sync_batch', drain)
        else await drain()
        if (!this.active) break
        this.setState('idle')
        await this.sleep(this.options.idleMs)
      } catch (error) {
        await this.closeSession()
        if (!this.active) break
        const blocked = error instanceof SchemaMismatchError
        this.attempt++
        const ceiling = Math.min(
          this.options.backoffMaxMs,
          this.options.backoffBaseMs * 2 ** Math.min(this.attempt - 1, 20),
        )
        // Full jitter between half and all of the ceiling, so desks do not retry in step.
        const delay = blocked ? this.options.blockedRecheckMs : Math.round(ceiling * (0.5 + this.options.random() / 2))
        this.nextRetryAt = new Date(Date.now() + delay).toISOString()
        if (this.dbReady()) this.recordError(error)
        this.setState(blocked ? 'blocked' : 'retrying')
        await this.sleep(delay)
      }
    }
  }

  private async connected(): Promise<CentralSession> {
    if (this.session) return this.session
    this.setState('connecting')
    const central = await savedCentralTarget(this.ctx.store, this.ctx.secrets)
    if (!central) throw new Error('No PostgreSQL connection is saved; set one up in Settings.')
    // Settings now point at another database: it gets the whole history first, not just what changes from now on.
    if (central.target !== readSyncState(this.ctx.db).target) enableCapture(this.ctx.db, central.target)
    const session = await openCentralSession(central, localSchemaVersion(this.ctx.db))
    this.session = session
    return session
  }

  private async closeSession(): Promise<void> {
    const session = this.session
    this.session = null
    await session?.close()
  }

  private succeeded(): void {
    this.attempt = 0
    this.nextRetryAt = null
    writeSyncState(this.ctx.db, { lastSuccessAt: new Date().toISOString(), lastError: null, lastErrorAt: null })
    this.emitStatus()
  }

  private recordError(error: unknown): void {
    writeSyncState(this.ctx.db, { lastError: describeFailure(error), lastErrorAt: new Date().toISOString() })
  }

  private setState(state: RuntimeState): void {
    if (this.state === state) return
    this.state = state
    this.emitStatus(true)
  }

  /** Status events at most twice a second, and always the last one. */
  private emitStatus(now = false): void {
    const send = () => {
      this.eventTimer = null
      this.lastEventAt = Date.now()
      if (this.dbReady()) this.ctx.events.emit('sync:status', this.status())
    }
    if (now || Date.now() - this.lastEventAt >= STATUS_EVENT_EVERY_MS) {
      if (this.eventTimer) clearTimeout(this.eventTimer)
      send()
    } else if (!this.eventTimer) {
      this.eventTimer = setTimeout(send, STATUS_EVENT_EVERY_MS)
      this.eventTimer.unref()
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null
        resolve()
      }, ms)
      timer.unref()
      this.wake = () => {
        clearTimeout(timer)
        this.wake = null
        resolve()
      }
    })
  }

  private poke(): void {
    this.wake?.()
  }
}

/** The replication state of a desk, read without its lock (the app may be running) and without changing a byte. */
export function readSyncStatus(dataDir: string): SyncStatusView {
  const db = openSqlite(requireDatabase(dataDir), { readonly: true })
  try {
    const host: SyncHost = {
      db,
      store: createStore(sqliteStoreDb(db)),
      secrets: keyFileSecretBox(dataDir),
      events: new CoreEvents(),
      startupMigration: { state: 'ok', applied: [], backupPath: null },
    }
    return new SyncService(() => host).status()
  } finally {
    db.close()
  }
}
