import { basename } from 'node:path'
import type { ImportIssue, ImportReport, ImportTableCounts } from '../../../../shared/domain'
import { sha256InWorker } from '../../platform/backups/worker-tasks'
import type { CoreContext } from '../../platform/context'
import { writeOrDiscardBackup, type BackupBeforeChange } from '../../platform/backups/backup-service'
import { orderKey, type ImportedOrder, type ImportRecord } from '../../platform/store/repositories/imported-history'
import { whyNotAFile } from '../../platform/files/readable-file'
import { nextTurn } from '../../platform/next-turn'
import { MAX_IMPORT_FILE_BYTES } from './file-limits'
import { addIssues, ImportFileError, type HistoryBatch, type HistoryTable } from './history-batch'
import { detectFormat } from './formats'
import { readInWorker } from './read-in-worker'
import { importSummary, invalidRecordsRefusal, type HistoryImportRequest } from './import-request'
import { importRules } from './rules-import'
import { importMarketEvents } from './market-events-import'

export type { HistoryImportRequest } from './import-request'

type TableCounts = Partial<Record<HistoryTable, ImportTableCounts>>

interface Sorted {
  fresh: ImportRecord[]
  tables: TableCounts
  issues: ImportIssue[]
  issueCount: number
}

function rowsOf(record: ImportRecord): Record<HistoryTable, number> {
  return {
    trades: record.trade ? 1 : 0,
    orders: record.orders.length,
    fills: record.orders.filter((order) => order.fill).length,
    positions: record.position ? 1 : 0,
  }
}

const keyedOrders = (record: ImportRecord) =>
  record.orders.filter((order): order is ImportedOrder & { brokerOrderId: string } => order.brokerOrderId !== null)

const RECORDS_PER_TURN = 2_000

/** New, already on the desk, or in conflict with what is: decided by natural keys only. */
async function sortRecords(ctx: CoreContext, userId: string, batch: HistoryBatch): Promise<Sorted> {
  const existingTrades = await ctx.store.importedHistory.existingTradeKeys(
    userId,
    batch.records.flatMap((record) => (record.trade ? [record.trade.brokerTradeId] : [])),
  )
  const existingPositions = await ctx.store.importedHistory.existingPositionKeys(
    userId,
    batch.records.flatMap((record) => (record.position ? [record.position.brokerPositionId] : [])),
  )
  const existingOrders = await ctx.store.importedHistory.existingOrderIds(
    batch.records.flatMap((record) => record.orders),
  )
  const tables: TableCounts = Object.fromEntries(
    batch.tables.map((table) => [table, { new: 0, duplicate: 0, invalid: batch.invalid[table] ?? 0 }]),
  )
  const problems = { issues: [...batch.issues], issueCount: batch.issueCount }
  const fresh: ImportRecord[] = []
  const seenTrades = new Set<string>()
  const seenPositions = new Set<string>()
  const seenOrders = new Set<string>()
  const orderIsHere = (order: ImportedOrder & { brokerOrderId: string }) =>
    existingOrders.has(orderKey(order.broker, order.brokerOrderId)) ||
    seenOrders.has(orderKey(order.broker, order.brokerOrderId))
  for (const [index, record] of batch.records.entries()) {
    if (index > 0 && index % RECORDS_PER_TURN === 0) await nextTurn()
    const count = (kind: 'new' | 'duplicate' | 'invalid') => {
      for (const [table, rows] of Object.entries(rowsOf(record)) as [HistoryTable, number][])
        if (tables[table]) tables[table][kind] += rows
    }
    const orders = keyedOrders(record)
    const duplicate = record.trade
      ? existingTrades.has(record.trade.brokerTradeId) || seenTrades.has(record.trade.brokerTradeId)
      : record.position
        ? existingPositions.has(record.position.brokerPositionId) || seenPositions.has(record.position.brokerPositionId)
        : orders.length > 0 && orders.every(orderIsHere)
    if (duplicate) {
      count('duplicate')
      continue
    }
    const clash = orders.find(orderIsHere)
    if (clash) {
      addIssues(problems, [
        {
          where: record.where,
          field: 'order_id',
          message: `order ${clash.brokerOrderId} on ${clash.broker} is already on this desk with another record or profile; the record was left out`,
        },
      ])
      count('invalid')
      continue
    }
    if (record.trade) seenTrades.add(record.trade.brokerTradeId)
    if (record.position) seenPositions.add(record.position.brokerPositionId)
    for (const order of orders) seenOrders.add(orderKey(order.broker, order.brokerOrderId))
    fresh.push(record)
    count('new')
  }
  return { fresh, tables, ...problems }
}

/**
 * Reads a file of trade history, sorts its records into new, duplicate and invalid,
 * and (unless it is a dry run) writes the new ones: after a backup, in one
 * transaction with one `imported` decision row, so a crash leaves all or nothing.
 */
export async function importHistory(
  ctx: CoreContext,
  backups: BackupBeforeChange,
  request: HistoryImportRequest,
): Promise<ImportReport> {
  const fileName = request.fileName ?? basename(request.path)
  // The largest any reader takes; each reader then holds its own format to its own limit.
  const unreadable = whyNotAFile(request.path, fileName, MAX_IMPORT_FILE_BYTES)
  if (unreadable) throw new ImportFileError(unreadable)
  const format = request.format ?? detectFormat(request.path, fileName)
  request.onProgress?.({ phase: 'reading', done: 0, total: 1 })
  const sha256 = await sha256InWorker(request.path).catch(() => {
    throw new ImportFileError(`${fileName} cannot be read.`)
  })
  const read = await readInWorker({ format, path: request.path, sha256, fileName }, (done, total) =>
    request.onProgress?.({ phase: 'reading', done, total }),
  )
  if (read.kind === 'rules') return importRules(ctx, backups, { ...request, fileName, sha256 }, read.rows)
  if (read.kind === 'events')
    return importMarketEvents(ctx, backups, { ...request, fileName, sha256, format }, read.rows)
  const batch = read.batch
  request.onProgress?.({ phase: 'checking', done: 0, total: batch.records.length })
  const sorted = await sortRecords(ctx, request.userId, batch)
  const report: ImportReport = {
    importId: request.importId ?? null,
    file: fileName,
    sha256,
    format,
    profileId: request.userId,
    dryRun: request.dryRun,
    tables: sorted.tables,
    skipped: batch.skipped,
    issues: sorted.issues,
    issueCount: sorted.issueCount,
    backupFile: null,
  }
  const refusal = invalidRecordsRefusal(report, request)
  if (refusal) throw new ImportFileError(refusal)
  if (request.dryRun || sorted.fresh.length === 0) return report

  const backup = await backups.create('pre-import', request.actor)
  report.backupFile = backup.file
  const total = sorted.fresh.length
  let written = 0
  await writeOrDiscardBackup(backups, backup.file, request.actor, () =>
    ctx.store.transaction(async (tx) => {
      await tx.importedHistory.insert(request.userId, sorted.fresh, (records) => {
        written += records
        request.onProgress?.({ phase: 'writing', done: written, total })
      })
      await tx.decisions.append(request.userId, {
        action: 'imported',
        actor: request.actor,
        rationale: importSummary(report),
      })
    }),
  )
  ctx.events.emit('account:changed', {})
  return report
}
