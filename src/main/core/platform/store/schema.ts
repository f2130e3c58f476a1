import type { ColumnType } from 'kysely'

/**
 * Table types as Kysely sees them (camelCase via CamelCasePlugin). Values are
 * what both drivers exchange once the store's type parsers are set: ids,
 * timestamps (ISO-8601 UTC) and decimals are strings, JSON is text going in and
 * text coming out, booleans are written as 0/1 and read as 0/1 or true/false.
 */

type Timestamp = string
type Decimal = string
type Json = string
type Bool = ColumnType<number | boolean, number, number>
type Defaulted<T> = ColumnType<T, T | undefined, T>

export interface UsersTable {
  id: string
  displayName: string
  email: string | null
  archivedAt: Timestamp | null
  createdAt: Defaulted<Timestamp>
  updatedAt: Defaulted<Timestamp>
}

export interface CredentialsTable {
  id: string
  userId: string
  broker: string
  environment: string
  label: string
  secretCiphertext: Buffer
  createdAt: Defaulted<Timestamp>
  updatedAt: Defaulted<Timestamp>
}

export interface SettingsTable {
  key: string
  value: Json
  updatedAt: Defaulted<Timestamp>
}

export interface AuditLogTable {
  id: string
  userId: string | null
  actor: string
  subject: string
  action: string
  details: Defaulted<Json>
  occurredAt: Defaulted<Timestamp>
}

export interface NotificationsTable {
  id: string
  userId: string
  level: string
  title: string
  body: Defaulted<string>
  createdAt: Defaulted<Timestamp>
  readAt: Timestamp | null
}

export interface StrategiesTable {
  id: string
  userId: string
  name: string
  strategyName: string
  instrument: string
  broker: Defaulted<string>
  environment: string
  config: Defaulted<Json>
  status: Defaulted<string>
  lastAction: string | null
  autoReconnect: ColumnType<number | boolean, number | undefined, number>
  connectedAt: Timestamp | null
  disconnectedAt: Timestamp | null
  lastHeartbeat: Timestamp | null
  errorMessage: string | null
  errorCount: Defaulted<number>
  archivedAt: Timestamp | null
  createdAt: Defaulted<Timestamp>
  updatedAt: Defaulted<Timestamp>
}

export interface RiskConfigTable {
  userId: string
  aiTradingEnabled: ColumnType<number | boolean, number | undefined, number>
  minConfidenceThreshold: Defaulted<number>
  maxLotSize: Defaulted<Decimal>
  maxConcurrentTrades: Defaulted<number>
  dailyProfitTarget: Decimal | null
  stopAfterTarget: ColumnType<number | boolean, number | undefined, number>
  maxDrawdownAmount: Decimal | null
  maxOrderNotional: Decimal | null
  maxDailyNotional: Decimal | null
  maxDailyLoss: Decimal | null
  haltOnDrawdown: ColumnType<number | boolean, number | undefined, number>
  allowOffWatchlistAutotrade: ColumnType<number | boolean, number | undefined, number>
  watchlist: Defaulted<Json>
  halted: ColumnType<number | boolean, number | undefined, number>
  lastHaltReason: string | null
  haltedAt: Timestamp | null
  dayBoundaryTimezone: Defaulted<string>
  createdAt: Defaulted<Timestamp>
  updatedAt: Defaulted<Timestamp>
}

export interface MarketSnapshotsTable {
  id: string
  symbol: string
  timeframe: string
  ts: Timestamp
  open: Decimal
  high: Decimal
  low: Decimal
  close: Decimal
  volume: Decimal
  createdAt: Defaulted<Timestamp>
}

export interface CalendarEventsTable {
  id: string
  eventTime: Timestamp
  currency: string
  impact: 'low' | 'medium' | 'high'
  title: string
  previousValue: string | null
  forecastValue: string | null
  actualValue: string | null
  capturedAt: Timestamp | null
  createdAt: Defaulted<Timestamp>
}

export interface NewsItemsTable {
  id: string
  publishedAt: Timestamp
  source: string
  headline: string
  /** A JSON array of the symbols the item names. */
  symbols: Json
  capturedAt: Timestamp | null
  createdAt: Defaulted<Timestamp>
}

export interface TradeIdeasTable {
  id: string
  userId: string
  strategyId: string | null
  symbol: string
  direction: string
  entryPrice: Decimal
  entryRangeLow: Decimal | null
  entryRangeHigh: Decimal | null
  stopLoss: Decimal
  takeProfit: Decimal
  size: Decimal
  expectedHold: string | null
  rationale: string
  confidence: number
  status: string
  snapshotId: string | null
  createdAt: Defaulted<Timestamp>
  updatedAt: Defaulted<Timestamp>
  expiresAt: Timestamp | null
  decidedAt: Timestamp | null
  decidedBy: string | null
  decisionNote: string | null
}

export interface DecisionHistoryTable {
  id: string
  userId: string
  occurredAt: Timestamp
  symbol: string | null
  action: string
  rationale: string
  confidence: number | null
  riskCheck: Json | null
  strategyId: string | null
  tradeIdeaId: string | null
  orderId: string | null
  snapshotId: string | null
  actor: string
  humanOverride: Bool
}

export interface AccountSnapshotsTable {
  id: string
  userId: string
  broker: string
  environment: string
  balance: Decimal
  equity: Decimal
  marginUsed: Defaulted<Decimal>
  marginFree: Defaulted<Decimal>
  openPl: Defaulted<Decimal>
  openPositions: Defaulted<number>
  capturedAt: Timestamp
}

export interface IndicatorSnapshotsTable {
  id: string
  symbol: string
  timeframe: string
  ts: Timestamp
  indicators: Json
  marketSnapshotId: string | null
  createdAt: Defaulted<Timestamp>
}

export interface ServiceLogsTable {
  id: string
  userId: string | null
  strategyId: string | null
  level: string
  message: string
  context: Defaulted<Json>
  ts: Defaulted<Timestamp>
}

export interface ErrorLogsTable {
  id: string
  userId: string | null
  strategyId: string | null
  message: string
  stack: string | null
  context: Defaulted<Json>
  ts: Defaulted<Timestamp>
  resolvedAt: Timestamp | null
  resolutionNote: Defaulted<string | null>
}

export interface OrdersTable {
  id: string
  userId: string
  strategyId: string | null
  tradeIdeaId: string | null
  broker: string
  environment: string
  brokerOrderId: string | null
  symbol: string
  side: string
  type: string
  quantity: Decimal
  limitPrice: Decimal | null
  stopPrice: Decimal | null
  status: string
  metadata: Defaulted<Json>
  createdAt: Defaulted<Timestamp>
  updatedAt: Defaulted<Timestamp>
}

export interface FillsTable {
  id: string
  userId: string
  orderId: string
  broker: string
  brokerFillId: string | null
  symbol: string
  side: string
  quantity: Decimal
  price: Decimal
  fee: Defaulted<Decimal>
  feeCurrency: string | null
  metadata: Defaulted<Json>
  filledAt: Timestamp
  createdAt: Defaulted<Timestamp>
}

export interface PositionsTable {
  id: string
  userId: string
  strategyId: string | null
  broker: string
  environment: string
  brokerPositionId: string | null
  symbol: string
  direction: string
  quantity: Decimal
  averagePrice: Decimal
  stopLoss: Decimal | null
  takeProfit: Decimal | null
  status: string
  metadata: Defaulted<Json>
  openedAt: Timestamp
  closedAt: Timestamp | null
  createdAt: Defaulted<Timestamp>
  updatedAt: Defaulted<Timestamp>
}

export interface TradesTable {
  id: string
  userId: string
  strategyId: string | null
  positionId: string | null
  tradeIdeaId: string | null
  broker: string
  brokerTradeId: string | null
  symbol: string
  direction: string
  quantity: Decimal
  entryPrice: Decimal
  exitPrice: Decimal
  realizedPnl: Decimal
  fees: Defaulted<Decimal>
  exitReason: string
  metadata: Defaulted<Json>
  openedAt: Timestamp
  closedAt: Timestamp
  createdAt: Defaulted<Timestamp>
}

export interface BacktestRunsTable {
  id: string
  userId: string
  name: string
  kind: string
  config: Json
  symbol: string
  timeframe: string
  source: string
  seed: number | null
  dataFrom: Timestamp
  dataTo: Timestamp
  candles: number
  appVersion: string
  stats: Json
  trades: Json
  equity: Json
  durationMs: number
  createdAt: Defaulted<Timestamp>
}

export interface TaskRunsTable {
  id: string
  task: string
  startedAt: Timestamp
  finishedAt: Timestamp | null
  outcome: string
  durationMs: number | null
  rowsAffected: number | null
  message: string | null
}

export interface StoreSchema {
  users: UsersTable
  credentials: CredentialsTable
  settings: SettingsTable
  auditLog: AuditLogTable
  notifications: NotificationsTable
  strategies: StrategiesTable
  riskConfig: RiskConfigTable
  marketSnapshots: MarketSnapshotsTable
  indicatorSnapshots: IndicatorSnapshotsTable
  calendarEvents: CalendarEventsTable
  newsItems: NewsItemsTable
  serviceLogs: ServiceLogsTable
  errorLogs: ErrorLogsTable
  tradeIdeas: TradeIdeasTable
  decisionHistory: DecisionHistoryTable
  accountSnapshots: AccountSnapshotsTable
  orders: OrdersTable
  fills: FillsTable
  positions: PositionsTable
  trades: TradesTable
  backtestRuns: BacktestRunsTable
  taskRuns: TaskRunsTable
}
