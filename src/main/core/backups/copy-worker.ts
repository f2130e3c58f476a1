import { Worker } from 'node:worker_threads'
import { nativeBindingInUse } from '../db/sqlite'

export interface CopyInspection {
  /** Why the file is not a Tradedeck database at all (no SQLite header, no pages, no schema_migrations); null when it is one. */
  notADatabase: string | null
  /** The rows of quick_check or integrity_check: ['ok'] when the file is intact. */
  check: string[]
  schemaVersion: number
  rowCounts: Record<string, number>
}

// Plain CommonJS run with eval, so it needs no bundled entry file in any host.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const binding = workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}

async function copy() {
  const source = new Database(workerData.source, { readonly: true, fileMustExist: true, ...binding })
  try {
    // After the first small step, everything in one step: one read transaction, one
    // consistent snapshot, and no restart when the app writes meanwhile.
    await source.backup(workerData.path, { progress: () => 0x7fffffff })
  } finally {
    source.close()
  }
  // A backup is one self-contained file: no -wal or -shm beside it.
  const copy = new Database(workerData.path, binding)
  copy.pragma('journal_mode = DELETE')
  copy.close()
  return {}
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\\0', 'latin1')

// SQLite treats a 0-byte or truncated file as an empty database that passes quick_check,
// so the header, a first page and the app's own table are checked before anything else.
function notADatabase() {
  const fs = require('node:fs')
  const size = fs.statSync(workerData.path).size
  if (size < 512) return 'it is ' + size + ' bytes long, too short to be a SQLite database'
  const fd = fs.openSync(workerData.path, 'r')
  const header = Buffer.alloc(16)
  try {
    fs.readSync(fd, header, 0, 16, 0)
  } finally {
    fs.closeSync(fd)
  }
  if (!header.equals(SQLITE_HEADER)) return 'it does not start with the SQLite header'
  return null
}

function inspect() {
  const refusal = notADatabase()
  if (refusal) return { notADatabase: refusal, check: [refusal], schemaVersion: 0, rowCounts: {} }
  const db = new Database(workerData.path, { readonly: true, fileMustExist: true, ...binding })
  try {
    if (db.pragma('page_count', { simple: true }) < 1) return { notADatabase: 'it has no pages', check: ['it has no pages'], schemaVersion: 0, rowCounts: {} }
    if (workerData.requireTradedeck && !db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get()) {
      return { notADatabase: 'it has no schema_migrations table, so it is not a Tradedeck database', check: ['not a Tradedeck database'], schemaVersion: 0, rowCounts: {} }
    }
    const check = db.prepare(workerData.thorough ? 'PRAGMA integrity_check' : 'PRAGMA quick_check').pluck().all()
    const schemaVersion = db.pragma('user_version', { simple: true })
    const rowCounts = {}
    if (check.length === 1 && check[0] === 'ok') {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all()
      for (const table of tables) rowCounts[table] = db.prepare('SELECT COUNT(*) FROM "' + table.replace(/"/g, '""') + '"').pluck().get()
    }
    return { notADatabase: null, check, schemaVersion, rowCounts }
  } finally {
    db.close()
  }
}

Promise.resolve(workerData.task === 'copy' ? copy() : inspect()).then((result) => parentPort.postMessage(result))
`

function runTask<T>(workerData: Record<string, unknown>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...workerData, driver: require.resolve('better-sqlite3'), nativeBinding: nativeBindingInUse() } })
    let result: { value: T } | null = null
    worker.once('message', (message: T) => (result = { value: message }))
    worker.once('error', reject)
    worker.once('exit', (code) => (result ? resolve(result.value) : reject(new Error(`${what} stopped unexpectedly (exit code ${code}).`))))
  })
}

/**
 * Copies a live database to `path` through SQLite's backup API on a
 * connection of its own in a worker thread, so the app's thread and its
 * writes carry on while gigabytes are copied.
 */
export function copyDatabase(source: string, path: string): Promise<void> {
  return runTask<unknown>({ task: 'copy', source, path }, `The copy of ${source}`).then(() => undefined)
}

/** Checks a copy and counts its rows in a worker thread: on a large database these scans take seconds. */
export function inspectCopy(path: string, options: { thorough?: boolean; /** Adopting or restoring: the file must carry this app's schema_migrations. */ requireTradedeck?: boolean } = {}): Promise<CopyInspection> {
  return runTask<CopyInspection>({ task: 'inspect', path, thorough: options.thorough ?? false, requireTradedeck: options.requireTradedeck ?? false }, `The check of ${path}`)
}

export function isIntact(inspection: CopyInspection): boolean {
  return inspection.notADatabase === null && inspection.check.length === 1 && inspection.check[0] === 'ok'
}

/** Why a copy may not be used, in words for the trader. */
export function describeDamage(inspection: CopyInspection): string {
  return inspection.notADatabase ?? `it failed its integrity check: ${inspection.check.slice(0, 3).join('; ')}`
}
