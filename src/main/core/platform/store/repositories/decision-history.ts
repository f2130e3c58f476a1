import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely'
import type { DecisionHistoryTable, StoreSchema } from '../schema'
import { fromBool, fromJson, newId, nowIso, toBool, toJson } from '../values'
import { compiledOnce } from './compiled-once'
import type {
  Actor,
  Decision,
  DecisionAction,
  DecisionActorGroup,
  DecisionFilter,
  DecisionPage,
} from '../../../../../shared/domain'

export {
  DECISION_ACTIONS,
  type Actor,
  type Decision,
  type DecisionAction,
  type DecisionFilter,
  type DecisionPage,
} from '../../../../../shared/domain'

export interface NewDecision {
  action: DecisionAction
  actor: Actor
  occurredAt?: string
  symbol?: string | null
  rationale?: string
  confidence?: number | null
  riskCheck?: unknown
  strategyId?: string | null
  tradeIdeaId?: string | null
  orderId?: string | null
  snapshotId?: string | null
  humanOverride?: boolean
}

interface Cursor {
  occurredAt: string
  id: string
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.occurredAt, cursor.id])).toString('base64url')
}

export function decodeCursor(value: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((part) => typeof part === 'string'))
      return { occurredAt: parsed[0] as string, id: parsed[1] as string }
  } catch {
    // Fall through to the error below.
  }
  throw new RangeError('The page cursor is not valid; start again from the first page.')
}

function fromRow(row: Selectable<DecisionHistoryTable>): Decision {
  return {
    ...row,
    action: row.action as DecisionAction,
    actor: row.actor as Actor,
    riskCheck: fromJson<unknown>(row.riskCheck),
    humanOverride: toBool(row.humanOverride),
  }
}

/**
 * Symbols are written in upper case by every part of Tradedeck, but a trader types them in any case; the spellings
 * keep the (user, symbol, time) index in use where lower(symbol) would scan the whole history.
 */
function symbolSpellings(typed: string): string[] {
  return [...new Set([typed, typed.toUpperCase(), typed.toLowerCase()])]
}

/** The same grouping as actorGroupOf, as a condition on the stored actor and action. */
function actorGroupCondition(eb: ExpressionBuilder<StoreSchema, 'decisionHistory'>, group: DecisionActorGroup) {
  const notImportOrReconciliation = eb('action', 'not in', ['imported', 'reconciled'])
  switch (group) {
    case 'import':
      return eb('action', '=', 'imported')
    case 'reconciliation':
      return eb('action', '=', 'reconciled')
    case 'person':
      return eb.and([eb('actor', 'like', 'human:%'), notImportOrReconciliation])
    case 'strategy':
      return eb.and([eb('actor', '=', 'ai'), notImportOrReconciliation])
    case 'risk engine':
      return eb.and([eb('actor', '=', 'risk'), notImportOrReconciliation])
    case 'Tradedeck':
      return eb.and([
        eb('actor', 'not in', ['ai', 'risk']),
        eb('actor', 'not like', 'human:%'),
        notImportOrReconciliation,
      ])
  }
}

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`)

const CSV_COLUMNS = [
  'occurred_at',
  'symbol',
  'action',
  'actor',
  'confidence',
  'rationale',
  'strategy_id',
  'trade_idea_id',
  'order_id',
  'snapshot_id',
  'human_override',
  'risk_check',
  'id',
] as const

/** RFC 4180 quoting, and a leading quote on cells a spreadsheet would run as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

function csvLine(decision: Decision): string {
  return (
    [
      decision.occurredAt,
      decision.symbol,
      decision.action,
      decision.actor,
      decision.confidence,
      decision.rationale,
      decision.strategyId,
      decision.tradeIdeaId,
      decision.orderId,
      decision.snapshotId,
      decision.humanOverride,
      decision.riskCheck,
      decision.id,
    ]
      .map(csvCell)
      .join(',') + '\r\n'
  )
}

/** The append-only decision history: no update or delete exists here (and triggers refuse them). */
function decisionRow(userId: string, input: NewDecision) {
  return {
    id: newId(),
    userId,
    occurredAt: input.occurredAt ?? nowIso(),
    symbol: input.symbol ?? null,
    action: input.action,
    rationale: input.rationale ?? '',
    confidence: input.confidence ?? null,
    riskCheck: input.riskCheck === undefined || input.riskCheck === null ? null : toJson(input.riskCheck),
    strategyId: input.strategyId ?? null,
    tradeIdeaId: input.tradeIdeaId ?? null,
    orderId: input.orderId ?? null,
    snapshotId: input.snapshotId ?? null,
    actor: input.actor,
    humanOverride: fromBool(input.humanOverride ?? false),
  }
}

// 14 columns per row stays far below SQLite's 32,766 bound parameters per statement.
const ROWS_PER_INSERT = 500

/** The append-only decision history: no update or delete exists here (and triggers refuse them). */
export function decisionHistoryRepository(db: Kysely<StoreSchema>) {
  const run = compiledOnce(db)
  const insertAll = async (rows: ReturnType<typeof decisionRow>[]) => {
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT)
      await run(
        `append:${chunk.length}`,
        chunk.flatMap((row) => Object.values(row)),
        () => db.insertInto('decisionHistory').values(chunk),
      )
    }
  }
  return {
    async append(userId: string, input: NewDecision): Promise<Decision> {
      const row = decisionRow(userId, input)
      await insertAll([row])
      return fromRow(row)
    },

    /**
     * An append that only queues its row, with its id and time fixed at the call, and a flush that
     * inserts the queued rows in order in one statement. For a transaction that writes many rows and
     * reads none back before it commits; it must flush before the commit.
     */
    deferred() {
      const queued: ReturnType<typeof decisionRow>[] = []
      return {
        append: async (userId: string, input: NewDecision): Promise<Decision> => {
          const row = decisionRow(userId, input)
          queued.push(row)
          return fromRow(row)
        },
        flush: () => insertAll(queued.splice(0)),
      }
    },

    async get(userId: string, id: string): Promise<Decision | null> {
      const row = await db
        .selectFrom('decisionHistory')
        .selectAll()
        .where('userId', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst()
      return row ? fromRow(row) : null
    },

    /** Newest first, keyset-paginated on (occurred_at, id): deep pages cost what the first does. */
    async query(
      userId: string,
      filter: DecisionFilter = {},
      page: { cursor?: string | null; limit?: number } = {},
    ): Promise<DecisionPage> {
      const limit = Math.min(Math.max(page.limit ?? 100, 1), 5000)
      let query = db.selectFrom('decisionHistory').selectAll().where('userId', '=', userId)
      if (filter.symbol) query = query.where('symbol', 'in', symbolSpellings(filter.symbol))
      if (filter.actions?.length) query = query.where('action', 'in', filter.actions)
      if (filter.strategyId) query = query.where('strategyId', '=', filter.strategyId)
      if (filter.tradeIdeaId) query = query.where('tradeIdeaId', '=', filter.tradeIdeaId)
      if (filter.actor) query = query.where((eb) => actorGroupCondition(eb, filter.actor as DecisionActorGroup))
      if (filter.from) query = query.where('occurredAt', '>=', filter.from)
      if (filter.to) query = query.where('occurredAt', '<', filter.to)
      if (filter.text)
        query = query.where(
          sql<boolean>`lower(${sql.ref('rationale')}) like ${`%${likeEscape(filter.text.toLowerCase())}%`} escape '\\'`,
        )
      if (page.cursor) {
        const cursor = decodeCursor(page.cursor)
        query = query.where((eb) => eb(eb.refTuple('occurredAt', 'id'), '<', eb.tuple(cursor.occurredAt, cursor.id)))
      }
      const rows = await query
        .orderBy('occurredAt', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute()
      const hasMore = rows.length > limit
      const pageRows = rows.slice(0, limit).map(fromRow)
      const last = pageRows.at(-1)
      return { rows: pageRows, nextCursor: hasMore && last ? encodeCursor(last) : null }
    },

    /** Streams the filtered history as CSV page by page, honouring back-pressure; never holds the result in memory. */
    async exportCsv(userId: string, filter: DecisionFilter, out: Writable, pageSize = 2000): Promise<number> {
      const write = async (chunk: string) => {
        if (!out.write(chunk)) await once(out, 'drain')
      }
      await write(CSV_COLUMNS.join(',') + '\r\n')
      let cursor: string | null = null
      let count = 0
      do {
        const page: DecisionPage = await this.query(userId, filter, { cursor, limit: pageSize })
        if (page.rows.length > 0) await write(page.rows.map(csvLine).join(''))
        count += page.rows.length
        cursor = page.nextCursor
      } while (cursor)
      return count
    },
  }
}
