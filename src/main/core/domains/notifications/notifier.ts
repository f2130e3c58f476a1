import type { NotificationEvent } from '../../../../shared/domain'
import type { CoreEvents } from '../../platform/events'
import type { Repositories } from '../../platform/store/store'
import { isQuiet, preferencesOf } from './preferences'

export interface Announcement {
  event: NotificationEvent
  title: string
  body: string
  ideaId?: string | null
}

/**
 * Tells every window that something happened to a profile, as that profile's
 * preferences ask: in the app, on the desktop (not in quiet hours), or not at all.
 * Every window hears it, so one showing another profile can say whose it is.
 */
export async function announce(
  store: Repositories,
  events: Pick<CoreEvents, 'emit'> | undefined,
  userId: string,
  announcement: Announcement,
  at = new Date(),
): Promise<void> {
  if (!events) return
  const preferences = await preferencesOf(store, userId)
  const wanted = preferences.events[announcement.event]
  const desktop = wanted.desktop && !isQuiet(preferences.quietHours, at)
  if (!wanted.inApp && !desktop) return
  const profile = await store.users.get(userId)
  events.emit('notifications:new', {
    profileId: userId,
    profileName: profile?.displayName ?? 'a deleted profile',
    event: announcement.event,
    title: announcement.title,
    body: announcement.body,
    inApp: wanted.inApp,
    desktop,
    ideaId: announcement.ideaId ?? null,
  })
}

/** For the places that must not fail because a notification could not be sent. */
export function announceLater(
  store: Repositories,
  events: Pick<CoreEvents, 'emit'> | undefined,
  userId: string,
  announcement: Announcement,
): void {
  announce(store, events, userId, announcement).catch(() => undefined)
}
