import pg from 'pg'

export type PgClient = pg.Client

/** One plain connection; callers own its lifetime. */
export async function connectPostgres(url: string, applicationName = 'tradedeck'): Promise<PgClient> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName })
  await client.connect()
  return client
}
