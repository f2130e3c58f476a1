import { NOTIFICATION_EVENTS, type NotificationPreferences } from '../../../../shared/domain'
import type { Repositories } from '../../platform/store/store'

export { isQuiet } from '../../../../shared/quiet-hours'

export const preferencesKey = (userId: string) => `notification_preferences.${userId}`

/** Everything on, no quiet hours: a new profile hears about everything until the trader says otherwise. */
function defaultPreferences(): NotificationPreferences {
  return {
    events: Object.fromEntries(
      NOTIFICATION_EVENTS.map((event) => [event, { inApp: true, desktop: true }]),
    ) as NotificationPreferences['events'],
    quietHours: null,
  }
}

export async function preferencesOf(store: Repositories, userId: string): Promise<NotificationPreferences> {
  const saved = await store.settings.get<Partial<NotificationPreferences>>(preferencesKey(userId))
  const defaults = defaultPreferences()
  // Events added after the preferences were saved start on.
  return saved ? { events: { ...defaults.events, ...saved.events }, quietHours: saved.quietHours ?? null } : defaults
}
