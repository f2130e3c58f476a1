import type { ImportFormat, ImportReport } from '../../../../shared/domain'
import type { CoreContext } from '../../platform/context'
import { writeOrDiscardBackup, type BackupBeforeChange } from '../../platform/backups/backup-service'
import {
  calendarEventId,
  newsItemId,
  type CalendarEvent,
  type NewsItem,
} from '../../platform/store/repositories/market-events'
import { ImportFileError, ISSUES_KEPT } from './history-batch'
import { importSummary, invalidRecordsRefusal, type HistoryImportRequest } from './import-request'
import type { MarketEventRows } from './market-events-csv-reader'

type EventsRequest = HistoryImportRequest & { fileName: string; sha256: string; format: ImportFormat }

/** The file's rows once each: a row repeated later in the file stands for it (it may carry the actual value). */
function lastOfEach<T>(rows: readonly T[], idOf: (row: T) => string): { unique: T[]; repeated: number } {
  const byId = new Map<string, T>()
  for (const row of rows) byId.set(idOf(row), row)
  return { unique: [...byId.values()], repeated: rows.length - byId.size }
}

/**
 * An economic calendar or news from CSV. A dry run counts what is new, what is held already and what is invalid;
 * the real run backs up first, then writes the rows and the import's decision row in one transaction. An event
 * already held takes the file's figures (its actual value arrives after it). A file with an invalid row writes
 * nothing unless the trader asks to leave those out.
 */
export async function importMarketEvents(
  ctx: CoreContext,
  backups: BackupBeforeChange,
  request: EventsRequest,
  rows: MarketEventRows,
): Promise<ImportReport> {
  request.onProgress?.({ phase: 'checking', done: 0, total: 1 })
  const calendar = lastOfEach<CalendarEvent>(rows.calendar, calendarEventId)
  const news = lastOfEach<NewsItem>(rows.news, newsItemId)
  const planned =
    rows.kind === 'calendar'
      ? await ctx.store.marketEvents.planCalendar(calendar.unique)
      : await ctx.store.marketEvents.planNews(news.unique)
  const repeated = rows.kind === 'calendar' ? calendar.repeated : news.repeated
  const table = rows.kind === 'calendar' ? 'calendar_events' : 'news_items'
  const report: ImportReport = {
    importId: request.importId ?? null,
    file: request.fileName,
    sha256: request.sha256,
    format: request.format,
    profileId: request.userId,
    dryRun: request.dryRun,
    tables: {
      [table]: { new: planned.new + planned.updated, duplicate: planned.duplicate + repeated, invalid: rows.invalid },
    },
    skipped:
      planned.updated > 0
        ? [
            {
              count: planned.updated,
              unit: 'event',
              reason:
                'already held with other figures: their impact, previous, forecast and actual values are taken from the file',
            },
          ]
        : [],
    issues: rows.issues.slice(0, ISSUES_KEPT),
    issueCount: rows.issues.length,
    backupFile: null,
  }
  const refusal = invalidRecordsRefusal(report, request)
  if (refusal) throw new ImportFileError(refusal)
  if (request.dryRun || planned.new + planned.updated === 0) return report

  const backup = await backups.create('pre-import', request.actor)
  report.backupFile = backup.file
  request.onProgress?.({ phase: 'writing', done: 0, total: 1 })
  await writeOrDiscardBackup(backups, backup.file, request.actor, () =>
    ctx.store.transaction(async (tx) => {
      if (rows.kind === 'calendar') await tx.marketEvents.upsertCalendar(calendar.unique)
      else await tx.marketEvents.insertNews(news.unique)
      await tx.decisions.append(request.userId, {
        action: 'imported',
        actor: request.actor,
        rationale: importSummary(report),
      })
    }),
  )
  request.onProgress?.({ phase: 'writing', done: 1, total: 1 })
  return report
}
