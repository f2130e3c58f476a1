import { basename } from 'node:path'
import Database from 'better-sqlite3'
import type Decimal from 'decimal.js'
import { z } from 'zod'
import type { ImportIssue } from '../../../../shared/domain'
import { nativeBindingInUse } from '../../platform/db/sqlite'
import { whyNotAFile } from '../../platform/files/readable-file'
import { MAX_IMPORT_FILE_BYTES } from './file-limits'
import { nextTurn } from '../../platform/next-turn'
import type { ExitReason } from '../../platform/store/repositories/execution'
import { addIssues, countInvalid, ImportFileError, type HistoryBatch } from './history-batch'
import type { ImportedOrder, ImportRecord } from '../../platform/store/repositories/imported-history'
import { decimalText, isoTime, sourceDecimal } from './source-values'

/*
 * Freqtrade's tradesv3.sqlite (and tradesv3.dryrun.sqlite), read read-only. Its schema
 * has changed across versions (sell_reason became exit_reason, buy_tag enter_tag, fee
 * split into fee_open and fee_close, shorts and leverage came later, very old files
 * have no orders table), so the columns are detected and the missing ones take the
 * value Freqtrade's own migrations give them.
 */

type Columns = Set<string>

/** Trades, and orders, read from one file: each is held in memory until the file is checked whole. */
export const MAX_FREQTRADE_TRADES = 200_000
export const MAX_FREQTRADE_ORDERS = 1_000_000
/** Longer than any pair, exchange, tag, status or time Freqtrade writes; a longer text is cut here and the row refused. */
const MAX_TEXT_CHARS = 256

/**
 * Whether the table is there; the file is data, not code, so anything in its place other
 * than a plain table is refused: `trades` and `orders` must be plain tables. A view runs
 * whatever query its author wrote (an endless recursive one never returns, and SQLite
 * cannot be interrupted from here), a virtual table runs a module's code, and a computed
 * column is an expression evaluated per row; Freqtrade writes none of them.
 */
function plainTableExists(db: Database.Database, table: string, displayName: string): boolean {
  const entry = db.prepare('SELECT type, sql FROM sqlite_schema WHERE lower(name) = ?').get(table) as
    { type: string; sql: string | null } | undefined
  if (!entry) return false
  if (entry.type !== 'table')
    throw new ImportFileError(
      `${displayName} is not a Freqtrade database: its ${table} is a ${entry.type}, not a table. Tradedeck reads plain tables only, since a ${entry.type} runs code its author wrote.`,
    )
  if (/^\s*create\s+virtual\s/i.test(entry.sql ?? ''))
    throw new ImportFileError(
      `${displayName} is not a Freqtrade database: its ${table} is a virtual table, which runs a module's code to produce its rows.`,
    )
  const computed = (db.prepare(`PRAGMA table_xinfo("${table}")`).all() as { name: string; hidden: number }[]).filter(
    (column) => column.hidden === 2 || column.hidden === 3,
  )
  if (computed.length > 0)
    throw new ImportFileError(
      `${displayName} is not a Freqtrade database: its ${table} table has computed columns (${computed.map((column) => column.name).join(', ')}), which Freqtrade never writes.`,
    )
  return true
}

function columnsOf(db: Database.Database, table: string, displayName: string): Columns {
  if (!plainTableExists(db, table, displayName)) return new Set()
  return new Set((db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((column) => column.name))
}

function refusePastLimit(db: Database.Database, table: string, limit: number, displayName: string): void {
  const rows = (db.prepare(`SELECT count(*) AS rows FROM "${table}"`).get() as { rows: number }).rows
  if (rows > limit)
    throw new ImportFileError(
      `${displayName} holds ${rows.toLocaleString('en-US')} ${table}, more than the ${limit.toLocaleString('en-US')} one import reads; split the history into several files.`,
    )
}

/** SQLite's own complaint, as the trader needs to hear it. */
function unreadableDatabase(displayName: string, error: unknown): ImportFileError {
  const code = (error as { code?: string }).code ?? ''
  const reason =
    code === 'SQLITE_CORRUPT'
      ? 'the file is damaged (SQLite found a malformed page)'
      : code === 'SQLITE_NOTADB'
        ? 'it is not a SQLite database'
        : code === 'SQLITE_NOMEM' || code === 'SQLITE_TOOBIG'
          ? 'a row in it is too large to read'
          : `SQLite could not read it (${(error as Error).message})`
  return new ImportFileError(`${displayName} cannot be imported: ${reason}. Nothing was imported.`)
}

/** The first of `names` the table has, or the SQL fallback. */
function pick(columns: Columns, names: string[], fallback: string): string {
  return names.find((name) => columns.has(name)) ?? fallback
}

const tooLong = `is longer than ${MAX_TEXT_CHARS} characters`
const positive = z.number({ error: 'must be a number' }).positive('must be above zero')
const nonNegative = z.number({ error: 'must be a number' }).nonnegative('must not be negative')
const time = z
  .string({ error: 'must be a time' })
  .refine((value) => isoTime(value) !== null, 'must be a time like 2024-03-01 12:00:05')

const tradeRow = z.object({
  id: z.number().int(),
  exchange: z
    .string({ error: 'must name the exchange' })
    .trim()
    .min(1, 'must name the exchange')
    .max(MAX_TEXT_CHARS, tooLong),
  pair: z.string({ error: 'must name the pair' }).trim().min(1, 'must name the pair').max(MAX_TEXT_CHARS, tooLong),
  is_open: z.number(),
  open_rate: positive,
  close_rate: positive,
  amount: positive,
  open_date: time,
  close_date: time,
  fee_open: nonNegative.nullable(),
  fee_close: nonNegative.nullable(),
  fee_open_cost: nonNegative.nullable(),
  fee_close_cost: nonNegative.nullable(),
  close_profit_abs: z.number().nullable(),
  realized_profit: z.number().nullable(),
  is_short: z.number(),
  exit_reason: z.string().nullable(),
  strategy: z.string().nullable(),
  enter_tag: z.string().nullable(),
  timeframe: z.union([z.number(), z.string()]).nullable(),
  stake_amount: z.number().nullable(),
  stake_currency: z.string().nullable(),
  leverage: z.number().nullable(),
})
type TradeRow = z.infer<typeof tradeRow>

const orderRow = z.object({
  id: z.number().int(),
  ft_trade_id: z.number().int(),
  ft_order_side: z.string().nullable(),
  order_id: z
    .string({ error: 'must be the exchange order id' })
    .trim()
    .min(1, 'must be the exchange order id')
    .max(MAX_TEXT_CHARS, tooLong),
  status: z.string().nullable(),
  order_type: z.string().nullable(),
  side: z.enum(['buy', 'sell'], { error: 'must be buy or sell' }),
  price: nonNegative.nullable(),
  average: nonNegative.nullable(),
  amount: nonNegative.nullable(),
  filled: nonNegative.nullable(),
  stop_price: nonNegative.nullable(),
  order_date: time.nullable(),
  order_filled_date: time.nullable(),
  order_update_date: time.nullable(),
})
type OrderRow = z.infer<typeof orderRow>

const EXIT_REASONS: Record<string, ExitReason> = {
  roi: 'take_profit',
  stop_loss: 'stop_loss',
  stoploss: 'stop_loss',
  stoploss_on_exchange: 'stop_loss',
  trailing_stop_loss: 'stop_loss',
  liquidation: 'liquidation',
  force_exit: 'manual',
  force_sell: 'manual',
  emergency_exit: 'manual',
  emergency_sell: 'manual',
}

/** Freqtrade's exit reason in Tradedeck's terms; signals, custom exits and anything new count as the strategy's own exit. */
export function exitReasonOf(freqtradeReason: string | null): ExitReason {
  return EXIT_REASONS[(freqtradeReason ?? '').trim()] ?? 'strategy'
}

const ORDER_TYPES: Record<string, ImportedOrder['type']> = {
  market: 'market',
  limit: 'limit',
  stop: 'stop',
  stop_market: 'stop',
  stop_loss: 'stop',
  'stop-loss': 'stop',
  stop_limit: 'stop_limit',
  stop_loss_limit: 'stop_limit',
}

function orderStatusOf(row: OrderRow, filled: number): ImportedOrder['status'] {
  const status = (row.status ?? '').toLowerCase()
  if (status === 'rejected') return 'rejected'
  if (status === 'canceled' || status === 'cancelled' || status === 'expired')
    return filled > 0 ? 'partially_filled' : 'cancelled'
  if (filled > 0 && row.amount !== null && filled < row.amount) return 'partially_filled'
  return 'filled'
}

function issuesOf(where: string, error: z.ZodError): ImportIssue[] {
  return error.issues.map((issue) => ({ where, field: issue.path.join('.') || null, message: issue.message }))
}

/** "BTC/USDT:USDT" → "USDT", the currency stakes and fees are counted in. */
function quoteOf(pair: string): string | null {
  return pair.split('/')[1]?.split(':')[0] ?? null
}

/** A text column cut at MAX_TEXT_CHARS + 1, so an oversized value costs no memory and still fails the row's check. */
const text = (column: string) => `substr(${column}, 1, ${MAX_TEXT_CHARS + 1})`

function tradeSelect(columns: Columns): string {
  const fee = pick(columns, ['fee'], 'NULL')
  return `SELECT id, lower(${text('exchange')}) AS exchange, ${text('pair')} AS pair, is_open, open_rate, close_rate, amount,
      ${text('open_date')} AS open_date, ${text('close_date')} AS close_date,
      ${pick(columns, ['fee_open'], fee)} AS fee_open, ${pick(columns, ['fee_close'], fee)} AS fee_close,
      ${pick(columns, ['fee_open_cost'], 'NULL')} AS fee_open_cost, ${pick(columns, ['fee_close_cost'], 'NULL')} AS fee_close_cost,
      ${pick(columns, ['close_profit_abs'], 'NULL')} AS close_profit_abs, ${pick(columns, ['realized_profit'], 'NULL')} AS realized_profit,
      coalesce(${pick(columns, ['is_short'], '0')}, 0) AS is_short, ${text(pick(columns, ['exit_reason', 'sell_reason'], 'NULL'))} AS exit_reason,
      ${text(pick(columns, ['strategy'], 'NULL'))} AS strategy, ${text(pick(columns, ['enter_tag', 'buy_tag'], 'NULL'))} AS enter_tag,
      ${text(pick(columns, ['timeframe', 'ticker_interval'], 'NULL'))} AS timeframe, ${pick(columns, ['stake_amount'], 'NULL')} AS stake_amount,
      ${text(pick(columns, ['stake_currency'], 'NULL'))} AS stake_currency, ${pick(columns, ['leverage'], 'NULL')} AS leverage
    FROM trades ORDER BY id`
}

function orderSelect(columns: Columns): string {
  return `SELECT id, ft_trade_id, ${text(pick(columns, ['ft_order_side'], 'NULL'))} AS ft_order_side, ${text('order_id')} AS order_id,
      ${text('status')} AS status, ${text('order_type')} AS order_type, ${text('side')} AS side,
      price, ${pick(columns, ['average'], 'NULL')} AS average, ${pick(columns, ['ft_amount', 'amount'], 'NULL')} AS amount, filled,
      ${pick(columns, ['stop_price'], 'NULL')} AS stop_price, ${text('order_date')} AS order_date,
      ${text('order_filled_date')} AS order_filled_date, ${text('order_update_date')} AS order_update_date
    FROM orders ORDER BY ft_trade_id, id`
}

interface TradeContext {
  file: string
  sha256: string
  row: TradeRow
  environment: ImportedOrder['environment']
  feeCurrency: string | null
}

function mappedOrder(context: TradeContext, row: OrderRow): ImportedOrder {
  const filled = row.filled ?? 0
  const price = row.average ?? row.price
  const isEntry = row.ft_order_side
    ? row.ft_order_side === (context.row.is_short ? 'sell' : 'buy')
    : row.side === (context.row.is_short ? 'sell' : 'buy')
  const feeRate = (isEntry ? context.row.fee_open : context.row.fee_close) ?? 0
  const filledAt = isoTime(
    row.order_filled_date ??
      row.order_update_date ??
      row.order_date ??
      (isEntry ? context.row.open_date : context.row.close_date),
  ) as string
  const type = ORDER_TYPES[(row.order_type ?? '').toLowerCase()] ?? 'limit'
  return {
    brokerOrderId: row.order_id,
    broker: context.row.exchange,
    environment: context.environment,
    symbol: context.row.pair,
    side: row.side,
    type,
    quantity: decimalText(row.amount ?? filled),
    limitPrice: type === 'limit' || type === 'stop_limit' ? (row.price ? decimalText(row.price) : null) : null,
    stopPrice: row.stop_price ? decimalText(row.stop_price) : null,
    status: orderStatusOf(row, filled),
    createdAt: isoTime(row.order_date ?? (isEntry ? context.row.open_date : context.row.close_date)) as string,
    metadata: {
      source: { format: 'freqtrade', file: context.file, sha256: context.sha256, table: 'orders', row: row.id },
      freqtrade: { orderType: row.order_type, status: row.status, side: row.ft_order_side },
    },
    fill:
      filled > 0 && price
        ? {
            quantity: decimalText(filled),
            price: decimalText(price),
            fee: sourceDecimal(filled).times(sourceDecimal(price)).times(sourceDecimal(feeRate)).toFixed(),
            feeCurrency: context.feeCurrency,
            filledAt,
          }
        : null,
  }
}

/** A trade from before Freqtrade kept orders: its entry and exit, filled at the trade's own rates and times. */
function synthesizedOrders(context: TradeContext): ImportedOrder[] {
  const { row } = context
  const entrySide = row.is_short ? 'sell' : 'buy'
  const leg = (side: 'buy' | 'sell', price: number, at: string, feeRate: number | null): ImportedOrder => ({
    brokerOrderId: null,
    broker: row.exchange,
    environment: context.environment,
    symbol: row.pair,
    side,
    type: 'market',
    quantity: decimalText(row.amount),
    limitPrice: null,
    stopPrice: null,
    status: 'filled',
    createdAt: isoTime(at) as string,
    metadata: {
      source: { format: 'freqtrade', file: context.file, sha256: context.sha256, table: 'trades', row: row.id },
      synthesized: 'this Freqtrade file has no orders table',
    },
    fill: {
      quantity: decimalText(row.amount),
      price: decimalText(price),
      fee: sourceDecimal(row.amount)
        .times(sourceDecimal(price))
        .times(sourceDecimal(feeRate ?? 0))
        .toFixed(),
      feeCurrency: context.feeCurrency,
      filledAt: isoTime(at) as string,
    },
  })
  return [
    leg(entrySide, row.open_rate, row.open_date, row.fee_open),
    leg(entrySide === 'buy' ? 'sell' : 'buy', row.close_rate, row.close_date, row.fee_close),
  ]
}

/**
 * Tradedeck keeps a trade's P&L before fees (realized_pnl) and its fees apart; Freqtrade
 * keeps it after fees (close_profit_abs, or realized_profit in files that have it), so
 * the fees are added back. Files with neither are worked out from the rates.
 */
function grossPnl(row: TradeRow, fees: Decimal): string {
  const net =
    row.close_profit_abs ?? (row.realized_profit !== null && row.realized_profit !== 0 ? row.realized_profit : null)
  if (net !== null) return sourceDecimal(net).plus(fees).toFixed()
  const move = sourceDecimal(row.close_rate).minus(sourceDecimal(row.open_rate)).times(sourceDecimal(row.amount))
  return (row.is_short ? move.negated() : move).toFixed()
}

function feesOf(row: TradeRow): Decimal {
  if (row.fee_open_cost !== null || row.fee_close_cost !== null)
    return sourceDecimal(row.fee_open_cost ?? 0).plus(sourceDecimal(row.fee_close_cost ?? 0))
  const amount = sourceDecimal(row.amount)
  return amount
    .times(sourceDecimal(row.open_rate))
    .times(sourceDecimal(row.fee_open ?? 0))
    .plus(amount.times(sourceDecimal(row.close_rate)).times(sourceDecimal(row.fee_close ?? 0)))
}

/** Rows read between two turns of the event loop: the core's thread keeps answering windows during a large file. */
const ROWS_PER_TURN = 500

export async function readFreqtradeDatabase(
  path: string,
  sha256: string,
  displayName = basename(path),
  onProgress?: (done: number, total: number) => void,
): Promise<HistoryBatch> {
  const unreadable = whyNotAFile(path, displayName, MAX_IMPORT_FILE_BYTES)
  if (unreadable) throw new ImportFileError(unreadable)
  let db: Database.Database
  try {
    const binding = nativeBindingInUse()
    db = new Database(path, { readonly: true, fileMustExist: true, ...(binding ? { nativeBinding: binding } : {}) })
    db.pragma('trusted_schema = OFF')
    db.prepare('SELECT 1 FROM sqlite_schema LIMIT 1').get()
  } catch {
    throw new ImportFileError(`${displayName} is not a SQLite database, so it is not a Freqtrade database.`)
  }
  try {
    return await readOpenedDatabase(db, sha256, displayName, onProgress)
  } catch (error) {
    if (error instanceof ImportFileError) throw error
    throw unreadableDatabase(displayName, error)
  } finally {
    db.close()
  }
}

async function readOpenedDatabase(
  db: Database.Database,
  sha256: string,
  displayName: string,
  onProgress?: (done: number, total: number) => void,
): Promise<HistoryBatch> {
  const tradeColumns = columnsOf(db, 'trades', displayName)
  const required = ['id', 'exchange', 'pair', 'is_open', 'open_rate', 'close_rate', 'amount', 'open_date', 'close_date']
  const missing = required.filter((column) => !tradeColumns.has(column))
  if (missing.length > 0)
    throw new ImportFileError(
      `${displayName} is not a Freqtrade database: its trades table ${tradeColumns.size === 0 ? 'is missing' : `lacks ${missing.join(', ')}`}.`,
    )
  const orderColumns = columnsOf(db, 'orders', displayName)
  const hasOrders = ['ft_trade_id', 'order_id', 'side', 'status', 'filled'].every((column) => orderColumns.has(column))
  refusePastLimit(db, 'trades', MAX_FREQTRADE_TRADES, displayName)
  if (hasOrders) refusePastLimit(db, 'orders', MAX_FREQTRADE_ORDERS, displayName)
  const ordersByTrade = new Map<number, unknown[]>()
  if (hasOrders) {
    let read = 0
    for (const order of db.prepare(orderSelect(orderColumns)).iterate() as IterableIterator<{
      ft_trade_id: number
    }>) {
      const list = ordersByTrade.get(order.ft_trade_id)
      if (list) list.push(order)
      else ordersByTrade.set(order.ft_trade_id, [order])
      if (++read % ROWS_PER_TURN === 0) await nextTurn()
    }
  }
  const total = (db.prepare('SELECT count(*) AS trades FROM trades').get() as { trades: number }).trades
  let done = 0
  const batch: HistoryBatch = {
    tables: ['orders', 'fills', 'trades'],
    records: [],
    issues: [],
    issueCount: 0,
    invalid: { orders: 0, fills: 0, trades: 0 },
    skipped: [],
  }
  let open = 0
  const dryRunFile = /dryrun/i.test(displayName)
  for (const raw of db.prepare(tradeSelect(tradeColumns)).iterate() as IterableIterator<Record<string, unknown>>) {
    if (++done % ROWS_PER_TURN === 0) {
      onProgress?.(done, total)
      await nextTurn()
    }
    const where = `${displayName}, trades row ${String(raw.id)}`
    const rawOrders = ordersByTrade.get(raw.id as number) ?? []
    if (raw.is_open === 1) {
      open++
      continue
    }
    const parsed = tradeRow.safeParse(raw)
    if (!parsed.success) {
      addIssues(batch, issuesOf(where, parsed.error))
      countInvalid(batch, { trades: 1, orders: rawOrders.length })
      continue
    }
    const row = parsed.data
    const orders = rawOrders.map((order) => ({ raw: order, parsed: orderRow.safeParse(order) }))
    const badOrders = orders.filter((order) => !order.parsed.success)
    if (badOrders.length > 0) {
      for (const order of badOrders)
        if (!order.parsed.success)
          addIssues(
            batch,
            issuesOf(
              `${displayName}, orders row ${String((order.raw as { id: unknown }).id)} (trade ${row.id})`,
              order.parsed.error,
            ),
          )
      countInvalid(batch, { trades: 1, orders: rawOrders.length })
      continue
    }
    const validOrders = orders.map((order) => order.parsed.data as OrderRow)
    const environment =
      validOrders.length > 0
        ? validOrders.every((order) => order.order_id.startsWith('dry_run'))
          ? 'paper'
          : 'live'
        : dryRunFile
          ? 'paper'
          : 'live'
    const context: TradeContext = {
      file: displayName,
      sha256,
      row,
      environment,
      feeCurrency: row.stake_currency ?? quoteOf(row.pair),
    }
    const fees = feesOf(row)
    const record: ImportRecord = {
      where,
      trade: {
        brokerTradeId: `freqtrade:${row.id}:${row.pair}:${isoTime(row.open_date)}`,
        broker: row.exchange,
        symbol: row.pair,
        direction: row.is_short ? 'short' : 'long',
        quantity: decimalText(row.amount),
        entryPrice: decimalText(row.open_rate),
        exitPrice: decimalText(row.close_rate),
        realizedPnl: grossPnl(row, fees),
        fees: fees.toFixed(),
        exitReason: exitReasonOf(row.exit_reason),
        openedAt: isoTime(row.open_date) as string,
        closedAt: isoTime(row.close_date) as string,
        metadata: {
          source: { format: 'freqtrade', file: displayName, sha256, table: 'trades', row: row.id },
          environment,
          freqtrade: {
            exitReason: row.exit_reason,
            strategy: row.strategy,
            enterTag: row.enter_tag,
            timeframe: row.timeframe,
            stakeAmount: row.stake_amount,
            stakeCurrency: context.feeCurrency,
            leverage: row.leverage ?? 1,
          },
        },
      },
      orders: hasOrders ? validOrders.map((order) => mappedOrder(context, order)) : synthesizedOrders(context),
      position: null,
    }
    batch.records.push(record)
  }
  if (open > 0)
    batch.skipped.push({
      count: open,
      unit: 'trade',
      reason: 'still open in Freqtrade; import the file again once they close',
    })
  return batch
}
