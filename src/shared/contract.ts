import { z } from 'zod'
import type { ChannelName, EventName } from './channels'
import {
  DECISION_ACTIONS,
  DECISION_ACTOR_GROUPS,
  EXCHANGE_IDS,
  INSTANCE_NAME_MAX,
  NOTIFICATION_EVENTS,
  TASK_NAMES,
  TASK_OUTCOMES,
  TRADE_IDEA_STATUSES,
  type AccountSummary,
  type BacktestRun,
  type BacktestRunSummary,
  type CandleDownloadResult,
  type CsvImportResult,
  type ExchangeCapabilities,
  type ExchangeKeyTest,
  type ExchangeKeyView,
  type FlattenReport,
  type ReconcileView,
  type CertifyResult,
  type Decision,
  type DecisionPage,
  type ErrorLogEntry,
  type ErrorLogPage,
  type HealthReport,
  type ImportReport,
  type NotificationEvent,
  type NotificationNotice,
  type NotificationPreferences,
  type ProfileDeletePreview,
  type ProfileView,
  type TaskRun,
  type RiskConfig,
  type StrategyKindInfo,
  type StrategyLogEntry,
  type StrategyView,
  type TradeIdea,
} from './domain'
import type { Precision } from './money'

export type { ChannelName, EventName } from './channels'

/**
 * The one IPC contract. Every channel has a name, a zod schema for its input
 * and a result type; every event from core to renderer has a payload schema.
 * Electron's preload and browser mode's WebSocket bridge both build `window.api`
 * from this table, so the renderer never knows which host it runs in.
 */

export interface QuickCheck {
  ok: boolean
  messages: string[]
}

export interface IntegrityCheck extends QuickCheck {
  /** When quick_check last ran: at start, after a restore, or when the trader asked. */
  checkedAt: string
}

export interface SystemStatus {
  appVersion: string
  host: HostKind
  dataDir: string
  dbPath: string
  sqliteVersion: string
  sizeBytes: number
  schemaVersion: number
  quickCheck: IntegrityCheck
  startupMigration: StartupMigrationState
}

export type HostKind = 'electron' | 'browser' | 'cli'

/** What happened to the schema when the app started; the renderer shows a recovery screen unless it is 'ok'. */
export type StartupMigrationState =
  | { state: 'running' }
  | { state: 'ok'; applied: number[]; backupPath: string | null }
  | {
      state: 'failed'
      message: string
      backupPath: string | null
      diagnostics: string
      /** Set when a person rolled the schema back on purpose. */ rolledBack?: boolean
    }
  | { state: 'newer_database'; message: string; unknownVersions: number[]; restorableBackup: string | null }

export interface RestoreResult {
  restoredFrom: string
  preRestoreBackup: string
  status: SystemStatus
}

export interface BackupInfo {
  file: string
  path: string
  createdAt: string
  reason:
    | 'manual'
    | 'scheduled'
    | 'pre-migration'
    | 'pre-restore'
    | 'pre-rollback'
    | 'from-central'
    | 'pre-import'
    | 'pre-profile-delete'
  sha256: string
  size: number
  schemaVersion: number
  appVersion: string
  rowCounts: Record<string, number>
  verified: boolean
}

export interface RestoreSummary {
  restoredFrom: BackupInfo
  preRestore: BackupInfo
  /** Migrations applied to bring the restored database up to this app's schema. */
  migrated: number[]
  resumedStrategies: number
}

export interface BackupProgress {
  operation: 'backup' | 'verify' | 'restore' | 'prune' | 'rollback'
  phase: 'running' | 'done' | 'failed'
  percent: number | null
  message: string
}

export interface MigrationStatusView {
  engine: 'sqlite' | 'postgresql'
  /** The SQLite file, or the PostgreSQL server and database. */
  path: string
  sizeBytes: number
  current: number
  migrations: {
    version: number
    name: string
    state: 'applied' | 'pending' | 'drifted' | 'missing' | 'unknown_newer'
    appliedAt: string | null
    problem: string | null
  }[]
  /** Lines where the live schema differs from what the applied migrations produce; empty when it matches. */
  schemaDrift: string[]
  pending: MigrationPlanView[]
  /** The migration "Roll back last migration" would undo, and how safely. */
  lastApplied: { version: number; name: string; lossy: boolean; irreversible: boolean } | null
}

export interface MigrationPlanView {
  version: number
  name: string
  class: 'additive' | 'destructive' | 'table_rebuild' | 'non_transactional'
  statements: number
  warnings: string[]
}

export interface RollbackView {
  from: number
  to: number
  rolledBack: { version: number; name: string; lossy: boolean }[]
  backupFile: string | null
  warnings: string[]
  /** What the rollback changed, in words: tables, columns, indexes and triggers, and the rows each table holds. */
  summary: string[]
  /** The same as SQL, one line per table, index or trigger: the details behind the summary. */
  schemaChanges: string[]
}

export interface AuditEntryView {
  id: string
  actor: string
  subject: string
  action: string
  details: Record<string, unknown>
  occurredAt: string
}

export interface ChartCandle {
  ts: string
  open: number
  high: number
  low: number
  close: number
}

export interface IdeaCandles {
  symbol: string
  timeframe: string | null
  /** The candle the strategy decided on; null when the idea carries no snapshot. */
  snapshotTs: string | null
  candles: ChartCandle[]
}

/** Where an idea would trade, so the trader sees real money before sending it. */
export interface IdeaVenue {
  broker: string
  environment: 'live' | 'testnet' | 'paper'
  /** The exchange's name, or "Paper". */
  label: string
}

/** The market's last closed price for a waiting idea, from the candles its strategy trades on. */
export interface IdeaMark {
  id: string
  price: string | null
  at: string | null
}

export interface OrderView {
  id: string
  side: 'buy' | 'sell'
  quantity: string
  status: string
  createdAt: string
  fills: { price: string; quantity: string; fee: string; filledAt: string }[]
}

/** What a decision points at: its idea, its order with fills, and the candles around its snapshot. */
export interface DecisionContext {
  idea: TradeIdea | null
  order: OrderView | null
  candles: IdeaCandles | null
  /** The places its prices are shown at: those its strategy rounds to; null without a strategy. */
  precision: Precision | null
}

export interface EquityPoint {
  at: string
  equity: string
}

/** Trades imported from other systems, apart from the desk's own account: their realised P&L, per source, and its running total over time. */
export interface ImportedHistoryView {
  trades: number
  /** The quote currency every imported trade shares; null when they are in several. */
  currency: string | null
  /** After fees. */
  netPnl: string
  fees: string
  sources: { file: string; trades: number; netPnl: string }[]
  /** The running net P&L at each close, thinned to what a chart can show. */
  curve: EquityPoint[]
}

export interface PositionView {
  id: string
  symbol: string
  direction: 'long' | 'short'
  quantity: string
  averagePrice: string
  stopLoss: string | null
  takeProfit: string | null
  /** The last price its venue's broker saw, and the open P&L at it; null before the first candle. */
  mark: string | null
  unrealisedPnl: string | null
  openedAt: string
  /** Where it is held: paper, or an exchange and its environment. */
  venue: string
  /**
   * What closes it at its stop: the exchange (a resting stop order), Tradedeck watching it, or nothing, for a
   * position the trader opened outside Tradedeck until they ask Tradedeck to protect it.
   */
  protection: 'exchange' | 'watched' | 'none'
  /** The places of its tick and step: the exchange's market, or the paper instance's price decimals; null if unknown. */
  precision: Precision | null
  /** Its trailing stop and break-even in words, and who moves its stop; null when none is set. */
  trail: string | null
}

/** An economic-calendar event as the Overview and an idea's detail show it. */
export interface CalendarEventView {
  eventTime: string
  currency: string
  impact: 'low' | 'medium' | 'high'
  title: string
  previousValue: string | null
  forecastValue: string | null
  actualValue: string | null
}

/** A news item as an idea's detail shows it. */
export interface NewsItemView {
  publishedAt: string
  source: string
  headline: string
  symbols: string[]
}

/** One open position with what its chart shows: the candles from its idea on, and every fill of it. */
export interface PositionDetail {
  position: PositionView
  candles: IdeaCandles
  fills: { ts: string; side: 'buy' | 'sell'; price: string; quantity: string; closes: boolean }[]
}

export interface TradeView {
  id: string
  symbol: string
  direction: 'long' | 'short'
  quantity: string
  entryPrice: string
  exitPrice: string
  /** After fees. */
  netPnl: string
  exitReason: string
  closedAt: string
  /** The file an imported trade came from (Settings → Import); null for the desk's own. */
  importedFrom: string | null
  precision: Precision | null
}

export const centralConnectionSchema = z
  .object({
    url: z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
      .max(2000)
      .optional(),
    host: z.string().trim().min(1).max(255).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    database: z.string().trim().min(1).max(63).optional(),
    user: z.string().trim().min(1).max(63).optional(),
    sslMode: z.enum(['disable', 'require', 'verify-ca', 'verify-full']),
    caFile: z.string().trim().min(1).max(4096).optional(),
    /** Write-only: undefined keeps the saved password, null forgets it. */
    password: z.string().max(1000).nullable().optional(),
  })
  .strict()
  .refine((input) => Boolean(input.url) !== Boolean(input.host), {
    message: 'give either a connection URL or a host, not both',
    path: ['host'],
  })
  .refine((input) => !input.caFile || input.sslMode.startsWith('verify'), {
    message: 'a CA file is only used with verify-ca or verify-full',
    path: ['caFile'],
  })

export type CentralConnectionInput = z.output<typeof centralConnectionSchema>

export interface CentralConnectionView {
  configured: boolean
  connection: Omit<CentralConnectionInput, 'password'> | null
  passwordSaved: boolean
  secretStorage: { storage: 'os-keychain' | 'basic-text' | 'key-file'; note: string | null }
}

export interface CentralTestResult {
  ok: boolean
  serverVersion: string | null
  latencyMs: number | null
  canCreateTables: boolean | null
  message: string
  failure: 'auth' | 'network' | 'ssl' | 'database_missing' | 'other' | null
}

export interface TableVerification {
  table: string
  localRows: number
  centralRows: number
  /** Rows with a change still in the outbox: not compared. */
  pending: number
  localChecksum: string
  centralChecksum: string
  differing: number
  mismatchedKeys: string[]
  matches: boolean
}

export interface SyncVerification {
  at: string
  ok: boolean
  tables: TableVerification[]
}

/** Replication to the central database, as the Database page shows it. */
export interface SyncStatusView {
  /** off: never started; copying: the initial copy; syncing: sending the outbox; idle: nothing to send; retrying: the central database is unreachable; blocked: the schemas differ. */
  state: 'off' | 'connecting' | 'copying' | 'syncing' | 'idle' | 'retrying' | 'blocked' | 'paused'
  connected: boolean
  target: string | null
  paused: boolean
  lagRows: number
  oldestQueuedAt: string | null
  lastSuccessAt: string | null
  lastError: string | null
  lastErrorAt: string | null
  nextRetryAt: string | null
  initialCopy: { done: boolean; copied: number; total: number; table: string | null; doneAt: string | null }
  verification: SyncVerification | null
}

export interface CentralRestoreView {
  userId: string
  rows: Record<string, number>
  restore: RestoreSummary
}

export interface SettingsView {
  profile: { id: string; displayName: string; email: string | null }
  host: HostKind
  dataDir: string
  dbPath: string
  /** Newest first: this profile's changes and the install-wide ones (backups, restores, migrations). */
  audit: AuditEntryView[]
}

interface ChannelSpec<Input extends z.ZodType, Result> {
  input: Input
  /** Phantom: carries the result type only. */
  result?: Result
}

function channel<Result>() {
  return <Input extends z.ZodType>(input: Input): ChannelSpec<Input, Result> => ({ input })
}

const noInput = z.object({}).strict()
const id = z.uuid('must be an id')
const note = z.string().trim().max(2000, 'keep the note under 2,000 characters').nullable().optional()
const decimalText = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/, 'must be a positive decimal number like 0.5')
const isoTime = z.iso.datetime({ message: 'must be an ISO-8601 time' })
const profileName = z
  .string({ error: 'name the profile' })
  .trim()
  .min(1, 'name the profile')
  .max(60, 'keep the name under 60 characters')
  .refine(
    (text) => ![...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f),
    'must not contain control characters',
  )
  // Two profiles must never look alike: no invisible characters (zero-width spaces and joiners, soft
  // hyphens, format characters) and no bidirectional controls, which can make one name read as another.
  .refine((text) => !/[\p{Cf}\p{Co}\p{Cn}\u034f\u115f\u1160\u3164\uffa0]/u.test(text), {
    message: 'must not contain invisible or text-direction characters',
  })
const retentionDays = z
  .number({ error: 'enter a whole number of days' })
  .int('enter a whole number of days')
  .min(7, 'keep at least 7 days')
  .max(36_500)
const instanceName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(INSTANCE_NAME_MAX, `must be at most ${INSTANCE_NAME_MAX} characters`)
  .refine(
    (text) => ![...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f),
    'must not contain control characters',
  )

const instrumentSchema = z
  .string()
  .trim()
  .min(1, 'name the instrument, e.g. BTC-USD')
  .max(40)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/:-]*$/, 'use letters, digits and . _ / : - only, e.g. BTC-USD')
const isTimeZone = (value: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
    return true
  } catch {
    return false
  }
}

/** Search text: a control character (NUL above all) would cut the SQL pattern short and match every row. */
const searchText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine(
      (text) => ![...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f),
      'must not contain control characters',
    )

export const decisionFilterSchema = z
  .object({
    symbol: searchText(50).optional(),
    actions: z.array(z.enum(DECISION_ACTIONS)).max(DECISION_ACTIONS.length).optional(),
    strategyId: id.optional(),
    tradeIdeaId: id.optional(),
    actor: z.enum(DECISION_ACTOR_GROUPS, { message: 'must be one of: ' + DECISION_ACTOR_GROUPS.join(', ') }).optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    text: searchText(200).optional(),
  })
  .strict()
  .refine((filter) => !(filter.from && filter.to) || filter.from < filter.to, {
    message: 'the start must be before the end',
    path: ['to'],
  })

export const riskConfigPatchSchema = z
  .object({
    aiTradingEnabled: z.boolean(),
    minConfidenceThreshold: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1'),
    maxLotSize: decimalText,
    maxConcurrentTrades: z.number().int().min(0).max(1000),
    dailyProfitTarget: decimalText.nullable(),
    stopAfterTarget: z.boolean(),
    maxDrawdownAmount: decimalText.nullable(),
    maxOrderNotional: decimalText.nullable(),
    maxDailyNotional: decimalText.nullable(),
    maxDailyLoss: decimalText.nullable(),
    haltOnDrawdown: z.boolean(),
    allowOffWatchlistAutotrade: z.boolean(),
    watchlist: z.array(z.string().trim().min(1).max(50)).max(500),
    dayBoundaryTimezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Amsterdam'),
  })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'change at least one setting' })

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day like 22:00')
const deliveries = z.object({ inApp: z.boolean(), desktop: z.boolean() }).strict()

export const notificationPreferencesSchema = z
  .object({
    events: z
      .object(
        Object.fromEntries(NOTIFICATION_EVENTS.map((event) => [event, deliveries])) as Record<
          NotificationEvent,
          typeof deliveries
        >,
      )
      .strict(),
    quietHours: z
      .object({
        from: clockTime,
        to: clockTime,
        timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Amsterdam'),
      })
      .strict()
      .refine((hours) => hours.from !== hours.to, {
        message: 'quiet hours must start and end at different times',
        path: ['to'],
      })
      .nullable(),
  })
  .strict()

const exchangeId = z.enum(EXCHANGE_IDS, { error: `must be one of ${EXCHANGE_IDS.join(', ')}` })
const exchangeEnvironment = z.enum(['testnet', 'live'], { error: 'must be testnet or live' })
const keyText = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `enter the ${what}`)
    .max(512, `the ${what} is longer than any exchange issues`)
    .regex(/^[\x21-\x7e]+$/, `the ${what} holds only printable characters without spaces`)

export const exchangeKeySchema = z
  .object({
    exchange: exchangeId,
    environment: exchangeEnvironment.default('testnet'),
    apiKey: keyText('API key'),
    secret: keyText('secret'),
  })
  .strict()

/** Candle lengths an exchange download stores: the desk's timeframes that exchanges serve (none serves 1s history). */
export const DOWNLOAD_TIMEFRAMES = ['1m', '5m', '15m', '1h', '1d'] as const

export const candleDownloadSchema = z
  .object({
    exchange: exchangeId,
    environment: exchangeEnvironment.default('live'),
    symbol: z.string().trim().min(1, 'name the instrument, e.g. BTC-PERPETUAL').max(60),
    timeframe: z.enum(DOWNLOAD_TIMEFRAMES, { error: `must be one of ${DOWNLOAD_TIMEFRAMES.join(', ')}` }),
    from: isoTime,
    to: isoTime.optional(),
  })
  .strict()
  .refine((request) => !request.to || request.from < request.to, {
    message: 'the start must be before the end',
    path: ['to'],
  })

export const CANDLE_TIMEFRAMES = ['1s', '1m', '5m', '15m', '1h', '1d'] as const

/** Where imported candles go; the file itself travels outside the contract (a picked path on the desktop, an upload in browser mode). */
export const candleImportTarget = z
  .object({
    symbol: instrumentSchema,
    timeframe: z.enum(CANDLE_TIMEFRAMES),
    importId: z.uuid('must be an id'),
  })
  .strict()

/** What a backtest runs on: a seeded synthetic market, or candles already stored (imported from CSV or recorded). */
export const backtestRequestSchema = z
  .object({
    runId: z.uuid('must be an id'),
    name: z.string().trim().max(120, 'keep the name under 120 characters').optional(),
    kind: z.string().trim().min(1, 'choose a strategy kind').max(100),
    config: z.record(z.string(), z.unknown()).default({}),
    symbol: instrumentSchema,
    timeframe: z.enum(CANDLE_TIMEFRAMES),
    source: z.enum(['synthetic', 'stored']),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    candles: z
      .number()
      .int()
      .min(10, 'run at least 10 candles')
      .max(5_000_000, 'run at most 5,000,000 candles')
      .optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    slippage: z
      .string()
      .trim()
      .regex(/^0(\.\d+)?$/, 'must be a fraction below 1, like 0.0002')
      .optional(),
    feeRate: z
      .string()
      .trim()
      .regex(/^0(\.\d+)?$/, 'must be a fraction below 1, like 0.0004')
      .optional(),
    startingEquity: decimalText.optional(),
  })
  .strict()
  .refine((request) => !(request.from && request.to) || request.from < request.to, {
    message: 'the start must be before the end',
    path: ['to'],
  })

export interface BacktestProgress {
  runId: string
  phase: 'running' | 'done' | 'failed' | 'cancelled'
  candles: number
  /** Known for a synthetic market; null for stored candles until the run ends. */
  total: number | null
  message: string
}

export interface CandleImportProgress {
  importId: string
  phase: 'checking' | 'importing' | 'done' | 'failed'
  bytesRead: number
  bytes: number
  candles: number
}

export interface ExportResult {
  path: string
  rows: number
}

const backupFile = z
  .string()
  .regex(/^tradedeck-[0-9TZ]+-[a-z-]+\.sqlite$/, 'must be the file name of a backup in the catalogue')

export const contract = {
  'system:status': channel<SystemStatus>()(noInput),
  'startup:retry': channel<SystemStatus>()(noInput),
  /** Runs quick_check now; system:status returns the last result. */
  'system:checkIntegrity': channel<SystemStatus>()(noInput),
  /** Every health check; the full integrity_check reads the whole file, so it runs only when asked. */
  'health:check': channel<HealthReport>()(z.object({ integrity: z.boolean().default(false) }).strict()),
  /** Runs of the background jobs, newest first. */
  'tasks:list': channel<TaskRun[]>()(
    z
      .object({
        task: z.enum(TASK_NAMES).optional(),
        outcome: z.enum(TASK_OUTCOMES).optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
  ),
  /** Errors, newest first, with the profile's unresolved count. */
  'errors:list': channel<ErrorLogPage>()(
    z
      .object({
        strategyId: z.uuid('must be an id').optional(),
        since: z.iso.datetime({ message: 'must be an ISO-8601 time' }).optional(),
        until: z.iso.datetime({ message: 'must be an ISO-8601 time' }).optional(),
        unresolved: z.boolean().optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
  ),
  /** Marks an error resolved with a note; the audit log records it. */
  'errors:resolve': channel<ErrorLogEntry>()(
    z
      .object({
        id: z.uuid('must be an id'),
        note: z
          .string()
          .trim()
          .min(1, 'write what was done about it')
          .max(2000)
          .refine(
            (text) =>
              ![...text].some(
                (char) => (char.charCodeAt(0) < 0x20 && !'\t\n\r'.includes(char)) || char.charCodeAt(0) === 0x7f,
              ),
            'must not contain control characters',
          ),
      })
      .strict(),
  ),
  /** Days of candles and indicator values kept (null: all); what an idea, a decision or a backtest points at is always kept. */
  'retention:get': channel<{ marketDataDays: number | null }>()(noInput),
  'retention:set': channel<{ marketDataDays: number | null }>()(
    z.object({ marketDataDays: retentionDays.nullable() }).strict(),
  ),
  'retention:preview': channel<{ cutoff: string; candles: number; indicators: number }>()(
    z.object({ marketDataDays: retentionDays }).strict(),
  ),
  'startup:restore-backup': channel<RestoreResult>()(z.object({ file: backupFile }).strict()),
  'backups:list': channel<BackupInfo[]>()(noInput),
  'backups:create': channel<BackupInfo>()(noInput),
  'backups:verify': channel<BackupInfo>()(z.object({ file: backupFile }).strict()),
  'backups:restore': channel<RestoreSummary>()(z.object({ file: backupFile }).strict()),
  'backups:undoRestore': channel<RestoreSummary>()(noInput),
  'migrations:status': channel<MigrationStatusView>()(noInput),
  'migrations:plan': channel<MigrationPlanView[]>()(noInput),
  'migrations:rollback': channel<RollbackView>()(z.object({ force: z.boolean().default(false) }).strict()),
  'ideas:list': channel<TradeIdea[]>()(
    z
      .object({
        statuses: z.array(z.enum(TRADE_IDEA_STATUSES)).optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
  ),
  'ideas:get': channel<{ idea: TradeIdea; history: Decision[]; venue: IdeaVenue }>()(z.object({ id }).strict()),
  'ideas:marks': channel<IdeaMark[]>()(z.object({ ids: z.array(id).max(500) }).strict()),
  'ideas:withdrawn': channel<TradeIdea[]>()(z.object({ limit: z.number().int().min(1).max(50).default(20) }).strict()),
  'ideas:candles': channel<IdeaCandles>()(
    z
      .object({
        id,
        before: z.number().int().min(10).max(1000).default(120),
        after: z.number().int().min(0).max(1000).default(0),
      })
      .strict(),
  ),
  'account:positions': channel<{ open: PositionView[]; recentTrades: TradeView[] }>()(
    z.object({ tradeLimit: z.number().int().min(1).max(200).default(20) }).strict(),
  ),
  'account:importedHistory': channel<ImportedHistoryView>()(noInput),
  'account:equityCurve': channel<EquityPoint[]>()(
    z.object({ sinceDays: z.number().int().min(1).max(366).default(7) }).strict(),
  ),
  'ideas:approve': channel<TradeIdea>()(z.object({ id, note }).strict()),
  'ideas:reject': channel<TradeIdea>()(z.object({ id, note }).strict()),
  'ideas:retry': channel<TradeIdea>()(z.object({ id }).strict()),
  'system:openDataFolder': channel<{ opened: true }>()(noInput),
  'central:get': channel<CentralConnectionView>()(noInput),
  'central:save': channel<CentralConnectionView>()(z.object({ connection: centralConnectionSchema }).strict()),
  'central:migrationStatus': channel<MigrationStatusView>()(noInput),
  'central:migrate': channel<{ from: number; to: number; applied: { version: number; name: string }[] }>()(noInput),
  'central:test': channel<CentralTestResult>()(z.object({ connection: centralConnectionSchema.optional() }).strict()),
  'sync:status': channel<SyncStatusView>()(noInput),
  'sync:start': channel<SyncStatusView>()(noInput),
  'sync:pause': channel<SyncStatusView>()(noInput),
  'sync:resume': channel<SyncStatusView>()(noInput),
  'sync:verify': channel<SyncVerification>()(noInput),
  'sync:restoreFromCentral': channel<CentralRestoreView>()(z.object({ userId: id }).strict()),
  'settings:get': channel<SettingsView>()(
    z.object({ auditLimit: z.number().int().min(1).max(500).default(50) }).strict(),
  ),
  'risk:get': channel<RiskConfig>()(noInput),
  'risk:update': channel<RiskConfig>()(z.object({ patch: riskConfigPatchSchema }).strict()),
  'trading:halt': channel<RiskConfig>()(
    z.object({ reason: z.string().trim().min(3, 'say why, in a few words').max(500) }).strict(),
  ),
  'trading:resume': channel<RiskConfig>()(
    z.object({ reason: z.string().trim().min(3, 'say why, in a few words').max(500) }).strict(),
  ),
  'positions:protect': channel<PositionView>()(
    z
      .object({
        id,
        stopLoss: decimalText,
        takeProfit: decimalText.nullable().default(null),
      })
      .strict(),
  ),
  'positions:detail': channel<PositionDetail>()(z.object({ id }).strict()),
  /** Closes one position, or part of it (a percentage or a quantity), at market; the position null once it is closed. */
  'positions:close': channel<{ position: PositionView | null }>()(
    z
      .object({
        id,
        part: z
          .discriminatedUnion('kind', [
            z.object({ kind: z.literal('all') }).strict(),
            z
              .object({
                kind: z.literal('percent'),
                percent: decimalText.refine(
                  (value) => Number(value) > 0 && Number(value) <= 100,
                  'must be a percentage above 0 and at most 100',
                ),
              })
              .strict(),
            z.object({ kind: z.literal('quantity'), quantity: decimalText }).strict(),
          ])
          .default({ kind: 'all' }),
        /** A live position's close is confirmed a second time. */
        confirmLive: z.boolean().default(false),
      })
      .strict(),
  ),
  /** Moves one position's stop-loss or take-profit (null removes the take-profit; a stop cannot be removed). */
  'positions:modify': channel<{ position: PositionView | null }>()(
    z
      .object({
        id,
        stopLoss: decimalText.optional(),
        takeProfit: decimalText.nullable().optional(),
        confirmLive: z.boolean().default(false),
      })
      .strict()
      .refine((input) => input.stopLoss !== undefined || input.takeProfit !== undefined, {
        message: 'say which level to move: the stop-loss, the take-profit, or both',
      }),
  ),
  /**
   * Sets one position's trailing stop and break-even (a distance, or an ATR multiple fixed when set), or takes them
   * off: from the next closed candle its stop follows them, only ever tightening.
   */
  'positions:trail': channel<{ position: PositionView | null }>()(
    z
      .object({
        id,
        trailing: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('off') }).strict(),
          z
            .object({
              kind: z.literal('distance'),
              distance: decimalText.refine((value) => Number(value) > 0, 'must be a distance above 0'),
            })
            .strict(),
          z
            .object({
              kind: z.literal('atr'),
              multiple: z.number().positive('must be above 0').max(100, 'must be at most 100'),
              period: z.number().int('must be a whole number of candles').min(2, 'must be at least 2').max(500),
            })
            .strict(),
        ]),
        breakEvenAtR: z.number().positive('must be above 0').max(100, 'must be at most 100').nullable(),
        confirmLive: z.boolean().default(false),
      })
      .strict(),
  ),
  'trading:flattenAndHalt': channel<FlattenReport>()(
    z
      .object({
        reason: z.string().trim().min(3, 'say why, in a few words').max(500),
        confirm: z.literal(true, { message: 'confirm that every exchange position is to be closed' }),
      })
      .strict(),
  ),
  'account:summary': channel<AccountSummary>()(noInput),
  /** Each exchange venue's own account, as its limits read it: every venue the profile holds a key for or a position on. */
  'account:venues': channel<AccountSummary[]>()(noInput),
  'decisions:query': channel<DecisionPage>()(
    z
      .object({
        filter: decisionFilterSchema.optional(),
        cursor: z.string().max(500).nullable().optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
  ),
  'decisions:context': channel<DecisionContext>()(z.object({ id }).strict()),
  'decisions:export': channel<ExportResult>()(z.object({ filter: decisionFilterSchema.optional() }).strict()),
  'strategies:kinds': channel<StrategyKindInfo[]>()(noInput),
  'strategies:list': channel<StrategyView[]>()(noInput),
  'strategies:create': channel<StrategyView>()(
    z
      .object({
        strategyName: z.string().trim().min(1, 'choose a strategy kind').max(100),
        name: instanceName.optional(),
        instrument: instrumentSchema,
        broker: z.string().trim().min(1).max(50).default('paper'),
        environment: z.enum(['live', 'testnet', 'paper']).default('paper'),
        config: z.record(z.string(), z.unknown()).default({}),
        /** For a live instance: the exchange and the instrument, typed out by the trader. */
        confirmation: z.string().max(200).optional(),
      })
      .strict(),
  ),
  'strategies:updateConfig': channel<StrategyView>()(
    z
      .object({ id, name: instanceName.optional(), config: z.record(z.string(), z.unknown()).optional() })
      .strict()
      .refine((change) => change.name !== undefined || change.config !== undefined, {
        message: 'change the name or the settings',
      }),
  ),
  'strategies:names': channel<{ id: string; name: string; archived: boolean }[]>()(noInput),
  'strategies:start': channel<StrategyView>()(z.object({ id, confirmation: z.string().max(200).optional() }).strict()),
  'strategies:stop': channel<StrategyView & { warning: string | null }>()(z.object({ id }).strict()),
  'strategies:pause': channel<StrategyView & { warning: string | null }>()(z.object({ id }).strict()),
  'strategies:resume': channel<StrategyView>()(z.object({ id, confirmation: z.string().max(200).optional() }).strict()),
  'strategies:delete': channel<{ deleted: true; archived: boolean }>()(z.object({ id }).strict()),
  'strategies:logs': channel<StrategyLogEntry[]>()(
    z
      .object({
        id,
        limit: z.number().int().min(1).max(1000).optional(),
        minLevel: z.enum(['debug', 'info', 'warn', 'error']).optional(),
      })
      .strict(),
  ),
  /** `imported` is null when the trader cancelled the file picker. */
  'marketData:importCsvFile': channel<{ imported: CsvImportResult | null }>()(candleImportTarget),
  'marketData:download': channel<CandleDownloadResult>()(candleDownloadSchema),
  /** The next high-impact calendar events, soonest first, within the coming week. */
  'marketData:upcomingEvents': channel<{ events: CalendarEventView[] }>()(noInput),
  /** The calendar events and news within two hours of an idea's candle, for its detail. */
  'marketData:eventsNearIdea': channel<{ calendar: CalendarEventView[]; news: NewsItemView[] }>()(
    z.object({ id }).strict(),
  ),
  'exchanges:list': channel<{ exchanges: ExchangeCapabilities[]; keys: ExchangeKeyView[] }>()(noInput),
  'exchanges:saveKey': channel<ExchangeKeyView>()(exchangeKeySchema),
  'exchanges:deleteKey': channel<{ deleted: true }>()(z.object({ id }).strict()),
  'exchanges:testKey': channel<ExchangeKeyTest>()(z.object({ id }).strict()),
  'exchanges:reconcile': channel<ReconcileView[]>()(noInput),
  'exchanges:certify': channel<CertifyResult>()(
    z
      .object({
        exchange: z.enum(EXCHANGE_IDS),
        environment: z.enum(['testnet', 'live']),
        instrument: instrumentSchema,
        trade: z.boolean(),
        /** Live certification places real orders: the trader ticks that they understand it. */
        understandsRealMoney: z.boolean().default(false),
      })
      .strict(),
  ),
  'profiles:list': channel<{ current: string; profiles: ProfileView[] }>()(noInput),
  'profiles:create': channel<ProfileView>()(z.object({ displayName: profileName }).strict()),
  'profiles:rename': channel<ProfileView>()(z.object({ id, displayName: profileName }).strict()),
  'notifications:getPreferences': channel<NotificationPreferences>()(noInput),
  'notifications:setPreferences': channel<NotificationPreferences>()(notificationPreferencesSchema),
  'profiles:deletePreview': channel<ProfileDeletePreview>()(z.object({ id }).strict()),
  'profiles:delete': channel<{ deleted: ProfileView; backupFile: string }>()(
    z.object({ id, confirmName: z.string().max(200) }).strict(),
  ),
  'imports:pickFile': channel<{ report: ImportReport | null }>()(noInput),
  'imports:commit': channel<ImportReport>()(
    z
      .object({
        importId: z.uuid('must be the id of a file offered for import'),
        /** Write the valid records of a file that also holds invalid ones, leaving those out. */
        skipInvalid: z.boolean().default(false),
      })
      .strict(),
  ),
  'imports:discard': channel<{ discarded: true }>()(
    z.object({ importId: z.uuid('must be the id of a file offered for import') }).strict(),
  ),
  'backtests:list': channel<BacktestRunSummary[]>()(noInput),
  'backtests:get': channel<BacktestRun>()(z.object({ id }).strict()),
  'backtests:run': channel<BacktestRunSummary>()(backtestRequestSchema),
  'backtests:cancel': channel<{ cancelled: boolean }>()(z.object({ runId: id }).strict()),
  'backtests:delete': channel<{ deleted: true }>()(z.object({ id }).strict()),
  'backtests:export': channel<ExportResult>()(z.object({ id, format: z.enum(['trades_csv', 'stats_json']) }).strict()),
} as const satisfies Record<ChannelName, ChannelSpec<z.ZodType, unknown>>

export type ChannelInput<C extends ChannelName> = z.input<(typeof contract)[C]['input']>
export type ParsedInput<C extends ChannelName> = z.output<(typeof contract)[C]['input']>
export type ChannelResult<C extends ChannelName> = NonNullable<(typeof contract)[C]['result']>

export const eventSchemas = {
  'migration:progress': z.object({
    phase: z.enum(['backup', 'migrate', 'done', 'failed']),
    version: z.number().int().nullable(),
    name: z.string().nullable(),
    index: z.number().int(),
    total: z.number().int(),
    message: z.string(),
  }),
  'ideas:changed': z.object({ ideaId: z.string().nullable() }),
  'account:changed': z.object({}),
  'trading:halted': z.object({ reason: z.string() }),
  'trading:resumed': z.object({ reason: z.string(), by: z.string() }),
  'strategies:changed': z.object({ strategyId: z.string() }),
  'strategies:heartbeat': z.object({ strategyId: z.string(), at: z.string() }),
  'backups:progress': z.object({
    operation: z.enum(['backup', 'verify', 'restore', 'prune', 'rollback']),
    phase: z.enum(['running', 'done', 'failed']),
    percent: z.number().nullable(),
    message: z.string(),
  }),
  'health:progress': z.object({ done: z.number().int(), total: z.number().int(), step: z.string() }),
  'notifications:new': z.custom<NotificationNotice>((value) => typeof value === 'object' && value !== null),
  'imports:progress': z.object({
    importId: z.string(),
    phase: z.enum(['reading', 'checking', 'writing']),
    done: z.number().int(),
    total: z.number().int(),
  }),
  'marketData:downloadProgress': z.object({
    symbol: z.string(),
    done: z.number(),
    total: z.number(),
    received: z.number().int(),
  }),
  'marketData:importProgress': z.custom<CandleImportProgress>((value) => typeof value === 'object' && value !== null),
  'sync:status': z.custom<SyncStatusView>((value) => typeof value === 'object' && value !== null),
  'backtests:progress': z.custom<BacktestProgress>((value) => typeof value === 'object' && value !== null),
  'backtests:changed': z.object({ id: z.string() }),
} as const satisfies Record<EventName, z.ZodType>

export type EventPayload<E extends EventName> = z.output<(typeof eventSchemas)[E]>
