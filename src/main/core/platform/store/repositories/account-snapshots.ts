import { sql, SqliteAdapter, type Kysely } from 'kysely'
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
  /** Equity less the margin in use: what is left to open positions with. */
  marginFree: string
  openPl: string
  openPositions: number
  capturedAt: string
}

/** Whose account a snapshot is: the paper account, or one exchange venue's. */
export interface SnapshotVenue {
  broker: string
  environment: Environment
}
const PAPER: SnapshotVenue = { broker: 'paper', environment: 'paper' }

export type NewAccountSnapshot = Omit<AccountSnapshot, 'id' | 'userId'>

export function accountSnapshotsRepository(db: Kysely<StoreSchema>) {
  // SQLite keeps decimals as text; the cast only ranks rows, and the peak is returned exactly as stored.
  const equityRank = db.getExecutor().adapter instanceof SqliteAdapter ? sql`cast(equity as real)` : sql`equity`
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
        marginFree: decimal(input.marginFree),
        openPl: decimal(input.openPl),
        openPositions: input.openPositions,
        capturedAt: input.capturedAt,
      }
      await db.insertInto('accountSnapshots').values(row).execute()
      return row
    },
    /** The highest equity of one venue's account captured since `from`, or null when there is none. */
    async peakEquitySince(userId: string, from: string, venue: SnapshotVenue = PAPER): Promise<string | null> {
      const row = await db
        .selectFrom('accountSnapshots')
        .select('equity')
        .where('userId', '=', userId)
        .where('broker', '=', venue.broker)
        .where('environment', '=', venue.environment)
        .where('capturedAt', '>=', from)
        .orderBy(equityRank, 'desc')
        .limit(1)
        .executeTakeFirst()
      return row?.equity ?? null
    },
    /** Oldest first, for an equity curve. */
    async since(
      userId: string,
      from: string,
      limit = 10_000,
      venue: SnapshotVenue = PAPER,
    ): Promise<AccountSnapshot[]> {
      const rows = await db
        .selectFrom('accountSnapshots')
        .selectAll()
        .where('userId', '=', userId)
        .where('broker', '=', venue.broker)
        .where('environment', '=', venue.environment)
        .where('capturedAt', '>=', from)
        .orderBy('capturedAt')
        .limit(limit)
        .execute()
      return rows.map((row) => ({ ...row, environment: row.environment as Environment }))
    },
  }
}
