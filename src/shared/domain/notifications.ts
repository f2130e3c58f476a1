/** What a profile is told about, in the app and on the desktop. */

/** What a profile can be told about, each in the app (a toast) and on the desktop. */
export const NOTIFICATION_EVENTS = [
  'idea_waiting',
  'fill',
  'halt',
  'strategy_error',
  'backup_failure',
  'protection',
] as const
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number]

export interface NotificationPreferences {
  events: Record<NotificationEvent, { inApp: boolean; desktop: boolean }>
  /** Desktop notifications hold off between these local times ("22:00" to "07:00" spans midnight); the app still shows them. */
  quietHours: { from: string; to: string; timeZone: string } | null
}

/** One thing a profile is told, as every window hears it: a window showing another profile names it. */
export interface NotificationNotice {
  profileId: string
  profileName: string
  event: NotificationEvent
  title: string
  body: string
  inApp: boolean
  desktop: boolean
  ideaId: string | null
}
