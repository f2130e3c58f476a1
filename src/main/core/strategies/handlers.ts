import { ApiError } from '../../../shared/errors'
import type { CoreContext } from '../context'
import type { ChannelsOf, HandlerTable } from '../dispatch'
import { profile } from '../profile'
import { KindRegistry } from './kinds/registry'
import { StrategyError } from './strategy-error'

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof StrategyError) throw new ApiError({ code: error.code, message: error.message, ...(error.issues.length ? { issues: error.issues } : {}) })
    throw error
  }
}

export function createStrategyHandlers(ctx: CoreContext): Pick<HandlerTable, ChannelsOf<'strategies'>> {
  const instances = ctx.strategyInstances
  const runtime = () => ctx.strategies
  const human = () => ({ kind: 'human' as const, userId: profile(ctx) })
  return {
    'strategies:kinds': () => ctx.kinds.list().map((kind) => ({ name: kind.name, label: kind.label, description: kind.description, configSchema: KindRegistry.jsonSchema(kind) })),
    'strategies:list': () => instances.list(profile(ctx)),
    'strategies:create': (input) => guarded(() => instances.create(profile(ctx), input)),
    'strategies:updateConfig': ({ id, config }) => guarded(() => instances.updateConfig(profile(ctx), id, config)),
    'strategies:delete': ({ id }) => guarded(() => instances.delete(profile(ctx), id)),
    'strategies:logs': ({ id, limit, minLevel }) => guarded(() => instances.logs(profile(ctx), id, { limit, minLevel })),
    'strategies:start': ({ id, confirmation }) => guarded(async () => instances.view(await runtime().start(profile(ctx), id, human(), 'started', confirmation))),
    'strategies:stop': ({ id }) => guarded(async () => instances.view(await runtime().stop(profile(ctx), id, human()))),
    'strategies:pause': ({ id }) => guarded(async () => instances.view(await runtime().pause(profile(ctx), id, human()))),
    'strategies:resume': ({ id, confirmation }) => guarded(async () => instances.view(await runtime().resume(profile(ctx), id, human(), confirmation))),
  }
}
