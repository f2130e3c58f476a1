import type { CoreContext } from '../context'
import type { ChannelsOf, HandlerTable } from '../handler-table'
import { profile } from '../profile'
import { KindRegistry } from './kinds/registry'

export function createStrategyHandlers(ctx: CoreContext): Pick<HandlerTable, ChannelsOf<'strategies'>> {
  const instances = ctx.strategyInstances
  const runtime = () => ctx.strategies
  const human = () => ({ kind: 'human' as const, userId: profile(ctx) })
  return {
    'strategies:kinds': () =>
      ctx.kinds.list().map((kind) => ({
        name: kind.name,
        label: kind.label,
        description: kind.description,
        configSchema: KindRegistry.jsonSchema(kind),
      })),
    'strategies:list': () => instances.list(profile(ctx)),
    'strategies:create': (input) => instances.create(profile(ctx), input),
    'strategies:updateConfig': ({ id, config }) => instances.updateConfig(profile(ctx), id, config),
    'strategies:delete': ({ id }) => instances.delete(profile(ctx), id),
    'strategies:logs': ({ id, limit, minLevel }) => instances.logs(profile(ctx), id, { limit, minLevel }),
    'strategies:start': async ({ id, confirmation }) =>
      instances.view(await runtime().start(profile(ctx), id, human(), 'started', confirmation)),
    'strategies:stop': async ({ id }) => instances.view(await runtime().stop(profile(ctx), id, human())),
    'strategies:pause': async ({ id }) => instances.view(await runtime().pause(profile(ctx), id, human())),
    'strategies:resume': async ({ id, confirmation }) =>
      instances.view(await runtime().resume(profile(ctx), id, human(), confirmation)),
  }
}
