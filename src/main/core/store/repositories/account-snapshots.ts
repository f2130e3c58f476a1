import type { Kysely } from 'kysely'
import type { StoreSchema } from '../schema'
import { decimal, newId } from '../values'
import type { Environment } from './strategies'

export interface AccountSnapshot {
  id: string
  userId: string
  broker: string
  environment: Environment
  balance: string
  equity: string
  marginUsed: string
  openPl: string
  openPositions: number
  capturedAt: string
}

export type NewAccountSnapshot = Omit<AccountSnapshot, 'id' | 'userId'>

export function accountSnapshotsRepository(db: Kysely<StoreSchema>) {
  return {
    async record(userId: string, input: NewAccountSnapshot): Promise<AccountSnapshot> {
      const row = {
        id: newId(),
        userId,
        broker: input.broker,
        environment: input.environment,
        balance: decimal(input.balance),
        equity: decimal(input.equity),
        marginUsed: decimal(input.marginUsed),
        openPl: decimal(input.openPl),
        openPositions: input.openPositions,
        capturedAt: input.capturedAt,
      }
      await db.insertInto('accountSnapshots').values(row).execute()
      return row
    },
    /** Oldest first, for an equity curve. */
    async since(userId: string, from: string, limit = 10_000): Promise<AccountSnapshot[]> {
      const rows = await db.selectFrom('accountSnapshots').selectAll().where('userId', '=', userId).where('capturedAt', '>=', from).orderBy('capturedAt').limit(limit).execute()
      return rows.map((row) => ({ ...row, environment: row.environment as Environment }))
    },
  }
}
