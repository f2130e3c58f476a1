import type { Kysely } from 'kysely'
import type { StoreSchema } from '../schema'
import { newId, nowIso } from '../values'

export interface Notification {
  id: string
  userId: string
  level: 'info' | 'warning' | 'error'
  title: string
  body: string
  createdAt: string
  readAt: string | null
}

export function notificationsRepository(db: Kysely<StoreSchema>) {
  return {
    async create(
      userId: string,
      input: { level: Notification['level']; title: string; body?: string },
    ): Promise<Notification> {
      const row = {
        id: newId(),
        userId,
        level: input.level,
        title: input.title,
        body: input.body ?? '',
        createdAt: nowIso(),
        readAt: null,
      }
      await db.insertInto('notifications').values(row).execute()
      return row
    },
    async unread(userId: string, limit = 100): Promise<Notification[]> {
      const rows = await db
        .selectFrom('notifications')
        .selectAll()
        .where('userId', '=', userId)
        .where('readAt', 'is', null)
        .orderBy('createdAt', 'desc')
        .limit(limit)
        .execute()
      return rows.map((row) => ({ ...row, level: row.level as Notification['level'] }))
    },
    async markRead(userId: string, id: string): Promise<boolean> {
      const result = await db
        .updateTable('notifications')
        .set({ readAt: nowIso() })
        .where('userId', '=', userId)
        .where('id', '=', id)
        .where('readAt', 'is', null)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },
  }
}
