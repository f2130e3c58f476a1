import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { inspectCopy } from '../../src/main/core/platform/backups/worker-tasks'
import type { TaskProgress } from '../../src/main/core/platform/backups/worker-pool'
import { stopBackupWorkers } from '../../src/main/core/platform/backups/worker-pool'
import { makeTempDir } from '../helpers/temp-dir'

describe('the full integrity check, with progress', () => {
  const temp = makeTempDir()
  afterAll(async () => {
    await stopBackupWorkers()
    temp.remove()
  })

  /** Two tables; with `damage`, one key byte of the `fills` index is changed behind SQLite's back. */
  function database(name: string, damage: boolean): string {
    const path = join(temp.path, name)
    const db = new Database(path)
    db.exec(
      'CREATE TABLE fills (id INTEGER PRIMARY KEY, ref TEXT); CREATE INDEX fills_ref ON fills (ref); CREATE TABLE orders (id INTEGER PRIMARY KEY, note TEXT)',
    )
    const fill = db.prepare('INSERT INTO fills (ref) VALUES (?)')
    const order = db.prepare('INSERT INTO orders (note) VALUES (?)')
    for (let i = 0; i < 50; i++) {
      fill.run(`fill-${String(i).padStart(3, '0')}`)
      order.run(`order ${i}`)
    }
    const root = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'fills_ref'").pluck().get() as number
    const pageSize = db.pragma('page_size', { simple: true }) as number
    db.close()
    if (damage) {
      const bytes = readFileSync(path)
      const page = bytes.subarray((root - 1) * pageSize, root * pageSize)
      page[page.indexOf(Buffer.from('fill-049')) + 5] = 0x39
      writeFileSync(path, bytes)
    }
    return path
  }

  it('reports each table as it is checked and ends ok on an intact file', async () => {
    const events: TaskProgress[] = []
    const inspection = await inspectCopy(database('intact.sqlite', false), {
      thorough: true,
      onProgress: (progress) => events.push(progress),
    })
    expect(inspection.check).toEqual(['ok'])
    expect(inspection.rowCounts).toEqual({ fills: 50, orders: 50 })
    expect(events).toEqual([
      { done: 1, total: 3, step: 'fills' },
      { done: 2, total: 3, step: 'orders' },
    ])
  })

  it('finds an index that disagrees with its table, with or without progress, where quick_check sees nothing', async () => {
    const path = database('damaged.sqlite', true)
    const withProgress = await inspectCopy(path, { thorough: true, onProgress: () => undefined })
    const inOnePass = await inspectCopy(path, { thorough: true })
    const quick = await inspectCopy(path)
    expect(withProgress.check.join('\n')).toMatch(/missing from index fills_ref/)
    expect(inOnePass.check.join('\n')).toMatch(/missing from index fills_ref/)
    expect(quick.check).toEqual(['ok'])
  })
})
