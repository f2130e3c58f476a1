import { Worker } from 'node:worker_threads'
import type { CoreEvents } from '../../platform/events'
import type { Store } from '../../platform/store/store'
import type { StrategyInstance } from '../../platform/store/repositories/strategies'
import type { TradingDesks } from '../trading/trading-desks'
import { backoffDelay } from './backoff'
import { CandleProcessor } from './candle-processor'
import { prepareFeed, tradesOnExchange } from './instance-feed'
import { requireLiveConfirmation, requireLiveLimits } from './live-confirmation'
import { followLiveCandles, type LiveCandles } from '../market-data/live-candles'
import type { DOWNLOAD_TIMEFRAMES } from '../../../../shared/contract'
import type { ExchangeId } from '../exchanges/registry'
import type { Venue } from '../trading/venue'
import { configSchemaOf, type AnyStrategyKind, type CommonConfig } from './kinds/kind'
import type { KindRegistry } from './kinds/registry'
import { StrategyError } from './strategy-error'
import type { WorkerEntry } from './worker-entry'
import type { FromWorker, WorkerStart } from './worker/protocol'
import { errorMessage } from '../../../../shared/errors'
import { humanActor, PAUSED_AFTER_RESTORE } from '../../../../shared/domain'
import { announceLater } from '../notifications/notifier'
import { issuesInWords } from '../../platform/calls/issues-in-words'

export interface StrategyRuntimeOptions {
  store: () => Store
  trading: TradingDesks
  events: CoreEvents
  kinds: KindRegistry
  /** Null in a process that serves no trader (the command line): it never starts an instance. */
  worker: WorkerEntry | null
  /** Modules with extra kinds, loaded in every worker too. */
  kindModules?: string[]
  heartbeatMs?: number
  maxConsecutiveFailures?: number
  backoffBaseMs?: number
  backoffMaxMs?: number
  now?: () => Date
}

export const DEFAULT_HEARTBEAT_MS = 30_000

const DEFAULT_MAX_FAILURES = 5
/** Heartbeats missed before an instance is shown as stale. */
const STALE_AFTER_BEATS = 3

type Actor = { kind: 'human'; userId: string } | { kind: 'system' }
const actorOf = (actor: Actor) => (actor.kind === 'human' ? humanActor(actor.userId) : ('system' as const))

interface Running {
  userId: string
  strategyId: string
  instrument: string
  kind: AnyStrategyKind
  config: CommonConfig & Record<string, unknown>
  series: string
  venue: Venue
  worker: Worker | null
  /** Candles from the exchange for an instance that trades on one; null for paper. */
  liveCandles: LiveCandles | null
  /** Bumped whenever a worker is replaced, so late messages from an old one are ignored. */
  generation: number
  queue: Promise<void>
  consecutiveFailures: number
  retryTimer: NodeJS.Timeout | null
  retryAt: string | null
  stopping: boolean
}

/**
 * Runs strategy instances, each in its own worker thread: a strategy that
 * throws or spins cannot stall the others, the core or the UI. The main thread
 * owns the database: it stores each batch of candles, lets the paper broker
 * see them, and routes the ideas through the trading service.
 */
export class StrategyRuntime {
  private readonly running = new Map<string, Running>()
  /** Starts under way: two windows pressing Start together must not spawn two workers. */
  private readonly starting = new Set<string>()
  private readonly now: () => Date
  private readonly processor: CandleProcessor
  readonly heartbeatMs: number

  constructor(private readonly options: StrategyRuntimeOptions) {
    this.now = options.now ?? (() => new Date())
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS
    this.processor = new CandleProcessor({
      store: options.store,
      trading: options.trading,
      events: options.events,
      now: this.now,
    })
  }

  private get store(): Store {
    return this.options.store()
  }

  private async load(userId: string, strategyId: string): Promise<StrategyInstance> {
    const instance = await this.store.strategies.get(userId, strategyId)
    if (!instance) throw new StrategyError('not_found', 'No such strategy instance for this user.')
    if (instance.archivedAt)
      throw new StrategyError('not_found', `${instance.name} was deleted; its decision history is kept.`)
    return instance
  }

  kindOf(instance: StrategyInstance): AnyStrategyKind {
    const kind = this.options.kinds.get(instance.strategyName)
    if (!kind) throw new StrategyError('conflict', `This app has no strategy kind named ${instance.strategyName}.`)
    return kind
  }

  private configOf(instance: StrategyInstance, kind: AnyStrategyKind): CommonConfig & Record<string, unknown> {
    const parsed = configSchemaOf(kind).safeParse(instance.config)
    if (!parsed.success)
      throw new StrategyError(
        'conflict',
        `The saved settings of this instance are no longer valid. ${issuesInWords(parsed.error.issues).message} Edit them, then start again.`,
      )
    return parsed.data as CommonConfig & Record<string, unknown>
  }

  /** Whether the instance is meant to run but has not beaten for three intervals. */
  isStale(instance: StrategyInstance): boolean {
    if (instance.status !== 'active') return false
    const last = instance.lastHeartbeat ?? instance.connectedAt
    return last === null || this.now().getTime() - Date.parse(last) > STALE_AFTER_BEATS * this.heartbeatMs
  }

  retryAt(strategyId: string): string | null {
    return this.running.get(strategyId)?.retryAt ?? null
  }

  isRunning(strategyId: string): boolean {
    return this.running.get(strategyId)?.worker != null
  }

  /** Starts (or resumes) an instance: the row, its decision row and a worker. */
  async start(
    userId: string,
    strategyId: string,
    actor: Actor,
    how: 'started' | 'resumed' | 'resumed_after_restart' = 'started',
    confirmation?: string,
  ): Promise<StrategyInstance> {
    if (!this.options.worker)
      throw new StrategyError('conflict', 'This process runs no strategies; start them from the app.')
    const instance = await this.load(userId, strategyId)
    if (this.running.has(strategyId)) return instance
    // A person starting a live instance types what it trades; the app resuming one the trader started does not ask again.
    if (instance.environment === 'live' && actor.kind === 'human') requireLiveConfirmation(instance, confirmation)
    if (instance.environment === 'live')
      requireLiveLimits(await this.options.trading.for(userId).risk.config(userId, this.store))
    if (this.starting.has(strategyId))
      throw new StrategyError('conflict', 'This instance is being started already; it will be active in a moment.')
    this.starting.add(strategyId)
    try {
      return await this.startOnce(userId, strategyId, instance, actor, how)
    } finally {
      this.starting.delete(strategyId)
    }
  }

  private async startOnce(
    userId: string,
    strategyId: string,
    instance: StrategyInstance,
    actor: Actor,
    how: 'started' | 'resumed' | 'resumed_after_restart',
  ): Promise<StrategyInstance> {
    const kind = this.kindOf(instance)
    const config = this.configOf(instance, kind)
    const at = this.now().toISOString()
    const venue: Venue = { broker: instance.broker, environment: instance.environment }
    const run: Running = {
      userId,
      strategyId,
      instrument: instance.instrument,
      kind,
      config,
      series: '',
      venue,
      worker: null,
      liveCandles: null,
      generation: 0,
      queue: Promise.resolve(),
      consecutiveFailures: 0,
      retryTimer: null,
      retryAt: null,
      stopping: false,
    }
    if (tradesOnExchange(instance)) await this.reconcileBeforeStart(userId, instance)
    const workerStart = await this.workerStart(run, instance)
    const rationale = {
      started: 'Started by the trader.',
      resumed: 'Resumed by the trader after a pause.',
      resumed_after_restart: 'Resumed by itself after the app restarted.',
    }[how]
    const updated = await this.store.transaction(async (tx) => {
      const row = await tx.strategies.update(userId, strategyId, {
        status: 'active',
        lastAction: how,
        autoReconnect: true,
        connectedAt: at,
        disconnectedAt: null,
        lastHeartbeat: null,
        ...(how === 'started' ? { errorMessage: null, errorCount: 0 } : {}),
      })
      await tx.decisions.append(userId, {
        action: 'strategy_started',
        actor: actorOf(actor),
        symbol: instance.instrument,
        strategyId,
        rationale,
        occurredAt: at,
      })
      await tx.serviceLogs.append({
        userId,
        strategyId,
        level: 'info',
        message: `${rationale} Feed: ${config.feed}, ${config.timeframe} candles.`,
      })
      return row as StrategyInstance
    })
    this.running.set(strategyId, run)
    this.spawn(run, workerStart)
    this.changed(strategyId)
    return updated
  }

  private async workerStart(run: Running, instance: StrategyInstance): Promise<WorkerStart> {
    const prepared = await prepareFeed(this.store, instance, run.config, this.now())
    run.series = prepared.series
    return {
      strategyId: run.strategyId,
      kind: run.kind.name,
      config: run.config,
      kindModules: this.options.kindModules ?? [],
      feed: prepared.feed,
      warmup: prepared.warmup,
      heartbeatMs: this.heartbeatMs,
    }
  }

  /** The exchange is the truth: before an instance trades on it, the desk's orders and positions there are made to match. */
  private async reconcileBeforeStart(userId: string, instance: StrategyInstance): Promise<void> {
    try {
      const report = await this.options.trading
        .exchangeBrokerFor(userId, instance.broker as ExchangeId, instance.environment as 'testnet' | 'live')
        .reconcile()
      const skew = `The exchange's clock is ${Math.abs(report.clockSkewMs)} ms ${report.clockSkewMs >= 0 ? 'ahead of' : 'behind'} this machine's.`
      await this.store.serviceLogs.append({
        userId,
        strategyId: instance.id,
        level: Math.abs(report.clockSkewMs) > 1000 ? 'warn' : 'info',
        message: `Reconciled with ${instance.broker} ${instance.environment}: ${report.differences.length === 0 ? 'the desk and the exchange agree.' : report.differences.join(' ')} ${skew}`,
      })
    } catch (error) {
      throw new StrategyError(
        'conflict',
        `Could not reconcile with ${instance.broker} ${instance.environment} before starting, so it was not started: ${errorMessage(error)}`,
      )
    }
  }

  /** Follows the exchange's closed candles (streamed, or polled) into the instance's current worker; a reconnect also reconciles the venue. */
  private followExchange(run: Running, start: WorkerStart, generation: number): void {
    const last = start.warmup.at(-1)?.ts ?? null
    const historyStart = new Date(this.now().getTime() - run.config.history * start.feed.intervalMs).toISOString()
    run.liveCandles = followLiveCandles({
      exchange: run.venue.broker as ExchangeId,
      environment: run.venue.environment as 'testnet' | 'live',
      instrument: run.instrument,
      timeframe: run.config.timeframe as (typeof DOWNLOAD_TIMEFRAMES)[number],
      after: last && last > historyStart ? last : null,
      history: run.config.history,
      deliver: async (candles) => {
        if (run.generation === generation) run.worker?.postMessage({ type: 'candles', candles })
      },
      onStatus: (event) => {
        const message =
          event.kind === 'lost'
            ? `Lost the connection to ${run.venue.broker}: ${event.message}. Retrying.`
            : `Reconnected to ${run.venue.broker}; ${event.backfilled} missed candles were fetched before the next live one.`
        void this.store.serviceLogs
          .append({
            userId: run.userId,
            strategyId: run.strategyId,
            level: event.kind === 'lost' ? 'warn' : 'info',
            message,
          })
          .catch(() => undefined)
        if (event.kind === 'restored')
          void this.options.trading
            .exchangeBrokerFor(run.userId, run.venue.broker as ExchangeId, run.venue.environment as 'testnet' | 'live')
            .reconcile()
            .catch(() => undefined)
      },
    })
  }

  private spawn(run: Running, start: WorkerStart): void {
    const generation = ++run.generation
    const entry = this.options.worker as WorkerEntry
    const worker = new Worker(entry.path, {
      workerData: start,
      execArgv: entry.execArgv,
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    })
    run.worker = worker
    run.retryAt = null
    run.liveCandles?.stop()
    run.liveCandles = null
    if (start.feed.source === 'pushed') this.followExchange(run, start, generation)
    const current = () => run.generation === generation && !run.stopping
    worker.on('message', (message: FromWorker) => {
      if (!current()) return
      run.queue = run.queue
        .then(() => (current() ? this.onMessage(run, worker, message) : undefined))
        .catch((error: unknown) =>
          this.onFault(run, generation, {
            message: `Handling its output failed: ${errorMessage(error)}`,
            stack: error instanceof Error ? (error.stack ?? null) : null,
            candleTs: null,
          }),
        )
    })
    worker.on('error', (error) => {
      run.queue = run.queue.then(() =>
        this.onFault(run, generation, { message: error.message, stack: error.stack ?? null, candleTs: null }),
      )
    })
    worker.on('exit', (code) => {
      if (!current()) return
      run.queue = run.queue.then(() =>
        this.onFault(run, generation, {
          message: `The strategy's worker exited unexpectedly (code ${code}).`,
          stack: null,
          candleTs: null,
        }),
      )
    })
  }

  private async onMessage(run: Running, worker: Worker, message: FromWorker): Promise<void> {
    switch (message.type) {
      case 'batch':
        await this.processor.process(run, message.items)
        if (run.consecutiveFailures > 0) run.consecutiveFailures = 0
        worker.postMessage({ type: 'ack' })
        return
      case 'heartbeat':
        await this.store.strategies.update(run.userId, run.strategyId, { lastHeartbeat: message.at })
        this.options.events.emit('strategies:heartbeat', { strategyId: run.strategyId, at: message.at })
        return
      case 'finished':
        await this.store.serviceLogs.append({
          userId: run.userId,
          strategyId: run.strategyId,
          level: 'info',
          message: 'The instance has seen the last imported candle; it waits for more.',
        })
        return
      case 'fault':
        await this.onFault(run, run.generation, message)
        return
    }
  }

  private async onFault(
    run: Running,
    generation: number,
    fault: { message: string; stack: string | null; candleTs: string | null },
  ): Promise<void> {
    if (run.generation !== generation || run.stopping) return
    run.generation++
    const worker = run.worker
    run.worker = null
    run.liveCandles?.stop()
    run.liveCandles = null
    await worker?.terminate()
    run.consecutiveFailures++
    const maxFailures = this.options.maxConsecutiveFailures ?? DEFAULT_MAX_FAILURES
    const givesUp = run.consecutiveFailures >= maxFailures
    const delay = backoffDelay(
      run.consecutiveFailures,
      this.options.backoffBaseMs ?? 1000,
      this.options.backoffMaxMs ?? 60_000,
    )
    const at = this.now().toISOString()
    await this.store.transaction(async (tx) => {
      const instance = await tx.strategies.get(run.userId, run.strategyId)
      await tx.errorLogs.append({
        userId: run.userId,
        strategyId: run.strategyId,
        message: fault.message,
        stack: fault.stack,
        context: { candleTs: fault.candleTs, consecutiveFailures: run.consecutiveFailures },
      })
      await tx.strategies.update(run.userId, run.strategyId, {
        errorCount: (instance?.errorCount ?? 0) + 1,
        errorMessage: fault.message,
        lastAction: givesUp ? 'failed' : 'retrying',
        ...(givesUp ? { status: 'error' as const, disconnectedAt: at } : {}),
      })
      const attempts = `${run.consecutiveFailures} of ${maxFailures}`
      await tx.serviceLogs.append({
        userId: run.userId,
        strategyId: run.strategyId,
        level: 'error',
        message: givesUp
          ? `Failed ${attempts} times in a row; stopped: ${fault.message}`
          : `Failed (${attempts}): ${fault.message}. Retrying in ${Math.round(delay / 1000)} s.`,
      })
      if (givesUp) {
        const rationale = `Stopped after ${run.consecutiveFailures} failures in a row. Last error: ${fault.message}`
        await tx.decisions.append(run.userId, {
          action: 'strategy_error',
          actor: 'system',
          symbol: run.instrument,
          strategyId: run.strategyId,
          rationale,
          occurredAt: at,
        })
        await tx.notifications.create(run.userId, {
          level: 'error',
          title: `${run.kind.label} on ${run.instrument} stopped after repeated errors`,
          body: rationale,
        })
      }
    })
    if (givesUp) {
      this.running.delete(run.strategyId)
      announceLater(this.store, this.options.events, run.userId, {
        event: 'strategy_error',
        title: `${run.kind.label} on ${run.instrument} stopped after repeated errors`,
        body: fault.message,
      })
    } else {
      run.retryAt = new Date(this.now().getTime() + delay).toISOString()
      run.retryTimer = setTimeout(() => void this.retry(run), delay)
    }
    this.changed(run.strategyId)
  }

  private async retry(run: Running): Promise<void> {
    run.retryTimer = null
    if (run.stopping || this.running.get(run.strategyId) !== run) return
    try {
      this.spawn(run, await this.workerStart(run, await this.load(run.userId, run.strategyId)))
      this.changed(run.strategyId)
    } catch (error) {
      await this.onFault(run, run.generation, {
        message: errorMessage(error),
        stack: error instanceof Error ? (error.stack ?? null) : null,
        candleTs: null,
      })
    }
  }

  /** Ends the worker (if any) and waits until nothing of it is still being written. */
  private async halt(strategyId: string): Promise<void> {
    const run = this.running.get(strategyId)
    if (!run) return
    run.stopping = true
    if (run.retryTimer) clearTimeout(run.retryTimer)
    run.liveCandles?.stop()
    await run.worker?.terminate()
    run.worker = null
    await run.queue.catch(() => undefined)
    this.running.delete(strategyId)
  }

  /** A manual stop: the instance stays stopped, also after a restart. */
  async stop(userId: string, strategyId: string, actor: Actor): Promise<StrategyInstance> {
    return this.wind(userId, strategyId, actor, {
      from: ['active', 'paused', 'error'],
      status: 'stopped',
      lastAction: 'stopped',
      autoReconnect: false,
      rationale: 'Stopped by the trader.',
    })
  }

  async pause(userId: string, strategyId: string, actor: Actor): Promise<StrategyInstance> {
    const instance = await this.load(userId, strategyId)
    if (instance.status !== 'active')
      throw new StrategyError('conflict', `Only a running instance can be paused; this one is ${instance.status}.`)
    return this.wind(userId, strategyId, actor, {
      from: ['active'],
      status: 'paused',
      lastAction: 'paused',
      autoReconnect: true,
      rationale: 'Paused by the trader.',
    })
  }

  async resume(userId: string, strategyId: string, actor: Actor, confirmation?: string): Promise<StrategyInstance> {
    const instance = await this.load(userId, strategyId)
    if (instance.status !== 'paused')
      throw new StrategyError('conflict', `Only a paused instance can be resumed; this one is ${instance.status}.`)
    return this.start(userId, strategyId, actor, 'resumed', confirmation)
  }

  private async wind(
    userId: string,
    strategyId: string,
    actor: Actor,
    to: {
      from: StrategyInstance['status'][]
      status: 'stopped' | 'paused'
      lastAction: string
      autoReconnect: boolean
      rationale: string
    },
  ): Promise<StrategyInstance> {
    const instance = await this.load(userId, strategyId)
    await this.halt(strategyId)
    if (instance.status === to.status) return instance
    const at = this.now().toISOString()
    const updated = await this.store.transaction(async (tx) => {
      // Read again inside the transaction: a stop and a pause sent together must not both win, the later one silently overwriting the first.
      const current = await tx.strategies.get(userId, strategyId)
      if (current?.status === to.status) return current
      if (!current || !to.from.includes(current.status)) {
        throw new StrategyError(
          'conflict',
          `Cannot ${to.lastAction === 'stopped' ? 'stop' : 'pause'} this instance: it is ${current?.status ?? 'gone'} now.`,
        )
      }
      const row = await tx.strategies.update(userId, strategyId, {
        status: to.status,
        lastAction: to.lastAction,
        autoReconnect: to.autoReconnect,
        disconnectedAt: at,
      })
      await tx.decisions.append(userId, {
        action: 'strategy_stopped',
        actor: actorOf(actor),
        symbol: instance.instrument,
        strategyId,
        rationale: to.rationale,
        occurredAt: at,
      })
      await tx.serviceLogs.append({ userId, strategyId, level: 'info', message: to.rationale })
      return row as StrategyInstance
    })
    this.changed(strategyId)
    return updated
  }

  /** A live instance that does not resume by itself: paused, with its reason in decision history, until the trader resumes it. */
  private async holdPaused(userId: string, instance: StrategyInstance, reason: string): Promise<void> {
    const at = this.now().toISOString()
    await this.store.transaction(async (tx) => {
      await tx.strategies.update(userId, instance.id, {
        status: 'paused',
        lastAction: PAUSED_AFTER_RESTORE,
        autoReconnect: true,
        disconnectedAt: at,
      })
      await tx.decisions.append(userId, {
        action: 'strategy_stopped',
        actor: 'system',
        symbol: instance.instrument,
        strategyId: instance.id,
        rationale: reason,
        occurredAt: at,
      })
    })
    this.changed(instance.id)
  }

  /**
   * On launch: every active instance with auto_reconnect, of every user on this
   * machine, starts again. One that cannot start is put in error on its own.
   */
  async resumeAll(options: { holdLive?: string } = {}): Promise<string[]> {
    const resumed: string[] = []
    for (const user of await this.store.users.list()) {
      for (const instance of await this.store.strategies.list(user.id, { status: 'active', autoReconnect: true })) {
        if (options.holdLive && instance.environment === 'live') {
          await this.holdPaused(user.id, instance, options.holdLive)
          continue
        }
        try {
          await this.start(user.id, instance.id, { kind: 'system' }, 'resumed_after_restart')
          resumed.push(instance.id)
        } catch (error) {
          const message = errorMessage(error)
          const at = this.now().toISOString()
          await this.store.transaction(async (tx) => {
            await tx.strategies.update(user.id, instance.id, {
              status: 'error',
              lastAction: 'resume_failed',
              errorMessage: message,
              errorCount: instance.errorCount + 1,
              disconnectedAt: at,
            })
            await tx.errorLogs.append({
              userId: user.id,
              strategyId: instance.id,
              message,
              stack: error instanceof Error ? (error.stack ?? null) : null,
            })
            await tx.decisions.append(user.id, {
              action: 'strategy_error',
              actor: 'system',
              symbol: instance.instrument,
              strategyId: instance.id,
              rationale: `Could not resume after the restart: ${message}`,
              occurredAt: at,
            })
          })
          this.changed(instance.id)
        }
      }
    }
    return resumed
  }

  /**
   * A graceful app shutdown: workers end, rows say when, and auto_reconnect
   * stays on (status stays active) so the next launch resumes them.
   */
  async shutdown(): Promise<void> {
    const runs = [...this.running.values()]
    await Promise.all(runs.map((run) => this.halt(run.strategyId)))
    const at = this.now().toISOString()
    for (const run of runs) {
      await this.store.transaction(async (tx) => {
        await tx.strategies.update(run.userId, run.strategyId, { lastAction: 'app_shutdown', disconnectedAt: at })
        await tx.decisions.append(run.userId, {
          action: 'strategy_stopped',
          actor: 'system',
          symbol: run.instrument,
          strategyId: run.strategyId,
          rationale: 'The app was closed; the instance resumes on the next launch.',
          occurredAt: at,
        })
      })
    }
  }

  /** Ends every worker without touching the database (it may already be closed). */
  async terminateAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.halt(id)))
  }

  private changed(strategyId: string): void {
    this.options.events.emit('strategies:changed', { strategyId })
  }
}
