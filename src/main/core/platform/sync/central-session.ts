import pg from 'pg'
import { clientConfig, describeTarget, readConnection, savedPassword } from '../central/connection'
import type { SecretBox } from '../central/secret-box'
import type { SqliteDb } from '../db/sqlite'
import { typeParser } from '../store/connection'
import type { Repositories } from '../store/store'
import { checkCentralSchema } from './central-schema'
import { CentralWriter } from './central-writer'
import { readCentralColumns, type ColumnsByTable } from './row-codec'

const CONNECT_TIMEOUT_MS = 10_000
const QUERY_TIMEOUT_MS = 120_000

/** A connection ready to replicate: schema checked, columns known, and replicated rows keep their own updated_at. */
export interface CentralSession {
  client: pg.Client
  columns: ColumnsByTable
  writer: CentralWriter
  target: string
  close(): Promise<void>
}

export interface CentralTarget {
  config: pg.ClientConfig
  target: string
}

/** The saved connection (Settings → PostgreSQL), or null when none is saved. */
export async function savedCentralTarget(store: Repositories, secrets: SecretBox): Promise<CentralTarget | null> {
  const saved = await readConnection(store, secrets)
  if (!saved.connection) return null
  return {
    config: clientConfig(saved.connection, await savedPassword(store, secrets)),
    target: describeTarget(saved.connection),
  }
}

/** A URL's own sslmode wins; without one, local servers go unencrypted and remote ones must prove who they are. */
export function defaultSslMode(url: string): 'disable' | 'verify-full' {
  const host = new URL(url).hostname
  return ['localhost', '127.0.0.1', '::1', '[::1]'].includes(host) ? 'disable' : 'verify-full'
}

/** A postgres:// URL given on the command line, named the way Settings names a saved connection. */
export function centralTargetFromUrl(url: string): CentralTarget {
  const connection = { url, sslMode: defaultSslMode(url) }
  return { config: clientConfig(connection, null), target: describeTarget(connection) }
}

export function localSchemaVersion(db: SqliteDb): number {
  return db.pragma('user_version', { simple: true }) as number
}

export async function openCentralSession(
  central: CentralTarget,
  localVersion: number,
  applicationName = 'tradedeck-sync',
): Promise<CentralSession> {
  const client = new pg.Client({
    ...central.config,
    application_name: applicationName,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    keepAlive: true,
    types: { getTypeParser: typeParser as never },
  })
  // A dropped connection is reported through the failing query; without a listener it would crash the process.
  client.on('error', () => undefined)
  try {
    await client.connect()
    await client.query("SET tradedeck.replicating = 'on'")
    await checkCentralSchema(client, localVersion)
    const columns = await readCentralColumns(client)
    return {
      client,
      columns,
      writer: new CentralWriter(client, columns),
      target: central.target,
      close: () => client.end().catch(() => undefined),
    }
  } catch (error) {
    await client.end().catch(() => undefined)
    throw error
  }
}
