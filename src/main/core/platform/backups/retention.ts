import type { BackupRecord } from './catalogue'

export interface RetentionPolicy {
  /** Newest scheduled backup of each of the last N days that have one. */
  daily: number
  /** Newest scheduled backup of each of the last N ISO weeks that have one. */
  weekly: number
  /** Pre-migration, pre-restore and pre-rollback backups younger than this are all kept. */
  safetyWindowDays: number
  /** Backups a person asked for stay until that person deletes them. */
  keepManual: boolean
}

export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4, safetyWindowDays: 30, keepManual: true }

export interface RetentionDecision {
  keep: { file: string; why: string }[]
  prune: string[]
}

const DAY_MS = 86_400_000

function dayOf(iso: string): string {
  return iso.slice(0, 10)
}

/** ISO week, e.g. "2026-W47", so weeks roll over on Monday whatever the year. */
function isoWeekOf(iso: string): string {
  const date = new Date(`${dayOf(iso)}T00:00:00Z`)
  // The ISO week belongs to the year of its Thursday.
  date.setUTCDate(date.getUTCDate() + 4 - (date.getUTCDay() || 7))
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1)
  const week = Math.ceil(((date.getTime() - yearStart) / DAY_MS + 1) / 7)
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`
}

/** Newest record per bucket, for the newest `count` buckets. */
function newestPerBucket(records: BackupRecord[], bucketOf: (iso: string) => string, count: number): BackupRecord[] {
  const newest = new Map<string, BackupRecord>()
  for (const record of [...records].sort((a, b) => b.createdAt.localeCompare(a.createdAt))) {
    const bucket = bucketOf(record.createdAt)
    if (!newest.has(bucket)) newest.set(bucket, record)
  }
  return [...newest.values()].slice(0, count)
}

/**
 * Which backups pruning removes. It never removes the newest backup of any
 * kind that leads back from a change (a migration, restore or rollback), even
 * when it is older than the window, and never a manual one unless told to.
 */
export function decideRetention(
  records: BackupRecord[],
  now: Date,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): RetentionDecision {
  const keep = new Map<string, string>()
  const mark = (record: BackupRecord | undefined, why: string) => {
    if (record && !keep.has(record.file)) keep.set(record.file, why)
  }
  const scheduled = records.filter((record) => record.reason === 'scheduled')
  for (const record of newestPerBucket(scheduled, dayOf, policy.daily))
    mark(record, `daily backup of ${dayOf(record.createdAt)}`)
  for (const record of newestPerBucket(scheduled, isoWeekOf, policy.weekly))
    mark(record, `weekly backup of ${isoWeekOf(record.createdAt)}`)
  const windowStart = now.getTime() - policy.safetyWindowDays * DAY_MS
  for (const reason of [
    'pre-migration',
    'pre-restore',
    'pre-rollback',
    'from-central',
    'pre-import',
    'pre-profile-delete',
  ] as const) {
    const ofReason = records
      .filter((record) => record.reason === reason)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    for (const record of ofReason)
      if (Date.parse(record.createdAt) >= windowStart)
        mark(record, `${reason} backup within ${policy.safetyWindowDays} days`)
    mark(ofReason.at(-1), `newest ${reason} backup`)
  }
  if (policy.keepManual) for (const record of records) if (record.reason === 'manual') mark(record, 'taken by hand')
  return {
    keep: records
      .filter((record) => keep.has(record.file))
      .map((record) => ({ file: record.file, why: keep.get(record.file) as string })),
    prune: records.filter((record) => !keep.has(record.file)).map((record) => record.file),
  }
}
