/**
 * The backup worker, as plain CommonJS run with eval so that no host needs a
 * bundled entry file for it. One worker serves many tasks (see worker-pool.ts);
 * a snapshot session keeps its read transaction in the worker's state between
 * messages.
 */
export const BACKUP_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const fs = require('node:fs')
const { createHash } = require('node:crypto')
const Database = require(workerData.driver)
const binding = workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}

const CHUNK_BYTES = 4 * 1048576
const FLUSHES_IN_FLIGHT = 2
const SNAPSHOT_ATTEMPTS = 25

async function copy({ source, path }) {
  const db = new Database(source, { readonly: true, fileMustExist: true, ...binding })
  try {
    // After the first small step, everything in one step: one read transaction, one
    // consistent snapshot, and no restart when the app writes meanwhile.
    await db.backup(path, { progress: () => 0x7fffffff })
  } finally {
    db.close()
  }
  // A backup is one self-contained file: no -wal or -shm beside it.
  const copied = new Database(path, binding)
  copied.pragma('journal_mode = DELETE')
  copied.close()
  return {}
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\\0', 'latin1')

// SQLite treats a 0-byte or truncated file as an empty database that passes quick_check,
// so the header, a first page and the app's own table are checked before anything else.
function notADatabase(path) {
  const size = fs.statSync(path).size
  if (size < 512) return 'it is ' + size + ' bytes long, too short to be a SQLite database'
  const fd = fs.openSync(path, 'r')
  const header = Buffer.alloc(16)
  try {
    fs.readSync(fd, header, 0, 16, 0)
  } finally {
    fs.closeSync(fd)
  }
  if (!header.equals(SQLITE_HEADER)) return 'it does not start with the SQLite header'
  return null
}

function refusal(reason) {
  return { notADatabase: reason, check: [reason], schemaVersion: 0, rowCounts: {} }
}

function userTables(db) {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all()
}

function countRows(db) {
  const rowCounts = {}
  for (const table of userTables(db)) rowCounts[table] = db.prepare('SELECT COUNT(*) FROM "' + table.replace(/"/g, '""') + '"').pluck().get()
  return rowCounts
}

// A whole-file integrity_check reports nothing until it ends. When someone is watching,
// the check runs per table (integrity_check(table): the table and its indexes) so it can
// say how far it has come, and ends with a whole-file quick_check, which adds what no
// per-table pass sees: pages in no tree and pages used twice.
function integrityCheckWithProgress(db, id) {
  const tables = userTables(db)
  const total = tables.length + 1
  const problems = []
  tables.forEach((table, index) => {
    for (const row of db.prepare('PRAGMA integrity_check("' + table.replace(/"/g, '""') + '")').pluck().all()) if (row !== 'ok') problems.push(row)
    parentPort.postMessage({ id, progress: { done: index + 1, total, step: table } })
  })
  if (problems.length) return problems
  return db.prepare('PRAGMA quick_check').pluck().all()
}

function runCheck(db, { thorough, progress }, id) {
  if (!thorough) return db.prepare('PRAGMA quick_check').pluck().all()
  if (progress) return integrityCheckWithProgress(db, id)
  return db.prepare('PRAGMA integrity_check').pluck().all()
}

function describe(db, options, id) {
  const check = runCheck(db, options, id)
  const schemaVersion = db.pragma('user_version', { simple: true })
  const intact = check.length === 1 && check[0] === 'ok'
  return { notADatabase: null, check, schemaVersion, rowCounts: intact ? countRows(db) : {} }
}

function inspect({ path, thorough, progress, requireTradedeck }, id) {
  const reason = notADatabase(path)
  if (reason) return refusal(reason)
  const db = new Database(path, { readonly: true, fileMustExist: true, ...binding })
  try {
    if (db.pragma('page_count', { simple: true }) < 1) return refusal('it has no pages')
    if (requireTradedeck && !db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get()) {
      return { ...refusal('it has no schema_migrations table, so it is not a Tradedeck database'), check: ['not a Tradedeck database'] }
    }
    return describe(db, { thorough, progress }, id)
  } finally {
    db.close()
  }
}

function hash({ path }) {
  const digest = createHash('sha256')
  const fd = fs.openSync(path, 'r')
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES)
  try {
    let position = 0
    for (;;) {
      const read = fs.readSync(fd, chunk, 0, CHUNK_BYTES, position)
      if (read === 0) break
      digest.update(chunk.subarray(0, read))
      position += read
    }
  } finally {
    fs.closeSync(fd)
  }
  return { sha256: digest.digest('hex') }
}

// A snapshot whose every page is in the database file itself. A read transaction is
// opened, then a second connection checkpoints passively. A checkpoint never copies a
// WAL frame past the end of any open read transaction into the file, so when it reports
// every frame copied, the file holds exactly this snapshot, and keeps holding it until
// the transaction ends, however much the app writes to the WAL meanwhile.
let snapshot = null

function closeSnapshot() {
  if (!snapshot) return {}
  try {
    if (snapshot.db.inTransaction) snapshot.db.exec('ROLLBACK')
  } finally {
    snapshot.db.close()
    snapshot = null
  }
  return {}
}

function openSnapshot({ source }) {
  closeSnapshot()
  const db = new Database(source, { readonly: true, fileMustExist: true, ...binding })
  const checkpointer = new Database(source, { fileMustExist: true, ...binding })
  try {
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') {
      db.close()
      return { established: false, reason: 'the database is not in WAL mode' }
    }
    for (let attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
      db.exec('BEGIN')
      db.prepare('SELECT COUNT(*) FROM sqlite_master').get()
      const [state] = checkpointer.pragma('wal_checkpoint(PASSIVE)')
      if (state.log === state.checkpointed) {
        snapshot = { db }
        const stat = fs.statSync(source, { bigint: true })
        return {
          established: true,
          bytes: db.pragma('page_count', { simple: true }) * db.pragma('page_size', { simple: true }),
          fileMark: { mtimeNs: String(stat.mtimeNs), size: String(stat.size), ino: String(stat.ino) },
        }
      }
      db.exec('ROLLBACK')
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2 * (attempt + 1))
    }
    db.close()
    return { established: false, reason: 'the WAL could not be checkpointed into the file (a connection holds an older snapshot, or the app kept writing)' }
  } catch (error) {
    if (db.open) db.close()
    throw error
  } finally {
    checkpointer.close()
  }
}

function checkSnapshot() {
  if (!snapshot) throw new Error('No snapshot is open.')
  return describe(snapshot.db, { thorough: false })
}

function writeFully(fd, buffer, position) {
  let written = 0
  while (written < buffer.length) written += fs.writeSync(fd, buffer, written, buffer.length - written, position + written)
}

function fdatasync(fd) {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())))
}

// Byte copy of the snapshot's pages, hashed as it is written. Page 1 is marked as a
// rollback-journal database (header bytes 18 and 19), which is what PRAGMA journal_mode =
// DELETE would write, so the copy opens on its own with no -wal beside it.
//
// Each chunk is flushed as soon as it is written, with at most FLUSHES_IN_FLIGHT flushes
// outstanding. A commit's fsync on the same disk queues behind whatever the copy has left
// unflushed, so keeping that small is what keeps the app's writes fast during a backup.
async function rawCopy({ source, path, bytes, fileMark }) {
  const digest = createHash('sha256')
  const input = fs.openSync(source, 'r')
  const output = fs.openSync(path, 'r+')
  const flushes = []
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES)
    let position = 0
    while (position < bytes) {
      const want = Math.min(CHUNK_BYTES, bytes - position)
      const read = fs.readSync(input, chunk, 0, want, position)
      if (read !== want) throw new Error('the database file ended at byte ' + (position + read) + ' of ' + bytes)
      if (position === 0) {
        if (chunk[18] !== 2 || chunk[19] !== 2) throw new Error('page 1 is not marked as a WAL database')
        chunk[18] = 1
        chunk[19] = 1
      }
      const view = chunk.subarray(0, want)
      digest.update(view)
      writeFully(output, view, position)
      position += want
      flushes.push(fdatasync(output))
      if (flushes.length >= FLUSHES_IN_FLIGHT) await flushes.shift()
    }
    fs.ftruncateSync(output, bytes)
    await Promise.all(flushes.splice(0))
    fs.fsyncSync(output)
  } finally {
    await Promise.allSettled(flushes)
    fs.closeSync(output)
    fs.closeSync(input)
  }
  const after = fs.statSync(source, { bigint: true })
  const untouched = String(after.mtimeNs) === fileMark.mtimeNs && String(after.size) === fileMark.size && String(after.ino) === fileMark.ino
  return { sha256: digest.digest('hex'), untouched }
}

const tasks = { copy, inspect, hash, openSnapshot, checkSnapshot, closeSnapshot, rawCopy }

parentPort.on('message', async ({ id, task, input }) => {
  try {
    const value = await tasks[task](input, id)
    parentPort.postMessage({ id, value })
  } catch (error) {
    parentPort.postMessage({ id, error: error && error.message ? error.message : String(error) })
  }
})
`
