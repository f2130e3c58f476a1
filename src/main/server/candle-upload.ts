import { rmSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { candleImportTarget } from '../../shared/contract'
import type { CsvImportResult } from '../../shared/domain'
import type { Envelope } from '../../shared/errors'
import { structuredRefusal } from '../core/platform/calls/refusal'
import type { CoreContext } from '../core/platform/context'
import { importCandleCsvFile } from '../core/domains/market-data/csv-candle-import'
import { candleUploadTarget } from '../core/domains/imports/staged-imports'
import { profile } from '../core/platform/calls/profile'
import { receiveBody, uploadFailure } from './upload-stream'
import { issuesInWords } from '../core/platform/calls/issues-in-words'

export const CANDLE_UPLOAD_PATH = '/uploads/candles'
/**
 * Browser mode's candle import: the page streams the file in the request body
 * (no WebSocket message could carry 100 MB), it is staged in the data
 * directory's own imports folder, and the core imports it from there.
 */
export async function receiveCandleUpload(
  ctx: CoreContext,
  req: IncomingMessage,
  url: URL,
): Promise<Envelope<CsvImportResult>> {
  const target = candleImportTarget.safeParse(Object.fromEntries(url.searchParams))
  if (!target.success) {
    req.resume()
    return {
      ok: false,
      error: {
        code: 'invalid_input',
        message: `The upload was refused: ${issuesInWords(target.error.issues).message}`,
      },
    }
  }
  const staged = candleUploadTarget(ctx.dataDir)
  try {
    await receiveBody(req, staged)
    const value = await importCandleCsvFile(ctx, { ...target.data, userId: profile(ctx), path: staged })
    return { ok: true, value }
  } catch (error) {
    const refused = structuredRefusal(error)
    if (refused) return { ok: false, error: refused }
    const failure = uploadFailure(error)
    if (failure) return failure
    throw error
  } finally {
    rmSync(staged, { force: true })
  }
}
