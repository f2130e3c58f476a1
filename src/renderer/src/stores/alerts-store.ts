import { create } from 'zustand'
import type { NotificationNotice, NotificationPreferences, TradeIdea } from '../../../shared/domain'
import { errorMessage } from '../../../shared/errors'
import { isQuiet } from '../../../shared/quiet-hours'
import { api, shownProfile } from '../bridge/client'
import { useProfilesStore } from './profiles-store'
import { useIdeasStore } from './ideas-store'
import { useNavigationStore } from './navigation-store'
import { onDataReplaced } from './results'

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

/** Opens an idea by its URL, as a deep link would: the Trade Ideas page selects what the URL names. */
export function openIdea(ideaId: string) {
  useNavigationStore.getState().go('ideas', ideaId)
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
    unseen = new Set()
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
  return (
    preferences.events.idea_waiting[delivery] && (delivery === 'inApp' || !isQuiet(preferences.quietHours, new Date()))
  )
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

/** The ideas that arrived while the trader was not looking at Trade Ideas; the badge and the arrivals toast count those still waiting. */
let unseen = new Set<string>()
let arrivalsToastId = 0

const lookingAtQueue = () => useNavigationStore.getState().page === 'ideas' && document.visibilityState === 'visible'

/** The one arrivals toast says what waits now: rewritten when the count changes, gone when nothing new waits. */
function showArrivals(waiting: TradeIdea[]) {
  const alerts = useAlertsStore.getState()
  if (arrivalsToastId) alerts.dismiss(arrivalsToastId)
  arrivalsToastId = 0
  const unread = waiting.filter((idea) => unseen.has(idea.id))
  const newest = unread[0]
  if (!newest || lookingAtQueue() || !wants('inApp')) return
  alerts.toast({
    tone: 'info',
    text:
      unread.length === 1
        ? `${newest.direction} ${newest.symbol} needs your approval (${Math.round(newest.confidence * 100)}% confidence).`
        : `${unread.length} ideas need your approval; the newest is ${newest.direction} ${newest.symbol}.`,
    ideaId: newest.id,
  })
  arrivalsToastId = useAlertsStore.getState().toasts.at(-1)?.id ?? 0
}

/**
 * Called with every fresh list of ideas waiting for approval (newest first).
 * Ideas not seen before raise the arrivals toast and a desktop notification,
 * unless the trader is looking at the queue or trading is halted (nothing can
 * be approved then). The badge counts the unseen ones that still wait, so it
 * falls as ideas are decided or withdrawn. The first list after launch only
 * sets what is known.
 */
export function noticeWaitingIdeas(waiting: TradeIdea[], halted: boolean) {
  const previous = knownWaiting
  knownWaiting = new Set(waiting.map((idea) => idea.id))
  const fresh = previous ? waiting.filter((idea) => !previous.has(idea.id)) : []
  const looking = lookingAtQueue()
  unseen = new Set(
    looking || halted ? [] : [...waiting.filter((idea) => unseen.has(idea.id)), ...fresh].map((idea) => idea.id),
  )
  const unreadIdeas = waiting.filter((idea) => unseen.has(idea.id)).length
  if (useAlertsStore.getState().unreadIdeas !== unreadIdeas) useAlertsStore.setState({ unreadIdeas })
  if (fresh.length > 0 && !halted && !looking) for (const idea of fresh.slice(0, 3)) notifyDesktop(idea)
  // Only a change in what waits rewrites the toast; a list like the last one leaves it (and its timer) alone.
  if (fresh.length > 0 || (arrivalsToastId && waiting.length !== previous?.size)) showArrivals(waiting)
}

useNavigationStore.subscribe((state) => {
  if (state.page === 'ideas') useAlertsStore.getState().markIdeasRead()
})

const TONES: Record<NotificationNotice['event'], Toast['tone']> = {
  idea_waiting: 'info',
  fill: 'ok',
  halt: 'bad',
  strategy_error: 'bad',
  backup_failure: 'bad',
  protection: 'bad',
}

/**
 * What the core announces for any profile. This window's own waiting ideas already
 * toast from its queue; everything else toasts here, named by profile when it is not
 * the one this window shows, and reaches the desktop when that profile asked for it.
 */
function hear(notice: NotificationNotice) {
  const mine = notice.profileId === (useProfilesStore.getState().current ?? shownProfile())
  if (mine && notice.event === 'idea_waiting') return
  const title = mine ? notice.title : `${notice.profileName}: ${notice.title}`
  if (notice.inApp)
    useAlertsStore.getState().toast({
      tone: TONES[notice.event],
      text: `${title}. ${notice.body}`,
      ...(mine && notice.ideaId ? { ideaId: notice.ideaId } : {}),
    })
  if (notice.desktop && permissionNow() === 'granted') {
    try {
      new Notification(title, { body: notice.body, tag: `${notice.profileId}:${notice.event}:${notice.title}` })
    } catch (error) {
      console.warn(`Desktop notification failed: ${errorMessage(error)}`)
    }
  }
}

api.on('notifications:new', hear)
// A restore replaced what the toasts and the badge spoke of.
onDataReplaced(() => {
  knownWaiting = null
  unseen = new Set()
  arrivalsToastId = 0
  useAlertsStore.setState({ toasts: [], unreadIdeas: 0 })
})
void useAlertsStore.getState().loadPreferences()
