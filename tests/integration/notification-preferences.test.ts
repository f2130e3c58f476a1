import { afterEach, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../src/main/core/wiring/app'
import { isQuiet } from '../../src/main/core/domains/notifications/preferences'
import type { NotificationNotice, NotificationPreferences, ProfileView } from '../../src/shared/domain'
import { callAs } from '../helpers/call-as'
import { makeTempDir } from '../helpers/temp-dir'

describe('notification preferences per profile', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  })

  async function desk(): Promise<Core> {
    const dir = makeTempDir()
    cleanups.push(() => dir.remove())
    const core = openCore({ dataDir: dir.path, host: 'cli', appVersion: 'test' })
    cleanups.push(() => core.close())
    await core.start()
    return core
  }

  const as = callAs

  function notices(core: Core): NotificationNotice[] {
    const heard: NotificationNotice[] = []
    cleanups.push(
      core.events.subscribe(
        (event, payload) => event === 'notifications:new' && heard.push(payload as NotificationNotice),
      ),
    )
    return heard
  }

  const settle = () => new Promise((resolve) => setTimeout(resolve, 100))

  it('tells every window about a halt, naming the profile, and only where that profile asked', async () => {
    const core = await desk()
    const first = core.context.profileId as string
    const second = (await as<ProfileView>(core, first, 'profiles:create', { displayName: 'Night desk' })).id
    const heard = notices(core)

    const defaults = await as<NotificationPreferences>(core, second, 'notifications:getPreferences')
    expect(defaults.events.halt).toEqual({ inApp: true, desktop: true })
    await core.services.trading.for(second).risk.halt(second, 'Stepping away')
    await settle()
    expect(heard).toEqual([
      expect.objectContaining({
        profileId: second,
        profileName: 'Night desk',
        event: 'halt',
        inApp: true,
        desktop: true,
        body: 'Stepping away',
      }),
    ])

    // Halts in the app only; the first profile keeps its defaults.
    await as(core, second, 'notifications:setPreferences', {
      ...defaults,
      events: { ...defaults.events, halt: { inApp: true, desktop: false } },
    })
    await core.services.trading.for(second).risk.resume(second, 'back')
    await core.services.trading.for(second).risk.halt(second, 'Again')
    // Off entirely: nothing is announced.
    await as(core, second, 'notifications:setPreferences', {
      ...defaults,
      events: { ...defaults.events, halt: { inApp: false, desktop: false } },
    })
    await core.services.trading.for(second).risk.resume(second, 'back')
    await core.services.trading.for(second).risk.halt(second, 'Silent')
    await core.services.trading.for(first).risk.halt(first, 'First halts')
    await settle()
    expect(heard.slice(1).map((notice) => [notice.profileName, notice.body, notice.inApp, notice.desktop])).toEqual([
      ['Night desk', 'Again', true, false],
      ['Local profile', 'First halts', true, true],
    ])
    expect(
      (await core.context.store.auditLog.list(second)).filter((entry) => entry.action === 'notification_preferences'),
    ).toHaveLength(2)

    // An idea that waits for a person is announced with the idea it opens.
    await core.services.trading.for(first).risk.resume(first, 'back')
    const { idea } = await core.services.trading.for(first).service.propose(first, {
      symbol: 'BTC-PERP',
      direction: 'long',
      entryPrice: '100',
      stopLoss: '95',
      takeProfit: '110',
      size: '0.5',
      confidence: 0.9,
      rationale: 'breakout',
    })
    await settle()
    expect(heard.at(-1)).toMatchObject({
      profileId: first,
      event: 'idea_waiting',
      ideaId: idea.id,
      title: 'long BTC-PERP needs your approval',
    })
  })

  it('refuses malformed preferences and keeps the saved ones', async () => {
    const core = await desk()
    const user = core.context.profileId as string
    const saved = await as<NotificationPreferences>(core, user, 'notifications:getPreferences')
    const quiet = { ...saved, quietHours: { from: '22:00', to: '07:00', timeZone: 'Asia/Kolkata' } }
    await as(core, user, 'notifications:setPreferences', quiet)
    for (const bad of [
      { ...saved, quietHours: { from: '25:00', to: '07:00', timeZone: 'UTC' } },
      { ...saved, quietHours: { from: '07:00', to: '07:00', timeZone: 'UTC' } },
      { ...saved, quietHours: { from: '22:00', to: '07:00', timeZone: 'Mars/Olympus' } },
      { ...saved, events: { ...saved.events, unknown_event: { inApp: true, desktop: true } } },
      { events: saved.events },
    ]) {
      await expect(as(core, user, 'notifications:setPreferences', bad)).rejects.toMatchObject({ code: 'invalid_input' })
    }
    expect(await as(core, user, 'notifications:getPreferences')).toEqual(quiet)
  })

  it('reads quiet hours in their own time zone, across midnight', () => {
    const night = { from: '22:00', to: '07:00', timeZone: 'Asia/Kolkata' }
    expect(isQuiet(night, new Date('2026-11-28T17:00:00Z'))).toBe(true) // 22:30 IST
    expect(isQuiet(night, new Date('2026-11-28T01:00:00Z'))).toBe(true) // 06:30 IST
    expect(isQuiet(night, new Date('2026-11-28T01:30:00Z'))).toBe(false) // 07:00 IST
    expect(isQuiet(night, new Date('2026-11-28T16:29:00Z'))).toBe(false) // 21:59 IST
    expect(isQuiet({ from: '12:00', to: '13:00', timeZone: 'UTC' }, new Date('2026-11-28T12:30:00Z'))).toBe(true)
    expect(isQuiet(null, new Date())).toBe(false)
  })
})
