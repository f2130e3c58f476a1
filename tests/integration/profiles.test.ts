import { afterEach, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../src/main/core/wiring/app'
import type { ProfileDeletePreview, ProfileView, RiskConfig, StrategyView, TradeIdea } from '../../src/shared/domain'
import { callAs } from '../helpers/call-as'
import { sourceWorkerEntry } from '../helpers/strategy-worker'
import { makeTempDir } from '../helpers/temp-dir'
import { kinds as testKinds, TEST_KINDS_MODULE } from '../helpers/test-kinds'

describe('profiles: several traders on one desk', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  })

  async function desk(): Promise<Core> {
    const dir = makeTempDir()
    cleanups.push(() => dir.remove())
    const core = openCore({
      dataDir: dir.path,
      host: 'cli',
      appVersion: 'test',
      strategies: {
        worker: sourceWorkerEntry,
        extraKinds: testKinds,
        kindModules: [TEST_KINDS_MODULE],
        heartbeatMs: 200,
      },
    })
    cleanups.push(() => core.close())
    await core.start()
    return core
  }

  const as = callAs

  async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 30_000
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  it('creates and renames profiles (audited, names unique), and each call acts as the profile its window names', async () => {
    const core = await desk()
    const first = core.context.profileId as string
    const listed = await as<{ current: string; profiles: ProfileView[] }>(core, undefined, 'profiles:list')
    expect(listed).toMatchObject({ current: first, profiles: [{ id: first, displayName: 'Local profile' }] })

    const second = await as<ProfileView>(core, first, 'profiles:create', { displayName: '  Night desk ' })
    expect(second.displayName).toBe('Night desk')
    await expect(as(core, first, 'profiles:create', { displayName: 'night DESK' })).rejects.toMatchObject({
      code: 'conflict',
      message: 'A profile is already called Night desk; pick another name.',
    })
    await expect(as(core, first, 'profiles:create', { displayName: 'bad\u0007name' })).rejects.toMatchObject({
      code: 'invalid_input',
    })
    expect(
      await as<ProfileView>(core, second.id, 'profiles:rename', { id: second.id, displayName: 'Swing desk' }),
    ).toMatchObject({ displayName: 'Swing desk' })
    const audit = (await core.context.store.auditLog.list(second.id)).filter((entry) => entry.subject === 'user')
    expect(audit.map((entry) => [entry.subject, entry.action, entry.actor])).toEqual([
      ['user', 'rename', `human:${second.id}`],
      ['user', 'create', `human:${first}`],
    ])
    expect(await as<{ current: string }>(core, second.id, 'profiles:list')).toMatchObject({ current: second.id })

    // Each profile's risk config is its own.
    await as<RiskConfig>(core, second.id, 'risk:update', { patch: { maxLotSize: '7' } })
    expect((await as<RiskConfig>(core, second.id, 'risk:get')).maxLotSize).toBe('7')
    expect((await as<RiskConfig>(core, first, 'risk:get')).maxLotSize).not.toBe('7')

    // A window naming a profile the desk does not have, or something that is not an id, is refused and changes nothing.
    await expect(
      as(core, '00000000-0000-7000-8000-00000000dead', 'risk:update', { patch: { maxLotSize: '9' } }),
    ).rejects.toMatchObject({ code: 'not_found' })
    await expect(as(core, 'not-a-profile', 'risk:get')).rejects.toMatchObject({ code: 'invalid_input' })
    await expect(as(core, 42, 'risk:get')).rejects.toMatchObject({ code: 'invalid_input' })
    expect((await as<RiskConfig>(core, second.id, 'risk:get')).maxLotSize).toBe('7')
  })

  it('refuses profile names with invisible or text-direction characters, which could make one name look like another', async () => {
    const core = await desk()
    const first = core.context.profileId as string
    for (const name of [
      'Night\u200bdesk', // zero-width space
      'Night desk\u202e', // right-to-left override
      '\u2066Night desk\u2069', // isolate
      'Night\u00addesk', // soft hyphen
      'Night\ufeffdesk', // byte order mark inside the name
      'Night\u3164desk', // Hangul filler, which shows as a blank
    ]) {
      await expect(as(core, first, 'profiles:create', { displayName: name })).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringContaining('must not contain invisible or text-direction characters'),
      })
      await expect(as(core, first, 'profiles:rename', { id: first, displayName: name })).rejects.toMatchObject({
        code: 'invalid_input',
      })
    }
    expect(
      (await as<ProfileView>(core, first, 'profiles:create', { displayName: 'Nuit à Zürich 東京' })).displayName,
    ).toBe('Nuit à Zürich 東京')
  })

  it('runs both profiles’ strategies at once, each seeing only its own instances and ideas', async () => {
    const core = await desk()
    const first = core.context.profileId as string
    const second = (await as<ProfileView>(core, first, 'profiles:create', { displayName: 'Second trader' })).id
    const config = { history: 2_000, timeframe: '1s', every: 1 }
    const mine = await as<StrategyView>(core, first, 'strategies:create', {
      strategyName: 'test_steady',
      instrument: 'BTC-USD',
      config,
    })
    const theirs = await as<StrategyView>(core, second, 'strategies:create', {
      strategyName: 'test_steady',
      instrument: 'ETH-USD',
      config: { ...config, seed: 7 },
    })
    await as(core, first, 'strategies:start', { id: mine.id })
    await as(core, second, 'strategies:start', { id: theirs.id })
    // One profile cannot reach the other's instance.
    await expect(as(core, first, 'strategies:stop', { id: theirs.id })).rejects.toMatchObject({ code: 'not_found' })

    const ideas = (profile: string) => as<TradeIdea[]>(core, profile, 'ideas:list', { limit: 500 })
    await until(
      'ideas in both profiles',
      async () => (await ideas(first)).length >= 2 && (await ideas(second)).length >= 2,
    )
    expect(new Set((await ideas(first)).map((idea) => idea.symbol))).toEqual(new Set(['BTC-USD']))
    expect(new Set((await ideas(second)).map((idea) => idea.symbol))).toEqual(new Set(['ETH-USD']))
    expect((await as<StrategyView[]>(core, second, 'strategies:list')).map((instance) => instance.id)).toEqual([
      theirs.id,
    ])
    await as(core, first, 'strategies:stop', { id: mine.id })
    await as(core, second, 'strategies:stop', { id: theirs.id })
  })
  it('deletes a profile only by its typed name and after a backup: its strategies stop, its credentials are erased, its history stays, and the last profile stays', async () => {
    const core = await desk()
    const first = core.context.profileId as string
    const second = (await as<ProfileView>(core, first, 'profiles:create', { displayName: 'Leaving desk' })).id
    const instance = await as<StrategyView>(core, second, 'strategies:create', {
      strategyName: 'test_steady',
      instrument: 'ETH-USD',
      config: { history: 2_000, timeframe: '1s', every: 1 },
    })
    await as(core, second, 'strategies:start', { id: instance.id })
    await until(
      'an idea of the leaving profile',
      async () => (await as<TradeIdea[]>(core, second, 'ideas:list', { limit: 10 })).length > 0,
    )
    await core.context.store.credentials.save(second, {
      broker: 'deribit',
      environment: 'testnet',
      label: 'key',
      secretCiphertext: Buffer.from('sealed'),
    })

    const preview = await as<ProfileDeletePreview>(core, first, 'profiles:deletePreview', { id: second })
    expect(preview).toMatchObject({
      profile: { displayName: 'Leaving desk' },
      isLast: false,
      holdings: { strategies: 1, runningStrategies: 1, credentials: 1 },
    })
    expect(preview.holdings.decisions).toBeGreaterThan(0)

    await expect(as(core, first, 'profiles:delete', { id: second, confirmName: 'leaving' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'Type the profile’s name, Leaving desk, to delete it.',
    })
    expect((await as<{ profiles: ProfileView[] }>(core, first, 'profiles:list')).profiles).toHaveLength(2)

    const deleted = await as<{ backupFile: string }>(core, first, 'profiles:delete', {
      id: second,
      confirmName: 'Leaving desk',
    })
    expect(core.services.backups.list().find((backup) => backup.file === deleted.backupFile)).toMatchObject({
      reason: 'pre-profile-delete',
    })
    expect(
      (await as<{ profiles: ProfileView[] }>(core, first, 'profiles:list')).profiles.map((profile) => profile.id),
    ).toEqual([first])
    expect(core.services.strategies.isRunning(instance.id)).toBe(false)
    expect((await core.context.store.strategies.get(second, instance.id))?.status).toBe('stopped')
    expect(await core.context.store.credentials.list(second)).toEqual([])
    const history = await core.context.store.decisions.query(second, {}, { limit: 1000 })
    expect(history.rows.length).toBeGreaterThanOrEqual(preview.holdings.decisions)
    expect((await core.context.store.auditLog.list(second)).find((entry) => entry.action === 'delete')).toMatchObject({
      subject: 'user',
      actor: `human:${first}`,
      details: { backupFile: deleted.backupFile },
    })
    // A window still showing the deleted profile can no longer act as it.
    await expect(as(core, second, 'risk:get')).rejects.toMatchObject({ code: 'not_found' })
    // Its history stays as written: it keeps its name.
    await expect(as(core, first, 'profiles:rename', { id: second, displayName: 'Back again' })).rejects.toMatchObject({
      code: 'conflict',
      message: 'Leaving desk was deleted; its history is kept as it was written, so it cannot be renamed.',
    })
    expect((await core.context.store.users.get(second))?.displayName).toBe('Leaving desk')
    // The last profile stays.
    expect(await as<ProfileDeletePreview>(core, first, 'profiles:deletePreview', { id: first })).toMatchObject({
      isLast: true,
    })
    await expect(as(core, first, 'profiles:delete', { id: first, confirmName: 'Local profile' })).rejects.toMatchObject(
      { code: 'conflict' },
    )
  })
})
