import type { HealthCheck, HealthStatus } from '../../../../shared/domain'

export type { HealthCheck, HealthReport, HealthStatus } from '../../../../shared/domain'

const RANK: Record<HealthStatus, number> = { ok: 0, warn: 1, fail: 2 }

export function worstOf(statuses: readonly HealthStatus[]): HealthStatus {
  return statuses.reduce<HealthStatus>((worst, status) => (RANK[status] > RANK[worst] ? status : worst), 'ok')
}

/** A check's result; `fix` is required unless the status is ok. */
export function finding(
  id: string,
  title: string,
  status: HealthStatus,
  figure: string,
  fix: string | null = null,
  details: string[] = [],
): HealthCheck {
  return { id, title, status, figure, fix: status === 'ok' ? null : fix, details: details.slice(0, MAX_DETAILS) }
}

/** Enough findings to act on without flooding the page. */
export const MAX_DETAILS = 50

export const mib = (bytes: number) =>
  bytes >= 1073741824 ? `${(bytes / 1073741824).toFixed(1)} GiB` : `${(bytes / 1048576).toFixed(1)} MiB`

export function hoursSince(iso: string, now: Date): number {
  return (now.getTime() - Date.parse(iso)) / 3_600_000
}
