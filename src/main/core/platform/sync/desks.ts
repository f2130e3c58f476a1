import type pg from 'pg'
import { connectPostgres } from '../db/postgres'

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/

export class DeskError extends Error {}

/**
 * Lets a desk's login role replicate the given users (run by the central
 * database's owner): the role joins tradedeck_desk, which holds the table
 * privileges, and desk_users maps it to the users Row-Level Security lets it
 * see. A missing role is created when a password is given.
 */
export async function addDesk(
  client: pg.Client,
  role: string,
  userIds: string[],
  password: string | null,
): Promise<{ created: boolean; users: string[] }> {
  if (!ROLE_NAME.test(role))
    throw new DeskError(`"${role}" is not a plain role name: use lower-case letters, digits and underscores.`)
  const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount === 1
  if (!exists && password === null) throw new DeskError(`There is no role ${role}; give --password to create it.`)
  await client.query('BEGIN')
  try {
    if (!exists) {
      const literal = (await client.query<{ quoted: string }>('SELECT quote_literal($1) AS quoted', [password])).rows[0]
        ?.quoted
      await client.query(`CREATE ROLE ${role} LOGIN PASSWORD ${literal}`)
    }
    await client.query(`GRANT tradedeck_desk TO ${role}`)
    for (const userId of userIds) {
      await client.query('INSERT INTO desk_users (role_name, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        role,
        userId,
      ])
    }
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  }
  const users = await client.query<{ user_id: string }>(
    'SELECT user_id FROM desk_users WHERE role_name = $1 ORDER BY user_id',
    [role],
  )
  return { created: !exists, users: users.rows.map((row) => row.user_id) }
}

/** addDesk over a connection of its own, as the central database's owner. */
export async function addDeskAsOwner(
  ownerUrl: string,
  role: string,
  userIds: string[],
  password: string | null,
): Promise<{ created: boolean; users: string[] }> {
  const client = await connectPostgres(ownerUrl, 'tradedeck-admin')
  try {
    return await addDesk(client, role, userIds, password)
  } finally {
    await client.end()
  }
}
