import { randomUUID } from 'node:crypto'
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { Refusal } from '../../platform/calls/refusal'
import { IMPORTS_DIR_NAME } from '../../platform/files/data-dir'
import { makePrivateDir, PRIVATE_FILE_MODE } from '../../platform/files/private-files'
import { whyNotAFile } from '../../platform/files/readable-file'
import { MAX_IMPORT_FILE_BYTES } from './file-limits'

/*
 * A file the trader offered for import waits in the data directory's imports folder
 * between its dry run and the trader's "Import": the page shows the report, and the
 * commit imports exactly the bytes that were checked. A note beside it keeps the
 * name the trader knows it by and the profile it was offered to.
 */

const note = z.object({ fileName: z.string(), profileId: z.string(), stagedAt: z.string() }).strict()
export type StagedImport = z.infer<typeof note> & { importId: string; path: string }

const STAGED_PREFIX = 'history-'
const CANDLE_UPLOAD_PREFIX = 'upload-'
const STALE_AFTER_MS = 24 * 3_600_000

const folderOf = (dataDir: string) => join(dataDir, IMPORTS_DIR_NAME)
const dataPath = (dataDir: string, importId: string) => join(folderOf(dataDir), `${STAGED_PREFIX}${importId}.data`)
const notePath = (dataDir: string, importId: string) => join(folderOf(dataDir), `${STAGED_PREFIX}${importId}.json`)

/** A path in the imports folder for an upload to be streamed into, before it is staged. */
export function stagingTarget(dataDir: string): { importId: string; path: string } {
  makePrivateDir(folderOf(dataDir))
  const importId = randomUUID()
  return { importId, path: dataPath(dataDir, importId) }
}

/** Records what a file written at `stagingTarget(...).path` is. */
export function recordStaged(dataDir: string, importId: string, fileName: string, profileId: string): StagedImport {
  const staged = { fileName, profileId, stagedAt: new Date().toISOString() }
  writeFileSync(notePath(dataDir, importId), JSON.stringify(staged), { mode: PRIVATE_FILE_MODE })
  return { ...staged, importId, path: dataPath(dataDir, importId) }
}

/** Copies a file the desktop's dialog picked into the imports folder, so the commit reads what the dry run read. */
export function stageCopy(dataDir: string, source: string, fileName: string, profileId: string): StagedImport {
  // A device such as /dev/zero would copy for ever; each reader holds a file to its own size limit later.
  const unreadable = whyNotAFile(source, fileName, MAX_IMPORT_FILE_BYTES)
  if (unreadable) throw new Refusal('invalid_input', unreadable)
  const target = stagingTarget(dataDir)
  copyFileSync(source, target.path)
  return recordStaged(dataDir, target.importId, fileName, profileId)
}

export function findStaged(dataDir: string, importId: string): StagedImport {
  const path = dataPath(dataDir, importId)
  if (!existsSync(path) || !existsSync(notePath(dataDir, importId)))
    throw new Refusal('not_found', 'That file is no longer waiting to be imported; offer it again.')
  return { ...note.parse(JSON.parse(readFileSync(notePath(dataDir, importId), 'utf8'))), importId, path }
}

export function findStagedIfAny(dataDir: string, importId: string): StagedImport | null {
  return existsSync(notePath(dataDir, importId)) && existsSync(dataPath(dataDir, importId))
    ? findStaged(dataDir, importId)
    : null
}

export function discardStaged(dataDir: string, importId: string): void {
  rmSync(dataPath(dataDir, importId), { force: true })
  rmSync(notePath(dataDir, importId), { force: true })
}

/**
 * A candle file uploaded in browser mode lives only while its one request imports it; its
 * path in the imports folder.
 */
export function candleUploadTarget(dataDir: string): string {
  makePrivateDir(folderOf(dataDir))
  return join(folderOf(dataDir), `${CANDLE_UPLOAD_PREFIX}${randomUUID()}.csv`)
}

/**
 * Run as the core opens, before anything can be importing: files offered more than a day
 * ago and never imported or discarded, uploads whose note was never written (the process
 * died while receiving them), and every candle upload (each belonged to a request that
 * died with the process).
 */
export function removeLeftoverStaged(dataDir: string, now = Date.now()): number {
  const folder = folderOf(dataDir)
  if (!existsSync(folder)) return 0
  let removed = 0
  const files = new Set(readdirSync(folder))
  for (const file of files) {
    const path = join(folder, file)
    const orphan =
      file.startsWith(STAGED_PREFIX) && file.endsWith('.data') && !files.has(file.replace(/\.data$/, '.json'))
    const stale = file.startsWith(STAGED_PREFIX) && now - statSync(path).mtimeMs > STALE_AFTER_MS
    if (orphan || stale || file.startsWith(CANDLE_UPLOAD_PREFIX)) {
      rmSync(path, { force: true })
      removed++
    }
  }
  return removed
}
