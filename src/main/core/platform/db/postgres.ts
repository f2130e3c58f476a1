import pg from 'pg'

export type PgClient = pg.Client

/** A connection URL, or a full client config (SSL options, a password kept out of any URL). */
export type PostgresTarget = string | pg.ClientConfig

/** One plain connection; callers own its lifetime. */
export async function connectPostgres(target: PostgresTarget, applicationName = 'tradedeck'): Promise<PgClient> {
  const client = new pg.Client(
    typeof target === 'string'
      ? { connectionString: target, application_name: applicationName }
      : { ...target, application_name: applicationName },
  )
  await client.connect()
  return client
}
