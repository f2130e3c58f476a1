import { randomUUID } from 'node:crypto'
import { createWriteStream, rmSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { candleImportTarget } from '../../shared/contract'
import type { CsvImportResult } from '../../shared/domain'
import { ApiError, type Envelope } from '../../shared/errors'
import type { CoreContext } from '../core/context'
import { importCandleCsvFile } from '../core/market-data/csv-candle-import'
import { IMPORTS_DIR_NAME } from '../core/data-dir'
import { profile } from '../core/profile'
import { makePrivateDir, PRIVATE_FILE_MODE } from '../core/private-files'

export const CANDLE_UPLOAD_PATH = '/uploads/candles'
const MAX_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024

class UploadTooLarge extends Error {}

function sizeLimit(limit: number): Transform {
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length
      done(seen > limit ? new UploadTooLarge() : null, chunk)
    },
  })
}

/**
 * Browser mode's candle import: the page streams the file in the request body
 * (no WebSocket message could carry 100 MB), it is staged in the data
 * directory's own imports folder, and the core imports it from there.
 */
export async function receiveCandleUpload(ctx: CoreContext, req: IncomingMessage, url: URL): Promise<Envelope<CsvImportResult>> {
  const target = candleImportTarget.safeParse(Object.fromEntries(url.searchParams))
  if (!target.success) {
    req.resume()
    return { ok: false, error: { code: 'invalid_input', message: `Invalid upload: ${target.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}` } }
  }
  const folder = join(ctx.dataDir, IMPORTS_DIR_NAME)
  makePrivateDir(folder)
  const staged = join(folder, `upload-${randomUUID()}.csv`)
  try {
    await pipeline(req, sizeLimit(MAX_UPLOAD_BYTES), createWriteStream(staged, { mode: PRIVATE_FILE_MODE }))
    const value = await importCandleCsvFile(ctx, { ...target.data, userId: profile(ctx), path: staged })
    return { ok: true, value }
  } catch (error) {
    if (error instanceof UploadTooLarge) return { ok: false, error: { code: 'invalid_input', message: 'The file is larger than 4 GB; split it.' } }
    if (error instanceof ApiError) return { ok: false, error: error.toJSON() }
    if ((error as NodeJS.ErrnoException).code === 'ECONNRESET' || (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') {
      return { ok: false, error: { code: 'invalid_input', message: 'The upload was interrupted; nothing was imported.' } }
    }
    throw error
  } finally {
    rmSync(staged, { force: true })
  }
}
