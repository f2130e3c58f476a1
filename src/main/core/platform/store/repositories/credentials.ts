import type { Kysely } from 'kysely'
import type { StoreSchema } from '../schema'
import { newId } from '../values'
import type { Environment } from './strategies'

/** What may leave the core: everything about a credential but its secret. */
export interface CredentialInfo {
  id: string
  userId: string
  broker: string
  environment: Environment
  label: string
  createdAt: string
  updatedAt: string
}

/**
 * Broker credentials. The store only ever sees ciphertext (the caller encrypts
 * with the platform's secret storage), and listing never returns it.
 */
export function credentialsRepository(db: Kysely<StoreSchema>) {
  const info = ['id', 'userId', 'broker', 'environment', 'label', 'createdAt', 'updatedAt'] as const
  return {
    async save(
      userId: string,
      input: { broker: string; environment: Environment; label: string; secretCiphertext: Buffer },
    ): Promise<CredentialInfo> {
      const id = newId()
      await db
        .insertInto('credentials')
        .values({
          id,
          userId,
          broker: input.broker,
          environment: input.environment,
          label: input.label,
          secretCiphertext: input.secretCiphertext,
        })
        .onConflict((conflict) =>
          conflict
            .columns(['userId', 'broker', 'environment', 'label'])
            .doUpdateSet({ secretCiphertext: input.secretCiphertext }),
        )
        .execute()
      const row = await db
        .selectFrom('credentials')
        .select(info)
        .where('userId', '=', userId)
        .where('broker', '=', input.broker)
        .where('environment', '=', input.environment)
        .where('label', '=', input.label)
        .executeTakeFirstOrThrow()
      return { ...row, environment: row.environment as Environment }
    },
    async list(userId: string): Promise<CredentialInfo[]> {
      const rows = await db
        .selectFrom('credentials')
        .select(info)
        .where('userId', '=', userId)
        .orderBy('broker')
        .orderBy('label')
        .execute()
      return rows.map((row) => ({ ...row, environment: row.environment as Environment }))
    },
    async ciphertext(userId: string, id: string): Promise<Buffer | null> {
      const row = await db
        .selectFrom('credentials')
        .select('secretCiphertext')
        .where('userId', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst()
      return row ? Buffer.from(row.secretCiphertext) : null
    },
    async delete(userId: string, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('credentials')
        .where('userId', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst()
      return Number(result.numDeletedRows) === 1
    },
  }
}
