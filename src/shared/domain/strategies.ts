/** Strategy instances as the panel shows them, their kinds and logs. */

/** Why live instances are paused after a restore, an undo or a rollback, in the words the app shows. */
export const LIVE_HELD_AFTER_RESTORE = 'Live instances are paused after the restore: review the positions, then resume.'

/** The last action of an instance paused by a restore, until the trader resumes it. */
export const PAUSED_AFTER_RESTORE = 'paused_after_restore'

export const STRATEGY_STATUSES = ['active', 'stopped', 'paused', 'error'] as const
export type StrategyStatus = (typeof STRATEGY_STATUSES)[number]
export type Environment = 'live' | 'testnet' | 'paper'

/** A strategy instance as the panel shows it: the stored row plus what only the runtime knows. */
export interface StrategyInstance {
  id: string
  userId: string
  /** The trader's name for it, unique among the profile's instances in use. */
  name: string
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
  /** Set when the trader deleted an instance that has decision history: it leaves the list, its history stays. */
  archivedAt: string | null
  createdAt: string
  updatedAt: string
}

export const INSTANCE_NAME_MAX = 80

/** What an instance is called until the trader names it: "EMA crossover BTC-USD 15m". */
export function defaultInstanceName(kindLabel: string, instrument: string, timeframe: unknown): string {
  return [kindLabel, instrument, typeof timeframe === 'string' ? timeframe : null]
    .filter(Boolean)
    .join(' ')
    .slice(0, INSTANCE_NAME_MAX)
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
