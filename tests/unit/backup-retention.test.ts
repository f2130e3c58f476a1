import { describe, expect, it } from 'vitest'
import type { BackupReason, BackupRecord } from '../../src/main/core/platform/backups/catalogue'
import { DEFAULT_RETENTION, decideRetention } from '../../src/main/core/platform/backups/retention'

const NOW = new Date('2026-11-22T12:00:00.000Z')

function backup(createdAt: string, reason: BackupReason): BackupRecord {
  const stamp = createdAt.replace(/[-:]/g, '').replace('.', '')
  return {
    file: `tradedeck-${stamp}-${reason}.sqlite`,
    createdAt,
    reason,
    sha256: '0'.repeat(64),
    sizeBytes: 1,
    schemaVersion: 7,
    appVersion: 'test',
    rowCounts: {},
    quickCheck: 'ok',
  }
}

function daysAgo(days: number, hour = 3): string {
  const date = new Date(NOW.getTime() - days * 86_400_000)
  date.setUTCHours(hour, 0, 0, 0)
  return date.toISOString()
}

describe('backup retention', () => {
  it('keeps the newest scheduled backup of each of the last 7 days and of each of the last 4 weeks', () => {
    const records = Array.from({ length: 60 }, (_, day) => [
      backup(daysAgo(day, 3), 'scheduled'),
      backup(daysAgo(day, 15), 'scheduled'),
    ]).flat()
    const { keep, prune } = decideRetention(records, NOW)
    const kept = new Set(keep.map((entry) => entry.file))
    // Today's 15:00 backup is in the future of NOW's day; the newest of each day wins.
    for (let day = 0; day < 7; day++) expect(kept.has(backup(daysAgo(day, 15), 'scheduled').file)).toBe(true)
    for (let day = 0; day < 7; day++) expect(kept.has(backup(daysAgo(day, 3), 'scheduled').file)).toBe(false)
    const weekly = keep.filter((entry) => entry.why.startsWith('weekly'))
    expect(new Set(weekly.map((entry) => entry.why)).size).toBe(weekly.length)
    expect(keep.length).toBeLessThanOrEqual(7 + 4)
    expect(keep.length).toBeGreaterThanOrEqual(7 + 3)
    expect(prune.length + keep.length).toBe(records.length)
    // Nothing older than five weeks survives.
    for (const entry of keep) expect(entry.file > backup(daysAgo(36), 'scheduled').file).toBe(true)
  })

  it('keeps every pre-migration backup of the last 30 days, and the newest one even when older', () => {
    const records = [
      backup(daysAgo(90), 'pre-migration'),
      backup(daysAgo(60), 'pre-migration'),
      backup(daysAgo(29), 'pre-migration'),
      backup(daysAgo(2), 'pre-migration'),
    ]
    const { prune } = decideRetention(records, NOW)
    expect(prune).toEqual([records[0]?.file, records[1]?.file])
    const onlyOld = [backup(daysAgo(90), 'pre-migration'), backup(daysAgo(400), 'pre-migration')]
    expect(decideRetention(onlyOld, NOW).prune).toEqual([onlyOld[1]?.file])
  })

  it('keeps manual backups unless told otherwise, and the newest pre-restore one for undo', () => {
    const records = [
      backup(daysAgo(300), 'manual'),
      backup(daysAgo(200), 'pre-restore'),
      backup(daysAgo(100), 'pre-restore'),
      backup(daysAgo(100), 'pre-rollback'),
    ]
    expect(decideRetention(records, NOW).prune).toEqual([records[1]?.file])
    expect(decideRetention(records, NOW, { ...DEFAULT_RETENTION, keepManual: false }).prune).toEqual([
      records[0]?.file,
      records[1]?.file,
    ])
  })

  it('is configurable', () => {
    const records = Array.from({ length: 10 }, (_, day) => backup(daysAgo(day), 'scheduled'))
    const { keep } = decideRetention(records, NOW, { ...DEFAULT_RETENTION, daily: 2, weekly: 0 })
    expect(keep.map((entry) => entry.file)).toEqual([records[0]?.file, records[1]?.file])
  })
})
