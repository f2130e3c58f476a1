import type { StrategyView } from '../../../../shared/domain'
import { timeAgo } from '../../format'

const STATUS_TONE = { active: 'ok', paused: 'warn', stopped: 'muted', error: 'bad' } as const

export interface ShownStatus {
  label: string
  tone: 'ok' | 'warn' | 'muted' | 'bad'
  /** Why it is not what its row says, in words; null when it is. */
  reason: string | null
}

/**
 * "Active" means running: an instance whose heartbeat is older than two periods
 * is shown in error with the reason, whatever its row says, so the trader
 * never trusts a strategy that is not there.
 */
export function shownStatus(instance: StrategyView, now: number): ShownStatus {
  if (instance.status === 'active' && instance.stale) {
    return {
      label: 'error · not running',
      tone: 'bad',
      reason: `No heartbeat since ${timeAgo(instance.lastHeartbeat, now)}: its worker is not running. Stop and Start it, and see its logs.`,
    }
  }
  if (instance.status === 'active' && instance.retryAt)
    return { label: 'active · retrying', tone: 'warn', reason: null }
  return { label: instance.status, tone: STATUS_TONE[instance.status], reason: null }
}
