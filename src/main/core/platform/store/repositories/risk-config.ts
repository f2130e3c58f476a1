import type { Kysely, Selectable, Updateable } from 'kysely'
import type { RiskConfigTable, StoreSchema } from '../schema'
import { fromBool, fromJson, toBool, toJson } from '../values'
import type { RiskConfig, RiskConfigPatch } from '../../../../../shared/domain'

export type { RiskConfig, RiskConfigPatch } from '../../../../../shared/domain'

function fromRow(row: Selectable<RiskConfigTable>): RiskConfig {
  return {
    userId: row.userId,
    aiTradingEnabled: toBool(row.aiTradingEnabled),
    minConfidenceThreshold: row.minConfidenceThreshold,
    maxLotSize: row.maxLotSize,
    maxConcurrentTrades: row.maxConcurrentTrades,
    dailyProfitTarget: row.dailyProfitTarget,
    stopAfterTarget: toBool(row.stopAfterTarget),
    maxDrawdownAmount: row.maxDrawdownAmount,
    maxOrderNotional: row.maxOrderNotional,
    maxDailyNotional: row.maxDailyNotional,
    maxDailyLoss: row.maxDailyLoss,
    haltOnDrawdown: toBool(row.haltOnDrawdown),
    allowOffWatchlistAutotrade: toBool(row.allowOffWatchlistAutotrade),
    watchlist: fromJson<string[]>(row.watchlist),
    halted: toBool(row.halted),
    lastHaltReason: row.lastHaltReason,
    haltedAt: row.haltedAt,
    dayBoundaryTimezone: row.dayBoundaryTimezone,
    updatedAt: row.updatedAt,
  }
}

function toRow(patch: RiskConfigPatch): Updateable<RiskConfigTable> {
  const row: Updateable<RiskConfigTable> = {}
  for (const [key, value] of Object.entries(patch) as [keyof RiskConfigPatch, unknown][]) {
    if (value === undefined) continue
    if (key === 'watchlist') row.watchlist = toJson(value)
    else if (typeof value === 'boolean') (row as Record<string, unknown>)[key] = fromBool(value)
    else (row as Record<string, unknown>)[key] = value
  }
  return row
}

export function riskConfigRepository(db: Kysely<StoreSchema>) {
  return {
    async get(userId: string): Promise<RiskConfig | null> {
      const row = await db.selectFrom('riskConfig').selectAll().where('userId', '=', userId).executeTakeFirst()
      return row ? fromRow(row) : null
    },
    async update(userId: string, patch: RiskConfigPatch): Promise<RiskConfig | null> {
      const row = toRow(patch)
      if (Object.keys(row).length > 0)
        await db.updateTable('riskConfig').set(row).where('userId', '=', userId).execute()
      return this.get(userId)
    },
  }
}
