import { basename } from 'node:path'
import type { Actor, ImportFormat, ImportIssue, ImportReport, ImportTable } from '../../../shared/domain'
import { sha256InWorker } from '../backups/worker-tasks'
import type { CoreContext } from '../context'
import { orderKey } from '../store/repositories/imported-history'
import { readFreqtradeDatabase } from './freqtrade-reader'
import { ImportFileError, type HistoryBatch, type ImportRecord } from './history-batch'
import { detectFormat } from './formats'

const ISSUES_SHOWN = 20

export interface HistoryImportRequest {
  path: string
  /** The name the trader knows the file by (an upload is staged under another). */
  fileName?: string
  format?: ImportFormat
  userId: string
  actor: Actor
  dryRun: boolean
  /** A staged upload's id, echoed in the report so the page can commit it after the dry run. */
  importId?: string | null
  onProgress?: (progress: { phase: 'reading' | 'checking' | 'writing'; done: number; total: number }) => void
}

function readBatch(format: ImportFormat, path: string, sha256: string, fileName: string): HistoryBatch {
  switch (format) {
    case 'freqtrade':
      return readFreqtradeDatabase(path, sha256, fileName)
  }
}

interface Sorted {
  fresh: ImportRecord[]
  tables: Record<ImportTable, { new: number; duplicate: number; invalid: number }>
  issues: ImportIssue[]
}

const fillsOf = (record: ImportRecord) => record.orders.filter((order) => order.fill).length

/** New, already on the desk, or in conflict with what is: decided by natural keys only. */
async function sortRecords(ctx: CoreContext, userId: string, batch: HistoryBatch): Promise<Sorted> {
  const existingTrades = await ctx.store.importedHistory.existingTradeKeys(
    userId,
    batch.records.map((record) => record.trade.brokerTradeId),
  )
  const existingOrders = await ctx.store.importedHistory.existingOrderIds(batch.records.flatMap((record) => record.orders))
  const tables = { orders: { new: 0, duplicate: 0, invalid: batch.invalid.orders }, fills: { new: 0, duplicate: 0, invalid: batch.invalid.fills }, trades: { new: 0, duplicate: 0, invalid: batch.invalid.trades } }
  const issues = [...batch.issues]
  const fresh: ImportRecord[] = []
  const seenTrades = new Set<string>()
  const seenOrders = new Set<string>()
  for (const record of batch.records) {
    const count = (kind: 'new' | 'duplicate' | 'invalid') => {
      tables.trades[kind]++
      tables.orders[kind] += record.orders.length
      tables.fills[kind] += fillsOf(record)
    }
    if (existingTrades.has(record.trade.brokerTradeId) || seenTrades.has(record.trade.brokerTradeId)) {
      count('duplicate')
      continue
    }
    const clash = record.orders.find((order) => order.brokerOrderId && (existingOrders.has(orderKey(order.broker, order.brokerOrderId)) || seenOrders.has(orderKey(order.broker, order.brokerOrderId))))
    if (clash) {
      issues.push({ where: record.where, field: 'order_id', message: `order ${clash.brokerOrderId} on ${clash.broker} is already on this desk with another trade or profile; the trade was left out` })
      count('invalid')
      continue
    }
    seenTrades.add(record.trade.brokerTradeId)
    for (const order of record.orders) if (order.brokerOrderId) seenOrders.add(orderKey(order.broker, order.brokerOrderId))
    fresh.push(record)
    count('new')
  }
  return { fresh, tables, issues }
}

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`

function summary(report: ImportReport): string {
  const { trades, orders, fills } = report.tables
  return `Imported ${report.file} (${report.format}, sha256 ${report.sha256}): ${plural(trades.new, 'trade')}, ${plural(orders.new, 'order')} and ${plural(fills.new, 'fill')} new; ${plural(trades.duplicate, 'trade')} already here; ${plural(trades.invalid, 'trade')} left out as invalid.`
}

/**
 * Reads a file of trade history, sorts its records into new, duplicate and invalid,
 * and (unless it is a dry run) writes the new ones: after a backup, in one
 * transaction with one `imported` decision row, so a crash leaves all or nothing.
 */
export async function importHistory(ctx: CoreContext, request: HistoryImportRequest): Promise<ImportReport> {
  const fileName = request.fileName ?? basename(request.path)
  const format = request.format ?? detectFormat(request.path, fileName)
  request.onProgress?.({ phase: 'reading', done: 0, total: 1 })
  const sha256 = await sha256InWorker(request.path).catch(() => {
    throw new ImportFileError(`${fileName} cannot be read.`)
  })
  const batch = readBatch(format, request.path, sha256, fileName)
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
    issues: sorted.issues.slice(0, ISSUES_SHOWN),
    issueCount: sorted.issues.length,
    backupFile: null,
  }
  if (request.dryRun || sorted.fresh.length === 0) return report

  const backup = await ctx.backups.create('pre-import', request.actor)
  report.backupFile = backup.file
  const total = sorted.fresh.length
  let written = 0
  await ctx.store.transaction(async (tx) => {
    await tx.importedHistory.insert(request.userId, sorted.fresh, (records) => {
      written += records
      request.onProgress?.({ phase: 'writing', done: written, total })
    })
    await tx.decisions.append(request.userId, { action: 'imported', actor: request.actor, rationale: summary(report) })
  })
  ctx.events.emit('account:changed', {})
  return report
}
