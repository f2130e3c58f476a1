import { afterEach, describe, expect, it } from 'vitest'
import { openCore } from '../../src/main/core/wiring/app'
import { withMaintenanceCore } from '../../src/main/core/wiring/maintenance'
import { sourceWorkerEntry } from '../helpers/strategy-worker'
import { makeTempDir } from '../helpers/temp-dir'

describe('the command line opens a data directory through the app core, and starts nothing', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  })

  /** A desk with one running strategy, closed the way a quitting app leaves it: active, to resume on the next launch. */
  async function deskWithActiveStrategy(): Promise<{ dataDir: string; strategyId: string }> {
    const dir = makeTempDir()
    cleanups.push(() => dir.remove())
    const app = openCore({
      dataDir: dir.path,
      host: 'browser',
      appVersion: 'test',
      strategies: { worker: sourceWorkerEntry },
    })
    try {
      await app.start()
      const user = app.context.profileId as string
      const instance = await app.context.store.strategies.create(user, {
        strategyName: 'ema_crossover',
        instrument: 'BTC-USD',
        environment: 'paper',
        config: {},
      })
      await app.services.strategies.start(user, instance.id, { kind: 'human', userId: user })
      await app.shutdown()
      return { dataDir: dir.path, strategyId: instance.id }
    } finally {
      app.close()
    }
  }

  it('holds the lock while open, refuses to run a strategy, and a restore leaves resuming to the app', async () => {
    const { dataDir, strategyId } = await deskWithActiveStrategy()
    await withMaintenanceCore({ dataDir, appVersion: 'test' }, async ({ context, services }) => {
      expect(() =>
        openCore({ dataDir, host: 'browser', appVersion: 'test', strategies: { worker: sourceWorkerEntry } }),
      ).toThrow(/in use|running|lock/i)
      const user = (await context.store.users.list())[0]!.id
      await expect(services.strategies.start(user, strategyId, { kind: 'system' })).rejects.toThrow(
        'This process runs no strategies',
      )

      const auditRows = () => context.db.prepare('SELECT actor, subject, action FROM audit_log').raw().all()
      const backup = await services.backups.create('manual', 'cli')
      expect(auditRows()).toContainEqual(['cli', 'backup', 'create'])
      const restored = await services.backups.restore(backup.file, 'cli')
      expect(restored.resumedStrategies).toBe(0)
      expect(services.strategies.isRunning(strategyId)).toBe(false)
      expect(services.sync.status().state).not.toBe('running')
      expect((await context.store.strategies.list(user, { status: 'active' })).map((instance) => instance.id)).toEqual([
        strategyId,
      ])
      expect(auditRows()).toContainEqual(['cli', 'restore', 'restore'])
    })
    // Closed again: the app may open it, and resumes the strategy itself.
    const app = openCore({ dataDir, host: 'browser', appVersion: 'test', strategies: { worker: sourceWorkerEntry } })
    try {
      await app.start()
      expect(app.services.strategies.isRunning(strategyId)).toBe(true)
      await app.shutdown()
    } finally {
      app.close()
    }
  })

  it('refuses a directory with no database instead of creating one', async () => {
    const dir = makeTempDir()
    cleanups.push(() => dir.remove())
    await expect(withMaintenanceCore({ dataDir: dir.path, appVersion: 'test' }, async () => 'opened')).rejects.toThrow(
      /no Tradedeck database|tradedeck migrate/i,
    )
  })
})
