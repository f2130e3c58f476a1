/**
 * The trading data the core hands to the renderer, shared by both sides of the
 * contract. The core's repositories and services produce exactly these shapes.
 */

export const TRADE_IDEA_STATUSES = [
  'waiting',
  'needs_approval',
  'approved',
  'auto_executed',
  'rejected',
  'halted_by_risk',
  'expired',
  'executed',
  'failed',
] as const
export type TradeIdeaStatus = (typeof TRADE_IDEA_STATUSES)[number]

export interface TradeIdea {
  id: string
  userId: string
  strategyId: string | null
  symbol: string
  direction: 'long' | 'short'
  entryPrice: string
  entryRangeLow: string | null
  entryRangeHigh: string | null
  stopLoss: string
  takeProfit: string
  size: string
  expectedHold: string | null
  rationale: string
  confidence: number
  status: TradeIdeaStatus
  snapshotId: string | null
  createdAt: string
  updatedAt: string
  expiresAt: string | null
  decidedAt: string | null
  decidedBy: string | null
  decisionNote: string | null
}

export interface RiskConfig {
  userId: string
  aiTradingEnabled: boolean
  minConfidenceThreshold: number
  maxLotSize: string
  maxConcurrentTrades: number
  dailyProfitTarget: string | null
  stopAfterTarget: boolean
  maxDrawdownAmount: string | null
  /** The most one order may be worth (size × entry price); null for no cap. */
  maxOrderNotional: string | null
  /** The most the day's orders may be worth together; null for no cap. */
  maxDailyNotional: string | null
  haltOnDrawdown: boolean
  allowOffWatchlistAutotrade: boolean
  watchlist: string[]
  halted: boolean
  lastHaltReason: string | null
  haltedAt: string | null
  dayBoundaryTimezone: string
  updatedAt: string
}

export type RiskConfigPatch = Partial<Omit<RiskConfig, 'userId' | 'updatedAt'>>

export const DECISION_ACTIONS = [
  'ai_proposed',
  'ai_auto_executed',
  'human_approved',
  'human_rejected',
  'risk_rejected',
  'ai_halted',
  'ai_resumed',
  'idea_expired',
  'idea_invalidated',
  'idea_superseded',
  'order_filled',
  'order_failed',
  'strategy_started',
  'strategy_stopped',
  'strategy_error',
  'imported',
  'reconciled',
] as const
export type DecisionAction = (typeof DECISION_ACTIONS)[number]

/** ai, risk, system, or human:<user id>. */
export type Actor = 'ai' | 'risk' | 'system' | `human:${string}`

/** How a person appears in decision history and the audit log. */
export const humanActor = (userId: string) => `human:${userId}` as const

export interface Decision {
  id: string
  userId: string
  occurredAt: string
  symbol: string | null
  action: DecisionAction
  rationale: string
  confidence: number | null
  riskCheck: unknown
  strategyId: string | null
  tradeIdeaId: string | null
  orderId: string | null
  snapshotId: string | null
  actor: Actor
  humanOverride: boolean
}

export interface DecisionFilter {
  symbol?: string
  actions?: DecisionAction[]
  strategyId?: string
  tradeIdeaId?: string
  actor?: string
  from?: string
  to?: string
  text?: string
}

export interface DecisionPage {
  rows: Decision[]
  /** Pass back to get the next (older) page; null on the last page. */
  nextCursor: string | null
}

export interface AccountSummary {
  broker: string
  environment: string
  startingBalance: string
  /** Starting balance plus net realised P&L (after fees), without open positions. */
  balance: string
  equity: string
  realisedPnl: string
  unrealisedPnl: string
  feesPaid: string
  todayRealisedPnl: string
  dayStartedAt: string
  dayPeakEquity: string
  drawdown: string
  openPositions: number
}

export type Route = 'auto_execute' | 'needs_approval' | 'reject'
export type RoutedStatus = 'auto_executed' | 'needs_approval' | 'rejected' | 'halted_by_risk'

export const REASON_CODES = [
  'invalid_idea',
  'halted_by_risk',
  'lot_size_exceeded',
  'order_notional_exceeded',
  'daily_notional_exceeded',
  'max_concurrent_trades',
  'daily_target_reached',
  'max_drawdown',
  'price_past_stop',
  'price_past_target',
  'price_left_entry_range',
  'venue_long_only',
  'off_watchlist',
  'ai_trading_disabled',
  'below_confidence_threshold',
  'approved_by_rules',
] as const
export type ReasonCode = (typeof REASON_CODES)[number]

export interface RiskReason {
  code: ReasonCode
  /** A sentence a trader reads. */
  message: string
}

export interface RiskDecision {
  route: Route
  status: RoutedStatus
  reasons: RiskReason[]
  /** Set when this decision halts trading; the caller records it in risk_config and decision history. */
  halt: { reason: string } | null
}

export const STRATEGY_STATUSES = ['active', 'stopped', 'paused', 'error'] as const
export type StrategyStatus = (typeof STRATEGY_STATUSES)[number]
export type Environment = 'live' | 'testnet' | 'paper'

/** A strategy instance as the panel shows it: the stored row plus what only the runtime knows. */
export interface StrategyInstance {
  id: string
  userId: string
  strategyName: string
  instrument: string
  broker: string
  environment: Environment
  config: Record<string, unknown>
  status: StrategyStatus
  lastAction: string | null
  autoReconnect: boolean
  connectedAt: string | null
  disconnectedAt: string | null
  lastHeartbeat: string | null
  errorMessage: string | null
  errorCount: number
  createdAt: string
  updatedAt: string
}

export interface StrategyView extends StrategyInstance {
  kindLabel: string
  /** Active but silent for three heartbeat intervals. */
  stale: boolean
  /** Set while a failed instance waits for its next attempt. */
  retryAt: string | null
  heartbeatIntervalMs: number
}

export interface StrategyKindInfo {
  name: string
  label: string
  description: string
  /** JSON Schema of the config (input side, with defaults), rendered as a form. */
  configSchema: Record<string, unknown>
}

export interface StrategyLogEntry {
  id: string
  level: 'debug' | 'info' | 'warn' | 'error'
  message: string
  ts: string
}

export interface CsvImportResult {
  symbol: string
  timeframe: string
  imported: number
  alreadyStored: number
  first: string
  last: string
}

/** A profile: one trader's risk config, strategies, credentials, ideas, decisions and account on this desk. */
export interface ProfileView {
  id: string
  displayName: string
  createdAt: string
}

/** The exchanges Tradedeck reaches through ccxt. */
export const EXCHANGE_IDS = ['deribit', 'binance', 'binanceusdm', 'bybit'] as const
export type ExchangeId = (typeof EXCHANGE_IDS)[number]

export interface ExchangeCapabilities {
  id: ExchangeId
  label: string
  markets: string
  orderTypes: string[]
  /** Stop-loss and take-profit the exchange holds itself, attached to the order. */
  nativeStopLoss: boolean
  nativeTakeProfit: boolean
  /** Candles pushed over WebSocket (ccxt's watchOHLCV); otherwise polled. */
  streamsCandles: boolean
  testnet: boolean
  /** A key's permissions Tradedeck can read, to warn about withdrawal rights. */
  readsKeyPermissions: boolean
  /** It holds no shorts (spot): a short idea is refused before it waits for anyone. */
  longOnly: boolean
  /** Whether strategy instances may trade on it from Tradedeck: only where its order path is verified. */
  placesOrders: boolean
  verified: string
}

/** One venue's reconciliation: what differed from the exchange (each also a `reconciled` decision row) and its clock. */
export interface ReconcileView {
  exchange: ExchangeId
  environment: 'testnet' | 'live'
  differences: string[]
  /** The exchange's clock minus this machine's, in ms; null when it could not be reached. */
  clockSkewMs: number | null
  error: string | null
}

export interface FlattenReport {
  halted: true
  venues: {
    exchange: ExchangeId
    environment: 'testnet' | 'live'
    cancelled: number
    closed: number
    error: string | null
  }[]
  /** Exchange positions still open afterwards (a venue that failed, or a close still filling). */
  openPositions: number
}

/** An exchange key as the renderer may see it: never the key or its secret. */
export interface ExchangeKeyView {
  id: string
  exchange: ExchangeId
  environment: 'testnet' | 'live'
  /** The key's last four characters, to tell keys apart. */
  label: string
  createdAt: string
}

/** What "Test" found out about a key, from the exchange itself. */
export interface ExchangeKeyTest {
  accountId: string | null
  balances: { currency: string; total: string; free: string | null }[]
  /** Null when the exchange does not say what the key may do. */
  canTrade: boolean | null
  canWithdraw: boolean | null
  warnings: string[]
  checkedAt: string
}

/** A candle history download from an exchange into the desk's market data. */
export interface CandleDownloadResult {
  exchange: ExchangeId
  symbol: string
  timeframe: string
  from: string
  to: string
  received: number
  inserted: number
  requests: number
  retries: number
}

/** What a profile can be told about, each in the app (a toast) and on the desktop. */
export const NOTIFICATION_EVENTS = ['idea_waiting', 'fill', 'halt', 'strategy_error', 'backup_failure'] as const
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number]

export interface NotificationPreferences {
  events: Record<NotificationEvent, { inApp: boolean; desktop: boolean }>
  /** Desktop notifications hold off between these local times ("22:00" to "07:00" spans midnight); the app still shows them. */
  quietHours: { from: string; to: string; timeZone: string } | null
}

/** One thing a profile is told, as every window hears it: a window showing another profile names it. */
export interface NotificationNotice {
  profileId: string
  profileName: string
  event: NotificationEvent
  title: string
  body: string
  inApp: boolean
  desktop: boolean
  ideaId: string | null
}

/** What deleting a profile takes out of view, for the dialog that asks first. */
export interface ProfileDeletePreview {
  profile: ProfileView
  holdings: ProfileHoldings
  /** The desk's only profile cannot be deleted. */
  isLast: boolean
}

/** What a profile holds, as the delete dialog lists it. */
export interface ProfileHoldings {
  strategies: number
  runningStrategies: number
  ideasWaiting: number
  orders: number
  trades: number
  openPositions: number
  decisions: number
  credentials: number
}

/**
 * The formats `tradedeck import` and Settings → Import read: a Freqtrade database,
 * order history as JSON (trades_history.json, pending_orders.json, paper trading),
 * and the risk config or strategies as CSV.
 */
export const IMPORT_FORMATS = ['freqtrade', 'orders-json', 'rules-csv'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

export const IMPORT_TABLES = ['orders', 'fills', 'trades', 'positions', 'risk_config', 'watchlist'] as const
export type ImportTable = (typeof IMPORT_TABLES)[number]

/** One record that cannot be imported: where it is (file, table and row, or line) and which field. */
export interface ImportIssue {
  where: string
  field: string | null
  message: string
}

export interface ImportTableCounts {
  new: number
  duplicate: number
  invalid: number
}

/** What an import found (a dry run) or wrote; `importId` names a staged file that a commit can write. */
export interface ImportReport {
  importId: string | null
  file: string
  sha256: string
  format: ImportFormat
  profileId: string
  dryRun: boolean
  /** Only the tables the format writes to. */
  tables: Partial<Record<ImportTable, ImportTableCounts>>
  /** Records read but left out on purpose, e.g. trades still open in the source bot ("3 trades still open…"). */
  skipped: { count: number; unit: string; reason: string }[]
  /** The first 20 problems; `issueCount` says how many there were. */
  issues: ImportIssue[]
  issueCount: number
  /** The backup taken before writing (a real run only). */
  backupFile: string | null
}

/** How many rows a real run of this report would write, over every table. */
export function newRowsOf(report: Pick<ImportReport, 'tables'>): number {
  return Object.values(report.tables).reduce((sum, counts) => sum + (counts?.new ?? 0), 0)
}

/** The figures a backtest is judged by. Money in the quote currency, ratios as plain numbers. */
export interface BacktestStats {
  startingEquity: string
  endingEquity: string
  netPnl: string
  returnPct: number
  tradeCount: number
  winRate: number | null
  /** Gross profit over gross loss; null when nothing was lost. */
  profitFactor: number | null
  maxDrawdown: string
  maxDrawdownPct: number
  /** Annualised for the candle length. */
  sharpe: number | null
  sortino: number | null
  /** Share of candles with a position open. */
  exposure: number
  averageWin: string | null
  averageLoss: string | null
  /** The longest stretch below a previous equity peak. */
  longestDrawdownCandles: number
  longestDrawdownMs: number
}

export interface BacktestTrade {
  direction: 'long' | 'short'
  quantity: string
  entryTs: string
  entryPrice: string
  exitTs: string
  exitPrice: string
  exitReason: 'stop_loss' | 'take_profit' | 'end_of_data'
  realizedPnl: string
  fees: string
  netPnl: string
}

/** [time (ms), equity, drawdown % from the peak so far]. */
export type EquityPointTuple = [number, number, number]
/** [time (ms), open, high, low, close]: the run's candles, merged to what a chart can show. */
export type ChartBar = [number, number, number, number, number]

export interface BacktestRunSummary {
  id: string
  name: string
  kind: string
  symbol: string
  timeframe: string
  source: 'synthetic' | 'stored' | 'csv'
  seed: number | null
  dataFrom: string
  dataTo: string
  candles: number
  appVersion: string
  durationMs: number
  createdAt: string
  stats: BacktestStats
}

export interface BacktestRun extends BacktestRunSummary {
  config: Record<string, unknown>
  trades: BacktestTrade[]
  equity: EquityPointTuple[]
  bars: ChartBar[]
}

/** What one health check found: `fail` needs action now, `warn` soon. */
export type HealthStatus = 'ok' | 'warn' | 'fail'

export interface HealthCheck {
  id: string
  title: string
  status: HealthStatus
  /** The measurement behind the status, in words and numbers. */
  figure: string
  /** What to do about it, in words; null when nothing needs doing. */
  fix: string | null
  /** The individual findings (orphaned rows, missing indexes, …), at most a few dozen. */
  details: string[]
}

export interface HealthReport {
  checkedAt: string
  /** The worst status of any check. */
  status: HealthStatus
  checks: HealthCheck[]
}

/** The background jobs whose every run is recorded. */
export const TASK_NAMES = [
  'idea_expiry',
  'account_snapshot',
  'log_pruning',
  'scheduled_backup',
  'backup_retention',
  'sync_batch',
  'task_retention',
  'market_data_retention',
] as const
export type TaskName = (typeof TASK_NAMES)[number]
export const TASK_LABELS: Record<TaskName, string> = {
  idea_expiry: 'Idea expiry',
  account_snapshot: 'Account snapshot',
  log_pruning: 'Log pruning',
  scheduled_backup: 'Scheduled backup',
  backup_retention: 'Backup retention',
  sync_batch: 'Sync batch',
  task_retention: 'Task history pruning',
  market_data_retention: 'Market data retention',
}
export const TASK_OUTCOMES = ['running', 'ok', 'failed'] as const
export type TaskOutcome = (typeof TASK_OUTCOMES)[number]

/** One run of a background job. */
export interface TaskRun {
  id: string
  task: TaskName
  startedAt: string
  finishedAt: string | null
  outcome: TaskOutcome
  durationMs: number | null
  rowsAffected: number | null
  /** Why it failed, or what it did in words. */
  message: string | null
}

/** A fault kept for diagnosis, until someone marks it resolved. */
export interface ErrorLogEntry {
  id: string
  strategyId: string | null
  message: string
  stack: string | null
  context: Record<string, unknown>
  ts: string
  resolvedAt: string | null
  resolutionNote: string | null
}

export interface ErrorLogPage {
  items: ErrorLogEntry[]
  /** Unresolved errors of the profile, whatever the filter. */
  unresolved: number
}
