import { watchedPositionsNote } from '../exchanges/watched-positions'
import type { CoreContext } from '../../platform/context'
import type { ChannelsOf, HandlerTable } from '../../platform/calls/handler-table'
import { profile } from '../../platform/calls/profile'
import { KindRegistry } from './kinds/registry'
import type { StrategyInstances } from './instances'
import type { StrategyRuntime } from './runtime'

export interface StrategyHandlerDeps {
  kinds: KindRegistry
  instances: StrategyInstances
  runtime: StrategyRuntime
}

export function createStrategyHandlers(
  ctx: CoreContext,
  { kinds, instances, runtime }: StrategyHandlerDeps,
): Pick<HandlerTable, ChannelsOf<'strategies'>> {
  const human = () => ({ kind: 'human' as const, userId: profile(ctx) })
  return {
    'strategies:kinds': () =>
      kinds.list().map((kind) => ({
        name: kind.name,
        label: kind.label,
        description: kind.description,
        configSchema: KindRegistry.jsonSchema(kind),
      })),
    'strategies:list': () => instances.list(profile(ctx)),
    'strategies:create': (input) => instances.create(profile(ctx), input),
    'strategies:updateConfig': ({ id, name, config }) => instances.update(profile(ctx), id, { name, config }),
    'strategies:names': () => instances.names(profile(ctx)),
    'strategies:delete': ({ id }) => instances.delete(profile(ctx), id),
    'strategies:logs': ({ id, limit, minLevel }) => instances.logs(profile(ctx), id, { limit, minLevel }),
    'strategies:start': async ({ id, confirmation }) =>
      instances.view(await runtime.start(profile(ctx), id, human(), 'started', confirmation)),
    // The venue's watcher keeps watching with the instance paused or stopped; quitting is what leaves positions alone.
    'strategies:stop': async ({ id }) => ({
      ...instances.view(await runtime.stop(profile(ctx), id, human())),
      warning: await watchedPositionsNote(ctx.store, profile(ctx)),
    }),
    'strategies:pause': async ({ id }) => ({
      ...instances.view(await runtime.pause(profile(ctx), id, human())),
      warning: await watchedPositionsNote(ctx.store, profile(ctx)),
    }),
    'strategies:resume': async ({ id, confirmation }) =>
      instances.view(await runtime.resume(profile(ctx), id, human(), confirmation)),
  }
}
