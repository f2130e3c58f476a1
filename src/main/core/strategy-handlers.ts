import { ApiError } from '../../shared/errors'
import type { StrategyView } from '../../shared/domain'
import type { CoreContext } from './context'
import type { ChannelsOf, HandlerTable } from './dispatch'
import { profile } from './profile'
import type { StrategyInstance } from './store/repositories/strategies'
import { configSchemaOf, type AnyStrategyKind } from './strategies/kinds/kind'
import { KindRegistry } from './strategies/kinds/registry'
import { StrategyError } from './strategies/strategy-error'
import { humanActor } from '../../shared/domain'

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof StrategyError) throw new ApiError({ code: error.code, message: error.message, ...(error.issues.length ? { issues: error.issues } : {}) })
    throw error
  }
}

function parseConfig(kind: AnyStrategyKind, config: Record<string, unknown>): Record<string, unknown> {
  const parsed = configSchemaOf(kind).safeParse(config)
  if (!parsed.success) {
    throw new StrategyError(
      'invalid_input',
      `The ${kind.label} settings are not valid: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`).join('; ')}.`,
      parsed.error.issues.map((issue) => ({ path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)), message: issue.message })),
    )
  }
  return parsed.data as Record<string, unknown>
}

export function createStrategyHandlers(ctx: CoreContext): Pick<HandlerTable, ChannelsOf<'strategies'>> {
  const runtime = () => ctx.strategies
  const view = (instance: StrategyInstance): StrategyView => ({
    ...instance,
    kindLabel: ctx.kinds.get(instance.strategyName)?.label ?? instance.strategyName,
    stale: runtime().isStale(instance),
    retryAt: runtime().retryAt(instance.id),
    heartbeatIntervalMs: runtime().heartbeatMs,
  })
  const load = async (userId: string, id: string) => {
    const instance = await ctx.store.strategies.get(userId, id)
    if (!instance) throw new StrategyError('not_found', 'No such strategy instance.')
    return instance
  }
  const kindFor = (name: string) => {
    const kind = ctx.kinds.get(name)
    if (!kind) throw new StrategyError('invalid_input', `There is no strategy kind named ${name}.`, [{ path: ['strategyName'], message: 'choose one of the listed kinds' }])
    return kind
  }
  const human = (userId: string) => ({ kind: 'human' as const, userId })
  return {
    'strategies:kinds': () => ctx.kinds.list().map((kind) => ({ name: kind.name, label: kind.label, description: kind.description, configSchema: KindRegistry.jsonSchema(kind) })),
    'strategies:list': async () => (await ctx.store.strategies.list(profile(ctx))).map(view),
    'strategies:create': (input) =>
      guarded(async () => {
        const userId = profile(ctx)
        const kind = kindFor(input.strategyName)
        if (input.broker !== 'paper' || input.environment !== 'paper') {
          throw new StrategyError('invalid_input', 'Only the paper broker is installed, so instances run on paper for now; live and testnet need an exchange adapter.', [{ path: ['environment'], message: 'choose paper' }])
        }
        const config = parseConfig(kind, input.config)
        const existing = await ctx.store.strategies.list(userId)
        if (existing.some((other) => other.strategyName === kind.name && other.instrument === input.instrument && other.broker === input.broker && other.environment === input.environment)) {
          throw new StrategyError('conflict', `There is already a ${kind.label} instance on ${input.instrument} (${input.broker}, ${input.environment}); edit that one instead.`)
        }
        const created = await ctx.store.transaction(async (tx) => {
          const instance = await tx.strategies.create(userId, { strategyName: kind.name, instrument: input.instrument, broker: input.broker, environment: input.environment, config })
          await tx.auditLog.record({ userId, actor: humanActor(userId), subject: 'strategy', action: 'create', details: { strategyId: instance.id, kind: kind.name, instrument: input.instrument, config } })
          return instance
        })
        ctx.events.emit('strategies:changed', { strategyId: created.id })
        return view(created)
      }),
    'strategies:updateConfig': ({ id, config }) =>
      guarded(async () => {
        const userId = profile(ctx)
        const instance = await load(userId, id)
        if (instance.status === 'active') throw new StrategyError('conflict', 'Stop or pause the instance before changing its settings.')
        const parsed = parseConfig(kindFor(instance.strategyName), config)
        const updated = await ctx.store.transaction(async (tx) => {
          const row = await tx.strategies.update(userId, id, { config: parsed })
          await tx.auditLog.record({ userId, actor: humanActor(userId), subject: 'strategy', action: 'update_config', details: { strategyId: id, from: instance.config, to: parsed } })
          return row as StrategyInstance
        })
        ctx.events.emit('strategies:changed', { strategyId: id })
        return view(updated)
      }),
    'strategies:start': ({ id }) => guarded(async () => view(await runtime().start(profile(ctx), id, human(profile(ctx))))),
    'strategies:stop': ({ id }) => guarded(async () => view(await runtime().stop(profile(ctx), id, human(profile(ctx))))),
    'strategies:pause': ({ id }) => guarded(async () => view(await runtime().pause(profile(ctx), id, human(profile(ctx))))),
    'strategies:resume': ({ id }) => guarded(async () => view(await runtime().resume(profile(ctx), id, human(profile(ctx))))),
    'strategies:delete': ({ id }) =>
      guarded(async () => {
        const userId = profile(ctx)
        const instance = await load(userId, id)
        if (instance.status === 'active' || instance.status === 'paused') throw new StrategyError('conflict', 'Stop the instance before deleting it.')
        const history = await ctx.store.decisions.query(userId, { strategyId: id }, { limit: 1 })
        if (history.rows.length > 0) throw new StrategyError('conflict', 'This instance has decision history, which is kept for good, so it cannot be deleted. A stopped instance does nothing; leave it stopped.')
        await ctx.store.transaction(async (tx) => {
          await tx.strategies.delete(userId, id)
          await tx.auditLog.record({ userId, actor: humanActor(userId), subject: 'strategy', action: 'delete', details: { strategyId: id, kind: instance.strategyName, instrument: instance.instrument } })
        })
        ctx.events.emit('strategies:changed', { strategyId: id })
        return { deleted: true as const }
      }),
    'strategies:logs': ({ id, limit, minLevel }) =>
      guarded(async () => {
        const userId = profile(ctx)
        await load(userId, id)
        const logs = await ctx.store.serviceLogs.forStrategy(userId, id, { ...(limit ? { limit } : {}), ...(minLevel ? { minLevel } : {}) })
        return logs.map(({ id: logId, level, message, ts }) => ({ id: logId, level, message, ts }))
      }),
  }
}
