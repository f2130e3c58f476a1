/** Trade ideas, the risk config, the risk engine's decisions, decision history and the account. */

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
  /** The day's realised plus unrealised loss, on any one venue, that halts the profile; null for no limit. */
  maxDailyLoss: string | null
  haltOnDrawdown: boolean
  allowOffWatchlistAutotrade: boolean
  watchlist: string[]
  halted: boolean
  lastHaltReason: string | null
  haltedAt: string | null
  dayBoundaryTimezone: string
  updatedAt: string
}

/** The limits a live instance trades under, in one line, for the confirmation a trader types to go live. */
export const liveLimitsInWords = (config: RiskConfig): string =>
  `one order at most ${config.maxOrderNotional ?? 'unlimited'}, the day's orders at most ${config.maxDailyNotional ?? 'unlimited'}, a day's loss at most ${config.maxDailyLoss ?? 'unlimited'}, a drawdown at most ${config.maxDrawdownAmount ?? 'unlimited'}`

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
  'protection_changed',
  'position_closed',
  'position_modified',
  'idea_withheld',
] as const
export type DecisionAction = (typeof DECISION_ACTIONS)[number]

/** ai, risk, system, or human:<user id>. */
export type Actor = 'ai' | 'risk' | 'system' | `human:${string}`

/** How a person appears in decision history and the audit log. */
export const humanActor = (userId: string) => `human:${userId}` as const

/** What a decision's action reads as in Decision History: short enough for its column at 1280 px. */
export const DECISION_ACTION_LABELS: Record<DecisionAction, string> = {
  ai_proposed: 'proposed',
  ai_auto_executed: 'auto-executed',
  human_approved: 'approved',
  human_rejected: 'rejected',
  risk_rejected: 'blocked by risk',
  ai_halted: 'halted',
  ai_resumed: 'resumed',
  idea_expired: 'expired',
  idea_invalidated: 'invalidated',
  idea_superseded: 'superseded',
  order_filled: 'filled',
  order_failed: 'order failed',
  strategy_started: 'started',
  strategy_stopped: 'stopped',
  strategy_error: 'strategy failed',
  imported: 'imported',
  reconciled: 'reconciled',
  protection_changed: 'protection',
  position_closed: 'position closed',
  position_modified: 'levels moved',
  idea_withheld: 'withheld',
}

/** Who a decision reads as in Decision History: its Actor column and its Actor filter offer the same words. */
export const DECISION_ACTOR_GROUPS = [
  'person',
  'strategy',
  'risk engine',
  'reconciliation',
  'import',
  'Tradedeck',
] as const
export type DecisionActorGroup = (typeof DECISION_ACTOR_GROUPS)[number]

/** An import or a reconciliation reads as what it was, whoever started it; the detail still names the person. */
export function actorGroupOf(decision: Pick<Decision, 'actor' | 'action'>): DecisionActorGroup {
  if (decision.action === 'imported') return 'import'
  if (decision.action === 'reconciled') return 'reconciliation'
  if (decision.actor.startsWith('human:')) return 'person'
  if (decision.actor === 'ai') return 'strategy'
  if (decision.actor === 'risk') return 'risk engine'
  return 'Tradedeck'
}

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
  actor?: DecisionActorGroup
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
  'max_daily_loss',
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
