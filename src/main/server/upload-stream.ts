import { createWriteStream } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Envelope } from '../../shared/errors'
import { PRIVATE_FILE_MODE } from '../core/platform/files/private-files'

export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024

export class UploadTooLarge extends Error {}

function sizeLimit(limit: number): Transform {
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length
      done(seen > limit ? new UploadTooLarge() : null, chunk)
    },
  })
}

/** Streams a request body into an owner-only file, refusing it past `limit` bytes. */
export function receiveBody(req: IncomingMessage, path: string, limit = MAX_UPLOAD_BYTES): Promise<void> {
  return pipeline(req, sizeLimit(limit), createWriteStream(path, { mode: PRIVATE_FILE_MODE }))
}

/** An upload that failed in transit, said as the trader would want to hear it; null when it is another kind of failure. */
export function uploadFailure(error: unknown): Envelope<never> | null {
  if (error instanceof UploadTooLarge)
    return { ok: false, error: { code: 'invalid_input', message: 'The file is larger than 4 GB; split it.' } }
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE')
    return { ok: false, error: { code: 'invalid_input', message: 'The upload was interrupted; nothing was imported.' } }
  return null
}
