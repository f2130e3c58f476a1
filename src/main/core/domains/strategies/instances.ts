import type { ParsedInput } from '../../../../shared/contract'
import {
  defaultInstanceName,
  humanActor,
  INSTANCE_NAME_MAX,
  type StrategyLogEntry,
  type StrategyView,
} from '../../../../shared/domain'
import type { CoreEvents } from '../../platform/events'
import type { StrategyInstance } from '../../platform/store/repositories/strategies'
import type { Store } from '../../platform/store/store'
import { configSchemaOf, type AnyStrategyKind } from './kinds/kind'
import { TIMEFRAME_MS, type Timeframe } from './feeds/feed'
import type { KindRegistry } from './kinds/registry'
import type { StrategyRuntime } from './runtime'
import { StrategyError } from './strategy-error'
import { requireLiveConfirmation } from './live-confirmation'
import { EXCHANGE_IDS, EXCHANGES, type ExchangeId } from '../exchanges/registry'
import type { ExchangeCapabilities } from '../../../../shared/domain'
import { issuesInWords } from '../../platform/calls/issues-in-words'

function parseConfig(kind: AnyStrategyKind, config: Record<string, unknown>): Record<string, unknown> {
  const parsed = configSchemaOf(kind).safeParse(config)
  if (!parsed.success) {
    throw new StrategyError(
      'invalid_input',
      `The ${kind.label} settings are not valid. ${issuesInWords(parsed.error.issues).message}`,
      issuesInWords(parsed.error.issues).issues,
    )
  }
  return parsed.data as Record<string, unknown>
}

/** Paper trades on paper; an exchange trades on its testnet or live, where Tradedeck's order path for it is verified. */
function checkVenue(
  input: { broker: string; environment: string; instrument: string },
  config: Record<string, unknown>,
): void {
  if (input.broker === 'paper') {
    if (input.environment !== 'paper')
      throw new StrategyError('invalid_input', 'The paper broker trades on paper only.', [
        { path: ['environment'], message: 'choose paper' },
      ])
    return
  }
  const exchange = EXCHANGES[input.broker as ExchangeId] as ExchangeCapabilities | undefined
  if (!exchange)
    throw new StrategyError(
      'invalid_input',
      `There is no broker named ${input.broker}: choose paper or one of ${EXCHANGE_IDS.join(', ')}.`,
      [{ path: ['broker'], message: 'choose a listed broker' }],
    )
  if (!exchange.placesOrders) {
    const verified = Object.values(EXCHANGES)
      .filter((candidate) => candidate.placesOrders)
      .map((candidate) => candidate.label)
    throw new StrategyError(
      'invalid_input',
      `Tradedeck does not place orders on ${exchange.label} yet: its order path is not verified. ${verified.join(' and ')} ${verified.length === 1 ? 'is' : 'are'}.`,
      [{ path: ['broker'], message: `choose ${verified.join(', ')} or paper` }],
    )
  }
  if (input.environment === 'paper')
    throw new StrategyError(
      'invalid_input',
      `${exchange.label} trades on testnet or live; for paper, choose the paper broker.`,
      [{ path: ['environment'], message: 'choose testnet or live' }],
    )
  if (TIMEFRAME_MS[config.timeframe as Timeframe] < TIMEFRAME_MS['1m'])
    throw new StrategyError(
      'invalid_input',
      `${exchange.label} has no candles shorter than a minute; the shortest is 1m.`,
      [{ path: ['config', 'timeframe'], message: 'choose 1m or longer' }],
    )
}

export interface StrategyInstancesDeps {
  store: () => Store
  events: CoreEvents
  kinds: KindRegistry
  runtime: () => StrategyRuntime
}

/**
 * A trader's strategy instances as things to set up: create, change settings,
 * delete, with the rules that guard each, its audit row in the same
 * transaction, and the event every window refreshes on. Running them is the
 * runtime's job.
 */
export class StrategyInstances {
  constructor(private readonly deps: StrategyInstancesDeps) {}

  private get store(): Store {
    return this.deps.store()
  }

  view(instance: StrategyInstance): StrategyView {
    const runtime = this.deps.runtime()
    return {
      ...instance,
      kindLabel: this.deps.kinds.get(instance.strategyName)?.label ?? instance.strategyName,
      stale: runtime.isStale(instance),
      retryAt: runtime.retryAt(instance.id),
      heartbeatIntervalMs: runtime.heartbeatMs,
    }
  }

  async list(userId: string): Promise<StrategyView[]> {
    return (await this.store.strategies.list(userId)).map((instance) => this.view(instance))
  }

  private async load(userId: string, id: string): Promise<StrategyInstance> {
    const instance = await this.store.strategies.get(userId, id)
    if (!instance) throw new StrategyError('not_found', 'No such strategy instance.')
    if (instance.archivedAt)
      throw new StrategyError('not_found', `${instance.name} was deleted; its decision history is kept.`)
    return instance
  }

  /** Kind, symbol and candle length; where another instance has that name, its venue too, then a number. */
  private async freeDefaultName(
    userId: string,
    kind: AnyStrategyKind,
    input: { instrument: string; broker: string; environment: string },
    config: Record<string, unknown>,
  ): Promise<string> {
    const taken = new Set((await this.store.strategies.list(userId)).map((other) => other.name.toLowerCase()))
    const base = defaultInstanceName(kind.label, input.instrument, config.timeframe)
    const withVenue = `${base} (${input.broker} ${input.environment})`.slice(0, INSTANCE_NAME_MAX - 3)
    for (const candidate of [base, withVenue, ...Array.from({ length: 98 }, (_, i) => `${withVenue} ${i + 2}`)])
      if (!taken.has(candidate.toLowerCase())) return candidate
    return withVenue
  }

  /** Names are the trader's handle on an instance, so two in use never share one. */
  private async requireFreeName(userId: string, name: string, exceptId: string | null): Promise<void> {
    const taken = (await this.store.strategies.list(userId)).some(
      (other) => other.id !== exceptId && other.name.toLowerCase() === name.toLowerCase(),
    )
    if (taken)
      throw new StrategyError('conflict', `There is already an instance named ${name}; choose another name.`, [
        { path: ['name'], message: 'choose another name' },
      ])
  }

  private kindFor(name: string): AnyStrategyKind {
    const kind = this.deps.kinds.get(name)
    if (!kind)
      throw new StrategyError('invalid_input', `There is no strategy kind named ${name}.`, [
        { path: ['strategyName'], message: 'choose one of the listed kinds' },
      ])
    return kind
  }

  async create(userId: string, input: ParsedInput<'strategies:create'>): Promise<StrategyView> {
    const kind = this.kindFor(input.strategyName)
    const config = parseConfig(kind, input.config)
    checkVenue(input, config)
    if (input.environment === 'live') requireLiveConfirmation(input, input.confirmation)
    const name = input.name ?? (await this.freeDefaultName(userId, kind, input, config))
    await this.requireFreeName(userId, name, null)
    const created = await this.store.transaction(async (tx) => {
      const instance = await tx.strategies.create(userId, {
        name,
        strategyName: kind.name,
        instrument: input.instrument,
        broker: input.broker,
        environment: input.environment,
        config,
      })
      await tx.auditLog.record({
        userId,
        actor: humanActor(userId),
        subject: 'strategy',
        action: 'create',
        details: { strategyId: instance.id, name, kind: kind.name, instrument: input.instrument, config },
      })
      return instance
    })
    this.deps.events.emit('strategies:changed', { strategyId: created.id })
    return this.view(created)
  }

  /** A new name applies at any time; new settings only while the instance is not running. */
  async update(
    userId: string,
    id: string,
    change: { name?: string | undefined; config?: Record<string, unknown> | undefined },
  ): Promise<StrategyView> {
    const instance = await this.load(userId, id)
    if (change.config && instance.status === 'active')
      throw new StrategyError('conflict', 'Stop or pause the instance before changing its settings.')
    const parsed = change.config ? parseConfig(this.kindFor(instance.strategyName), change.config) : undefined
    if (parsed) checkVenue(instance, parsed)
    if (change.name !== undefined) await this.requireFreeName(userId, change.name, id)
    const updated = await this.store.transaction(async (tx) => {
      const row = await tx.strategies.update(userId, id, {
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(parsed ? { config: parsed } : {}),
      })
      await tx.auditLog.record({
        userId,
        actor: humanActor(userId),
        subject: 'strategy',
        action: 'update_config',
        details: {
          strategyId: id,
          ...(change.name !== undefined ? { name: { from: instance.name, to: change.name } } : {}),
          ...(parsed ? { from: instance.config, to: parsed } : {}),
        },
      })
      return row as StrategyInstance
    })
    this.deps.events.emit('strategies:changed', { strategyId: id })
    return this.view(updated)
  }

  /**
   * A stopped instance leaves the list. Decision history is kept for good, so an instance with
   * any is archived (its rows keep naming it); one without is removed.
   */
  async delete(userId: string, id: string): Promise<{ deleted: true; archived: boolean }> {
    const instance = await this.load(userId, id)
    if (instance.status === 'active' || instance.status === 'paused')
      throw new StrategyError('conflict', 'Stop the instance before deleting it.')
    const archived = (await this.store.decisions.query(userId, { strategyId: id }, { limit: 1 })).rows.length > 0
    await this.store.transaction(async (tx) => {
      if (archived)
        await tx.strategies.update(userId, id, { archivedAt: new Date().toISOString(), autoReconnect: false })
      else await tx.strategies.delete(userId, id)
      await tx.auditLog.record({
        userId,
        actor: humanActor(userId),
        subject: 'strategy',
        action: archived ? 'archive' : 'delete',
        details: { strategyId: id, name: instance.name, kind: instance.strategyName, instrument: instance.instrument },
      })
    })
    this.deps.events.emit('strategies:changed', { strategyId: id })
    return { deleted: true, archived }
  }

  /** Every instance the profile ever had, archived ones too: Decision History names them all. */
  async names(userId: string): Promise<{ id: string; name: string; archived: boolean }[]> {
    return (await this.store.strategies.list(userId, { includeArchived: true })).map((instance) => ({
      id: instance.id,
      name: instance.name,
      archived: instance.archivedAt !== null,
    }))
  }

  async logs(
    userId: string,
    id: string,
    options: { limit?: number | undefined; minLevel?: StrategyLogEntry['level'] | undefined },
  ): Promise<StrategyLogEntry[]> {
    await this.load(userId, id)
    const logs = await this.store.serviceLogs.forStrategy(userId, id, {
      ...(options.limit ? { limit: options.limit } : {}),
      ...(options.minLevel ? { minLevel: options.minLevel } : {}),
    })
    return logs.map(({ id: logId, level, message, ts }) => ({ id: logId, level, message, ts }))
  }
}
