import Decimal from 'decimal.js'
import { z } from 'zod'
import type { Environment } from '../../../../shared/domain'
import { addIssues, countInvalid, ImportFileError, type HistoryBatch, type HistoryTable } from './history-batch'
import { readBoundedJsonText } from './json-limits'
import type { ImportedOrder, ImportedPosition, ImportRecord } from '../../platform/store/repositories/imported-history'
import { isoTime, sourceDecimal } from './source-values'

/*
 * Order history kept as JSON by the order-routing desk Tradedeck replaces, which ran in
 * India: trades_history.json (executed orders), pending_orders.json (after-market orders
 * waiting for the open) and its paper-trading account (positions and orders). Field names
 * varied between its versions, so each field is found under any of its names; fields
 * Tradedeck does not know are kept in the row's metadata and named in the report.
 */

/** Times written without a zone were the desk's local time. */
const SOURCE_ZONE = '+05:30'

export type OrdersJsonKind = 'trades_history' | 'pending_orders' | 'paper_trading'

/** Each field Tradedeck reads, and the names it went by. */
const FIELDS = {
  orderId: ['order_id', 'broker_order_id', 'id'],
  symbol: ['symbol', 'tradingsymbol', 'instrument'],
  side: ['side', 'transaction_type', 'action'],
  quantity: ['quantity', 'qty', 'filled_quantity'],
  price: ['price', 'average_price', 'avg_price', 'fill_price'],
  triggerPrice: ['trigger_price', 'stop_price'],
  time: [
    'timestamp',
    'order_timestamp',
    'exchange_timestamp',
    'executed_at',
    'filled_at',
    'placed_at',
    'created_at',
    'time',
  ],
  orderType: ['order_type', 'type'],
  fees: ['fees', 'charges', 'brokerage'],
  feeCurrency: ['fee_currency', 'currency'],
  broker: ['broker'],
  exchange: ['exchange'],
  status: ['status'],
  product: ['product'],
  variety: ['variety'],
  tag: ['tag', 'strategy'],
  // Positions.
  direction: ['direction'],
  openedAt: ['opened_at', 'entry_time', 'timestamp'],
  stopLoss: ['stop_loss', 'sl'],
  takeProfit: ['take_profit', 'target', 'tp'],
} as const
type Field = keyof typeof FIELDS
const KNOWN_NAMES = new Set<string>(Object.values(FIELDS).flat())

/** A record's fields under Tradedeck's names, remembering the name each had in the file (for the report). */
function normalise(
  record: Record<string, unknown>,
  fields: readonly Field[],
): { values: Partial<Record<Field, unknown>>; names: Partial<Record<Field, string>> } {
  const values: Partial<Record<Field, unknown>> = {}
  const names: Partial<Record<Field, string>> = {}
  for (const field of fields) {
    const name = FIELDS[field].find(
      (candidate) => record[candidate] !== undefined && record[candidate] !== null && record[candidate] !== '',
    )
    if (name) {
      values[field] = record[name]
      names[field] = name
    }
  }
  return { values, names }
}

const decimal = z
  .union(
    [
      z.number(),
      z
        .string()
        .trim()
        .regex(/^-?\d+(\.\d+)?$/, 'must be a number'),
    ],
    { error: 'must be a number' },
  )
  // A JSON number is a float: its noise (107.10000000000001) is cleaned as from any source; text is taken as written.
  .transform((value) => (typeof value === 'number' ? sourceDecimal(value) : new Decimal(value)))
const positive = decimal.refine((value) => value.gt(0), 'must be above zero')
const nonNegative = decimal.refine((value) => value.gte(0), 'must not be negative')
const text = z.union([z.string(), z.number()], { error: 'must be text' }).transform((value) => String(value).trim())

/** Epoch seconds or milliseconds, or ISO-8601; a time with no zone is the source desk's (IST). */
const time = z.union([z.number(), z.string()], { error: 'must be a time' }).transform((value, ctx) => {
  const iso =
    typeof value === 'number'
      ? Number.isFinite(value) && value > 0
        ? new Date(value < 1e12 ? value * 1000 : value).toISOString()
        : null
      : isoTime(value, SOURCE_ZONE)
  if (iso === null) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a time like 2024-03-01 09:15:00 (IST unless a zone is given) or epoch seconds',
    })
    return z.NEVER
  }
  return iso
})
const side = z
  .string({ error: 'must be BUY or SELL' })
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.enum(['buy', 'sell'], { error: 'must be BUY or SELL' }))

const ORDER_TYPES: Record<string, ImportedOrder['type']> = {
  market: 'market',
  mkt: 'market',
  limit: 'limit',
  lmt: 'limit',
  sl: 'stop_limit',
  'sl-l': 'stop_limit',
  stop_limit: 'stop_limit',
  'sl-m': 'stop',
  slm: 'stop',
  stop: 'stop',
}
const orderType = z
  .string()
  .transform((value) => value.trim().toLowerCase())
  .refine((value) => value in ORDER_TYPES, `must be one of ${Object.keys(ORDER_TYPES).join(', ')}`)
  .transform((value) => ORDER_TYPES[value] as ImportedOrder['type'])

const executedOrder = z.object({
  orderId: text.optional(),
  symbol: text.pipe(z.string().min(1, 'must name the instrument')),
  side,
  quantity: positive,
  price: positive,
  triggerPrice: nonNegative.optional(),
  time,
  orderType: orderType.optional(),
  fees: nonNegative.optional(),
  feeCurrency: text.optional(),
  broker: text.optional(),
  exchange: text.optional(),
  status: text.optional(),
  product: text.optional(),
  variety: text.optional(),
  tag: text.optional(),
})

const pendingOrder = executedOrder.extend({ price: positive.optional() })

const openPosition = z.object({
  symbol: text.pipe(z.string().min(1, 'must name the instrument')),
  direction: z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.enum(['long', 'short', 'buy', 'sell'], { error: 'must be long or short' }))
    .optional(),
  quantity: decimal.refine((value) => !value.isZero(), 'must not be zero'),
  price: positive,
  openedAt: time.optional(),
  stopLoss: positive.optional(),
  takeProfit: positive.optional(),
  broker: text.optional(),
  exchange: text.optional(),
  product: text.optional(),
})

const ORDER_FIELDS: Field[] = [
  'orderId',
  'symbol',
  'side',
  'quantity',
  'price',
  'triggerPrice',
  'time',
  'orderType',
  'fees',
  'feeCurrency',
  'broker',
  'exchange',
  'status',
  'product',
  'variety',
  'tag',
]
const POSITION_FIELDS: Field[] = [
  'symbol',
  'direction',
  'quantity',
  'price',
  'openedAt',
  'stopLoss',
  'takeProfit',
  'broker',
  'exchange',
  'product',
]

interface Source {
  file: string
  sha256: string
  kind: OrdersJsonKind
}

function issuesOf(where: string, error: z.ZodError, names: Partial<Record<Field, string>>) {
  return error.issues.map((issue) => {
    const field = issue.path[0] as Field | undefined
    return { where, field: field ? (names[field] ?? FIELDS[field][0]) : null, message: issue.message }
  })
}

/** The venue the source named; never Tradedeck's own paper broker, which would start managing the rows as its own. */
function brokerOf(values: { broker?: string; exchange?: string }): string {
  const name = (values.broker ?? values.exchange ?? 'imported').toLowerCase()
  return name === 'paper' ? 'imported-paper' : name
}

function extraFieldsOf(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((name) => !KNOWN_NAMES.has(name))
}

function mappedOrder(
  source: Source,
  index: number,
  values: z.infer<typeof pendingOrder>,
  extra: Record<string, unknown>,
  environment: Environment,
): ImportedOrder {
  const pending = source.kind === 'pending_orders'
  const type = values.orderType ?? (values.price && pending ? 'limit' : 'market')
  const broker = brokerOf(values)
  return {
    brokerOrderId: values.orderId ?? `${source.file}#${index + 1}`,
    broker,
    environment,
    symbol: values.symbol,
    side: values.side,
    type,
    quantity: values.quantity.toFixed(),
    limitPrice: (type === 'limit' || type === 'stop_limit') && values.price ? values.price.toFixed() : null,
    stopPrice: values.triggerPrice && !values.triggerPrice.isZero() ? values.triggerPrice.toFixed() : null,
    status: pending ? 'pending' : 'filled',
    createdAt: values.time,
    metadata: {
      source: {
        format: 'orders-json',
        kind: source.kind,
        file: source.file,
        sha256: source.sha256,
        record: index + 1,
        keyedBy: values.orderId ? 'order_id' : 'file and record number',
      },
      ...(pending ? { afterMarket: true, sourceStatus: values.status ?? 'AMO' } : {}),
      ...(values.product ? { product: values.product } : {}),
      ...(values.variety ? { variety: values.variety } : {}),
      ...(values.tag ? { tag: values.tag } : {}),
      ...(values.exchange ? { exchange: values.exchange } : {}),
      ...(Object.keys(extra).length > 0 ? { extra } : {}),
    },
    fill:
      pending || !values.price
        ? null
        : {
            quantity: values.quantity.toFixed(),
            price: values.price.toFixed(),
            fee: (values.fees ?? new Decimal(0)).toFixed(),
            feeCurrency: values.feeCurrency ?? null,
            filledAt: values.time,
          },
  }
}

function mappedPosition(
  source: Source,
  index: number,
  values: z.infer<typeof openPosition>,
  raw: Record<string, unknown>,
  importedAt: string,
): ImportedPosition {
  const short =
    values.direction === 'short' ||
    values.direction === 'sell' ||
    (values.direction === undefined && values.quantity.isNegative())
  const quantity = values.quantity.abs()
  const openedAtText = String(raw.opened_at ?? raw.entry_time ?? raw.timestamp ?? '')
  return {
    brokerPositionId: `paper:${values.symbol}:${short ? 'short' : 'long'}:${quantity.toFixed()}@${values.price.toFixed()}:${openedAtText}`,
    broker: brokerOf(values),
    environment: 'paper',
    symbol: values.symbol,
    direction: short ? 'short' : 'long',
    quantity: quantity.toFixed(),
    averagePrice: values.price.toFixed(),
    stopLoss: values.stopLoss?.toFixed() ?? null,
    takeProfit: values.takeProfit?.toFixed() ?? null,
    openedAt: values.openedAt ?? importedAt,
    metadata: {
      source: {
        format: 'orders-json',
        kind: source.kind,
        file: source.file,
        sha256: source.sha256,
        record: index + 1,
        table: 'positions',
      },
      ...(values.openedAt ? {} : { openedAtUnknown: 'the file gave no opening time; the time of import stands in' }),
      ...(values.product ? { product: values.product } : {}),
    },
  }
}

/** Which of the three files this is: by its top-level keys, else by its name. */
export function kindOf(parsed: unknown, fileName: string): OrdersJsonKind {
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    if ('positions' in parsed) return 'paper_trading'
    if ('pending_orders' in parsed) return 'pending_orders'
    if ('trades' in parsed || 'orders' in parsed)
      return /pending/i.test(fileName) ? 'pending_orders' : /paper/i.test(fileName) ? 'paper_trading' : 'trades_history'
  }
  if (/pending/i.test(fileName)) return 'pending_orders'
  if (/paper/i.test(fileName)) return 'paper_trading'
  return 'trades_history'
}

function listAt(parsed: unknown, keys: string[], fileName: string): unknown[] {
  if (Array.isArray(parsed)) return parsed
  if (parsed && typeof parsed === 'object') {
    for (const key of keys) {
      const value = (parsed as Record<string, unknown>)[key]
      if (value === undefined) continue
      if (!Array.isArray(value)) throw new ImportFileError(`${fileName}: "${key}" must be a list of records.`)
      return value
    }
    return []
  }
  throw new ImportFileError(
    `${fileName} must hold a list of records, or an object with one (such as {"trades": [...]}).`,
  )
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Reads an order-history JSON file into records: each executed order with its fill, each pending order, each open paper position. */
export async function readOrdersJson(
  path: string,
  sha256: string,
  fileName: string,
  now: () => Date = () => new Date(),
): Promise<HistoryBatch> {
  const text = await readBoundedJsonText(path, fileName)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new ImportFileError(`${fileName} is not valid JSON: ${(error as Error).message}`)
  }
  const kind = kindOf(parsed, fileName)
  const source: Source = { file: fileName, sha256, kind }
  const batch: HistoryBatch = {
    tables:
      kind === 'paper_trading'
        ? ['orders', 'fills', 'positions']
        : kind === 'pending_orders'
          ? ['orders']
          : ['orders', 'fills'],
    records: [],
    issues: [],
    issueCount: 0,
    invalid: {},
    skipped: [],
  }
  const extraNames = new Set<string>()
  const environmentOf = (record: Record<string, unknown>): Environment =>
    kind === 'paper_trading' || record.paper === true || record.is_paper === true ? 'paper' : 'live'
  const orders = listAt(
    parsed,
    kind === 'pending_orders'
      ? ['pending_orders', 'orders']
      : kind === 'paper_trading'
        ? ['orders', 'trades']
        : ['trades', 'orders'],
    fileName,
  )
  const each = <Schema extends z.ZodType>(
    list: unknown[],
    label: string,
    fields: Field[],
    schema: Schema,
    rows: Partial<Record<HistoryTable, number>>,
    take: (raw: Record<string, unknown>, data: z.output<Schema>, where: string, index: number) => ImportRecord,
  ) => {
    list.forEach((raw, index) => {
      const where = `${fileName}, ${label} ${index + 1}`
      if (!isRecord(raw)) {
        addIssues(batch, [{ where, field: null, message: 'must be an object of fields' }])
        countInvalid(batch, rows)
        return
      }
      const { values, names } = normalise(raw, fields)
      const result = schema.safeParse(values)
      if (!result.success) {
        addIssues(batch, issuesOf(where, result.error, names))
        countInvalid(batch, rows)
        return
      }
      batch.records.push(take(raw, result.data, where, index))
    })
  }
  each(
    orders,
    kind === 'paper_trading' ? 'orders record' : 'record',
    ORDER_FIELDS,
    kind === 'pending_orders' ? pendingOrder : executedOrder,
    { orders: 1, fills: kind === 'pending_orders' ? 0 : 1 },
    (raw, data, where, index) => {
      const extraKeys = extraFieldsOf(raw).filter((name) => name !== 'paper' && name !== 'is_paper')
      for (const name of extraKeys) extraNames.add(name)
      return {
        where,
        trade: null,
        orders: [
          mappedOrder(
            source,
            index,
            data,
            Object.fromEntries(extraKeys.map((name) => [name, raw[name]])),
            environmentOf(raw),
          ),
        ],
        position: null,
      }
    },
  )
  if (kind === 'paper_trading') {
    const importedAt = now().toISOString()
    each(
      listAt(isRecord(parsed) ? parsed : {}, ['positions'], fileName),
      'positions record',
      POSITION_FIELDS,
      openPosition,
      { positions: 1 },
      (raw, data, where, index) => {
        for (const name of extraFieldsOf(raw)) extraNames.add(name)
        return { where, trade: null, orders: [], position: mappedPosition(source, index, data, raw, importedAt) }
      },
    )
    const balance = isRecord(parsed) ? (parsed.balance ?? parsed.cash ?? parsed.starting_balance) : undefined
    if (balance !== undefined)
      batch.skipped.push({
        count: 1,
        unit: 'balance',
        reason: `(${String(balance)}) not imported: the paper account's starting balance is set in Settings`,
      })
  }
  if (extraNames.size > 0)
    batch.skipped.push({
      count: extraNames.size,
      unit: 'field',
      reason: `Tradedeck has no column for, kept in each row's metadata: ${[...extraNames].sort().join(', ')}`,
    })
  return batch
}
