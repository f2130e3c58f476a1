import type { Kysely, Selectable, Updateable } from 'kysely'
import type { StoreSchema, StrategiesTable } from '../schema'
import { fromBool, fromJson, newId, toBool, toJson } from '../values'

import type { Environment, StrategyInstance, StrategyStatus } from '../../../../../shared/domain'

export type { Environment, StrategyInstance, StrategyStatus }

export interface NewStrategyInstance {
  /** The domain always names an instance; without one it is named after everything that sets it apart. */
  name?: string
  strategyName: string
  instrument: string
  broker?: string
  environment: Environment
  config?: Record<string, unknown>
}

export type StrategyPatch = Partial<
  Pick<
    StrategyInstance,
    | 'name'
    | 'archivedAt'
    | 'config'
    | 'status'
    | 'lastAction'
    | 'autoReconnect'
    | 'connectedAt'
    | 'disconnectedAt'
    | 'lastHeartbeat'
    | 'errorMessage'
    | 'errorCount'
  >
>

function fromRow(row: Selectable<StrategiesTable>): StrategyInstance {
  return {
    ...row,
    environment: row.environment as Environment,
    status: row.status as StrategyStatus,
    config: fromJson<Record<string, unknown>>(row.config),
    autoReconnect: toBool(row.autoReconnect),
  }
}

function toRow(patch: StrategyPatch): Updateable<StrategiesTable> {
  const { config, autoReconnect, ...rest } = patch
  return {
    ...rest,
    ...(config !== undefined ? { config: toJson(config) } : {}),
    ...(autoReconnect !== undefined ? { autoReconnect: fromBool(autoReconnect) } : {}),
  }
}

/** Strategy instances, always scoped by the owning user. */
export function strategiesRepository(db: Kysely<StoreSchema>) {
  return {
    async create(userId: string, input: NewStrategyInstance): Promise<StrategyInstance> {
      const id = newId()
      await db
        .insertInto('strategies')
        .values({
          id,
          userId,
          name:
            input.name ??
            [input.strategyName, input.instrument, input.config?.timeframe, input.broker ?? 'paper', input.environment]
              .filter((part) => typeof part === 'string')
              .join(' ')
              .slice(0, 80),
          strategyName: input.strategyName,
          instrument: input.instrument,
          environment: input.environment,
          ...(input.broker ? { broker: input.broker } : {}),
          config: toJson(input.config ?? {}),
        })
        .execute()
      return (await this.get(userId, id)) as StrategyInstance
    },
    async get(userId: string, id: string): Promise<StrategyInstance | null> {
      const row = await db
        .selectFrom('strategies')
        .selectAll()
        .where('userId', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst()
      return row ? fromRow(row) : null
    },
    /** The instances in use; archived ones only when asked for. */
    async list(
      userId: string,
      filter: { status?: StrategyStatus; autoReconnect?: boolean; includeArchived?: boolean } = {},
    ): Promise<StrategyInstance[]> {
      let query = db.selectFrom('strategies').selectAll().where('userId', '=', userId)
      if (!filter.includeArchived) query = query.where('archivedAt', 'is', null)
      if (filter.status) query = query.where('status', '=', filter.status)
      if (filter.autoReconnect !== undefined) query = query.where('autoReconnect', '=', fromBool(filter.autoReconnect))
      return (await query.orderBy('createdAt').orderBy('id').execute()).map(fromRow)
    },
    async update(userId: string, id: string, patch: StrategyPatch): Promise<StrategyInstance | null> {
      const row = toRow(patch)
      if (Object.keys(row).length > 0)
        await db.updateTable('strategies').set(row).where('userId', '=', userId).where('id', '=', id).execute()
      return this.get(userId, id)
    },
    async delete(userId: string, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('strategies')
        .where('userId', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst()
      return Number(result.numDeletedRows) === 1
    },
  }
}
