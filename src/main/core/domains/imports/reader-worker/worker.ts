import { parentPort, workerData } from 'node:worker_threads'
import { useNativeBinding } from '../../../platform/db/sqlite'
import { ImportFileError } from '../history-batch'
import type { FromReader, ReadJob, ToReader } from './protocol'
import { readImportFile } from './read-import-file'

/*
 * Reads one import file and exits. Running here, a file that needs minutes or a lot of
 * memory holds this thread, never the core's, and the core can end it at any moment.
 */

const RECORDS_PER_MESSAGE = 250

const port = parentPort
if (!port) throw new Error('The import reader must run in a worker thread.')
const job = workerData as ReadJob
const send = (message: FromReader) => port.postMessage(message)
useNativeBinding(job.nativeBinding)

let taken: (() => void) | null = null
port.on('message', (message: ToReader) => {
  if (message.type === 'ack') taken?.()
})
const sendAndWait = (message: FromReader) =>
  new Promise<void>((resolve) => {
    taken = resolve
    send(message)
  })

readImportFile(job, (done, total) => send({ type: 'progress', done, total })).then(
  async (result) => {
    if (result.kind === 'rules' || result.kind === 'events') return send({ type: 'done', outcome: result })
    const { records, ...rest } = result.batch
    for (let start = 0; start < records.length; start += RECORDS_PER_MESSAGE)
      await sendAndWait({ type: 'records', records: records.slice(start, start + RECORDS_PER_MESSAGE) })
    send({ type: 'done', outcome: { kind: 'history', batch: rest } })
  },
  (error: unknown) =>
    send(
      error instanceof ImportFileError
        ? { type: 'refused', message: error.message }
        : { type: 'failed', message: error instanceof Error ? error.message : String(error) },
    ),
)
