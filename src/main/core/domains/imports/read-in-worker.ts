import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { nativeBindingInUse } from '../../platform/db/sqlite'
import type { ImportRecord } from '../../platform/store/repositories/imported-history'
import { ImportFileError } from './history-batch'
import type { FromReader, ReadJob, ToReader } from './reader-worker/protocol'
import type { ReadResult } from './reader-worker/read-import-file'

/** Two minutes reads a million-order Freqtrade file several times over; a file that needs longer is refused. */
const DEFAULT_READ_LIMIT_MS = 120_000
/** The heap one read may build; within it sit the largest files each reader accepts. */
export const READER_MEMORY_MB = 1536

/** Tests shorten the limit with TRADEDECK_IMPORT_READ_LIMIT_MS, so the refusal can be seen without waiting minutes. */
export function readTimeLimitMs(): number {
  const set = Number(process.env.TRADEDECK_IMPORT_READ_LIMIT_MS)
  return Number.isFinite(set) && set > 0 ? set : DEFAULT_READ_LIMIT_MS
}

/** The bundled reader beside the host's entry (or its chunk), else the source through tsx when running from it. */
function readerEntry(): string {
  const candidates = [
    join(__dirname, 'import-reader.js'),
    join(__dirname, '..', 'import-reader.js'),
    join(__dirname, 'reader-worker', 'bootstrap.cjs'),
  ]
  const found = candidates.find((candidate) => existsSync(candidate))
  if (!found) throw new Error('The import reader is missing from this installation; reinstall Tradedeck.')
  return found
}

/**
 * Reads and checks a file in a worker thread of its own, which is ended if it takes
 * longer than the limit or needs more memory than READER_MEMORY_MB: the core's thread
 * keeps answering the windows throughout, and no file can hold it.
 */
export function readInWorker(
  job: Omit<ReadJob, 'nativeBinding'>,
  onProgress?: (done: number, total: number) => void,
): Promise<ReadResult> {
  const limitMs = readTimeLimitMs()
  return new Promise<ReadResult>((resolve, reject) => {
    const worker = new Worker(readerEntry(), {
      workerData: { ...job, nativeBinding: nativeBindingInUse() } satisfies ReadJob,
      resourceLimits: { maxOldGenerationSizeMb: READER_MEMORY_MB },
    })
    const records: ImportRecord[] = []
    let settled = false
    const settle = (outcome: { error: Error } | { result: ReadResult }) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      void worker.terminate()
      if ('error' in outcome) reject(outcome.error)
      else resolve(outcome.result)
    }
    const timer = setTimeout(
      () =>
        settle({
          error: new ImportFileError(
            `${job.fileName} took longer than ${Math.round(limitMs / 1000)} s to read, so it was refused; nothing was imported.`,
          ),
        }),
      limitMs,
    )
    worker.on('message', (message: FromReader) => {
      switch (message.type) {
        case 'progress':
          return onProgress?.(message.done, message.total)
        case 'records':
          for (const record of message.records) records.push(record)
          setImmediate(() => worker.postMessage({ type: 'ack' } satisfies ToReader))
          return
        case 'refused':
          return settle({ error: new ImportFileError(message.message) })
        case 'failed':
          return settle({ error: new Error(message.message) })
        case 'done':
          return settle({
            result:
              message.outcome.kind === 'rules' || message.outcome.kind === 'events'
                ? message.outcome
                : { kind: 'history', batch: { ...message.outcome.batch, records } },
          })
      }
    })
    worker.on('error', (error: Error & { code?: string }) =>
      settle({
        error:
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new ImportFileError(
                `${job.fileName} needs more than the ${READER_MEMORY_MB} MB of memory an import may use; split it into several files. Nothing was imported.`,
              )
            : error,
      }),
    )
    worker.on('exit', (code) =>
      settle({ error: new Error(`The import reader stopped before it finished (exit code ${code}).`) }),
    )
  })
}
