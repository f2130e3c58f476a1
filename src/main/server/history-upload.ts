import type { IncomingMessage } from 'node:http'
import { z } from 'zod'
import type { ImportReport } from '../../shared/domain'
import type { Envelope } from '../../shared/errors'
import { structuredRefusal } from '../core/platform/calls/refusal'
import type { CoreContext } from '../core/platform/context'
import type { BackupBeforeChange } from '../core/platform/backups/backup-service'
import { dryRunStaged } from '../core/domains/imports/staged-dry-run'
import { discardStaged, recordStaged, stagingTarget } from '../core/domains/imports/staged-imports'
import { profile } from '../core/platform/calls/profile'
import { receiveBody, uploadFailure } from './upload-stream'
import { issuesInWords } from '../core/platform/calls/issues-in-words'

export const HISTORY_UPLOAD_PATH = '/uploads/history'

const query = z
  .object({
    fileName: z
      .string()
      .trim()
      .min(1, 'name the file')
      .max(255, 'the file name is too long')
      .refine(
        (name) =>
          !/[\\/]/.test(name) && ![...name].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f),
        'must be a file name, not a path',
      ),
  })
  .strict()

/**
 * Browser mode's Settings → Import: the page streams the file in the request body, it is
 * staged in the imports folder, and the answer is the dry run; the page then commits or
 * discards it over the WebSocket.
 */
export async function receiveHistoryUpload(
  ctx: CoreContext,
  backups: BackupBeforeChange,
  req: IncomingMessage,
  url: URL,
): Promise<Envelope<ImportReport>> {
  const parsed = query.safeParse(Object.fromEntries(url.searchParams))
  if (!parsed.success) {
    req.resume()
    return {
      ok: false,
      error: {
        code: 'invalid_input',
        message: `The upload was refused: ${issuesInWords(parsed.error.issues).message}`,
      },
    }
  }
  const target = stagingTarget(ctx.dataDir)
  try {
    await receiveBody(req, target.path)
    return {
      ok: true,
      value: await dryRunStaged(
        ctx,
        backups,
        recordStaged(ctx.dataDir, target.importId, parsed.data.fileName, profile(ctx)),
      ),
    }
  } catch (error) {
    discardStaged(ctx.dataDir, target.importId)
    const refused = structuredRefusal(error)
    if (refused) return { ok: false, error: refused }
    const failure = uploadFailure(error)
    if (failure) return failure
    throw error
  }
}
