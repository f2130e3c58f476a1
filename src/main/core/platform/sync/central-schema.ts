import type pg from 'pg'

export class SchemaMismatchError extends Error {}

const UNDEFINED_FUNCTION = '42883'

/** Through the version function desks may call (schema 8 on); an older schema is read directly, as its owner can. */
async function centralVersion(client: pg.Client): Promise<number> {
  try {
    const result = await client.query<{ version: number | null }>('SELECT tradedeck_schema_version() AS version')
    return result.rows[0]?.version ?? 0
  } catch (error) {
    if ((error as { code?: string }).code !== UNDEFINED_FUNCTION) throw error
    const result = await client.query<{ version: number | null }>(
      'SELECT max(version)::int AS version FROM schema_migrations',
    )
    return result.rows[0]?.version ?? 0
  }
}

/**
 * Sync writes only into a central schema of exactly this desk's version: an
 * older one lacks columns the rows carry, a newer one may mean something else
 * by them. Either way sync stops and says which side to update.
 */
export async function checkCentralSchema(client: pg.Client, localVersion: number): Promise<number> {
  const exists = await client.query<{ present: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
  )
  if (!exists.rows[0]?.present) {
    throw new SchemaMismatchError(
      'The central database has no Tradedeck schema yet. Migrate it (Database → Central PostgreSQL → Migrate); sync starts once it matches this desk.',
    )
  }
  const central = await centralVersion(client)
  if (central < localVersion) {
    throw new SchemaMismatchError(
      `The central database is at schema version ${central}, older than this desk (${localVersion}). Migrate it (Database → Central PostgreSQL → Migrate); sync is stopped until then and nothing is lost: changes wait in the outbox.`,
    )
  }
  if (central > localVersion) {
    throw new SchemaMismatchError(
      `The central database is at schema version ${central}, newer than this desk (${localVersion}). Update Tradedeck on this desk; sync is stopped until then and nothing is lost: changes wait in the outbox.`,
    )
  }
  return central
}
