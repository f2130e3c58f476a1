import { ApiError } from '../../shared/errors'
import { readConnection, saveConnection, savedPassword, testConnection } from './central/connection'
import type { CoreContext } from './context'
import type { HandlerTable } from './dispatch'

/** Settings → PostgreSQL: where the central database is, with the password sealed and never sent back. */
export function createCentralHandlers(ctx: CoreContext): Pick<HandlerTable, 'central:get' | 'central:save' | 'central:test'> {
  return {
    'central:get': () => readConnection(ctx.store, ctx.secrets),
    'central:save': async ({ connection }) => {
      await saveConnection(ctx.store, ctx.secrets, connection)
      const { password, ...shown } = connection
      await ctx.store.auditLog.record({
        userId: null,
        actor: ctx.profileId ? `human:${ctx.profileId}` : 'human:local',
        subject: 'settings',
        action: 'central_connection',
        details: { ...shown, password: password === undefined ? 'kept' : password === null ? 'forgotten' : 'changed' },
      })
      return readConnection(ctx.store, ctx.secrets)
    },
    'central:test': async ({ connection }) => {
      const saved = await readConnection(ctx.store, ctx.secrets)
      const target = connection ?? saved.connection
      if (!target) throw new ApiError({ code: 'not_found', message: 'No PostgreSQL connection is saved yet; fill in the form first.' })
      const password = connection?.password !== undefined ? connection.password : await savedPassword(ctx.store, ctx.secrets)
      return testConnection(target, password ?? null)
    },
  }
}
