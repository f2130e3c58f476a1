import { create } from 'zustand'
import type { NotificationNotice, NotificationPreferences, TradeIdea } from '../../../shared/domain'
import { errorMessage } from '../../../shared/errors'
import { isQuiet } from '../../../shared/quiet-hours'
import { api, shownProfile } from '../bridge/client'
import { useProfilesStore } from './profiles-store'
import { useIdeasStore } from './ideas-store'
import { useNavigationStore } from './navigation-store'

export interface Toast {
  id: number
  tone: 'ok' | 'bad' | 'info'
  text: string
  /** An idea the toast opens. */
  ideaId?: string
}

interface AlertsState {
  /** Ideas that came in for approval since the trader last looked at Trade Ideas. */
  unreadIdeas: number
  toasts: Toast[]
  notificationPermission: NotificationPermission | 'unsupported'
  /** This window's profile's choices: which events toast here and which reach the desktop. */
  preferences: NotificationPreferences | null
  loadPreferences(): Promise<void>
  savePreferences(preferences: NotificationPreferences): Promise<void>
  toast(toast: Omit<Toast, 'id'>): void
  dismiss(id: number): void
  markIdeasRead(): void
  askForDesktopNotifications(): Promise<void>
}

const TOAST_MS = 8000
let nextToastId = 1
let knownWaiting: Set<string> | null = null

function permissionNow(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission
}

export function openIdea(ideaId: string) {
  useNavigationStore.getState().go('ideas')
  void useIdeasStore.getState().select(ideaId)
}

export const useAlertsStore = create<AlertsState>((set, get) => ({
  unreadIdeas: 0,
  toasts: [],
  notificationPermission: permissionNow(),
  preferences: null,
  async loadPreferences() {
    try {
      set({ preferences: await api.notificationsGetPreferences() })
    } catch {
      // Until they load, every event notifies, as a new profile's do.
    }
  },
  async savePreferences(preferences) {
    set({ preferences: await api.notificationsSetPreferences(preferences) })
  },
  toast(toast) {
    const id = nextToastId++
    set({ toasts: [...get().toasts.slice(-3), { ...toast, id }] })
    setTimeout(() => get().dismiss(id), TOAST_MS)
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((toast) => toast.id !== id) })
  },
  markIdeasRead() {
    // Looking at the queue answers the arrival toasts too.
    const toasts = get().toasts.filter((toast) => !toast.ideaId)
    if (get().unreadIdeas !== 0 || toasts.length !== get().toasts.length) set({ unreadIdeas: 0, toasts })
  },
  async askForDesktopNotifications() {
    if (typeof Notification === 'undefined') return
    set({ notificationPermission: await Notification.requestPermission() })
  },
}))

function wants(delivery: 'inApp' | 'desktop'): boolean {
  const preferences = useAlertsStore.getState().preferences
  if (!preferences) return true
  return preferences.events.idea_waiting[delivery] && (delivery === 'inApp' || !isQuiet(preferences.quietHours, new Date()))
}

function notifyDesktop(idea: TradeIdea) {
  if (permissionNow() !== 'granted' || !wants('desktop')) return
  const notification = new Notification(`${idea.direction} ${idea.symbol} needs your approval`, {
    body: `${idea.size} @ ${idea.entryPrice}, stop ${idea.stopLoss}, target ${idea.takeProfit}. ${idea.rationale}`,
    tag: idea.id,
  })
  notification.onclick = () => {
    window.focus()
    openIdea(idea.id)
    notification.close()
  }
}

/**
 * Called with every fresh list of ideas waiting for approval: the ones not
 * seen before raise a toast, a desktop notification and the unread badge.
 * The first list after launch only sets what is known.
 */
export function noticeWaitingIdeas(waiting: TradeIdea[]) {
  const previous = knownWaiting
  knownWaiting = new Set(waiting.map((idea) => idea.id))
  if (!previous) return
  const fresh = waiting.filter((idea) => !previous.has(idea.id))
  if (fresh.length === 0) return
  const alerts = useAlertsStore.getState()
  const looking = useNavigationStore.getState().page === 'ideas' && document.visibilityState === 'visible'
  if (!looking) useAlertsStore.setState({ unreadIdeas: alerts.unreadIdeas + fresh.length })
  if (document.visibilityState !== 'visible' || !looking) for (const idea of fresh.slice(-3)) notifyDesktop(idea)
  if (!wants('inApp')) return
  // One toast for arrivals, counting up, rather than a stack that covers the screen.
  const pending = alerts.toasts.find((toast) => toast.id === arrivalsToast.id)
  arrivalsToast.count = (pending ? arrivalsToast.count : 0) + fresh.length
  const newest = fresh[fresh.length - 1] as TradeIdea
  if (pending) alerts.dismiss(pending.id)
  alerts.toast({
    tone: 'info',
    text: arrivalsToast.count === 1 ? `${newest.direction} ${newest.symbol} needs your approval (${Math.round(newest.confidence * 100)}% confidence).` : `${arrivalsToast.count} new ideas need your approval; the newest is ${newest.direction} ${newest.symbol}.`,
    ideaId: newest.id,
  })
  arrivalsToast.id = useAlertsStore.getState().toasts.at(-1)?.id ?? 0
}

const arrivalsToast = { id: 0, count: 0 }

useNavigationStore.subscribe((state) => {
  if (state.page === 'ideas') useAlertsStore.getState().markIdeasRead()
})

const TONES: Record<NotificationNotice['event'], Toast['tone']> = { idea_waiting: 'info', fill: 'ok', halt: 'bad', strategy_error: 'bad', backup_failure: 'bad' }

/**
 * What the core announces for any profile. This window's own waiting ideas already
 * toast from its queue; everything else toasts here, named by profile when it is not
 * the one this window shows, and reaches the desktop when that profile asked for it.
 */
function hear(notice: NotificationNotice) {
  const mine = notice.profileId === (useProfilesStore.getState().current ?? shownProfile())
  if (mine && notice.event === 'idea_waiting') return
  const title = mine ? notice.title : `${notice.profileName}: ${notice.title}`
  if (notice.inApp) useAlertsStore.getState().toast({ tone: TONES[notice.event], text: `${title}. ${notice.body}`, ...(mine && notice.ideaId ? { ideaId: notice.ideaId } : {}) })
  if (notice.desktop && permissionNow() === 'granted') {
    try {
      new Notification(title, { body: notice.body, tag: `${notice.profileId}:${notice.event}:${notice.title}` })
    } catch (error) {
      console.warn(`Desktop notification failed: ${errorMessage(error)}`)
    }
  }
}

api.on('notifications:new', hear)
void useAlertsStore.getState().loadPreferences()
