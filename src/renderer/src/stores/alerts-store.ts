import { create } from 'zustand'
import type { TradeIdea } from '../../../shared/domain'
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

function notifyDesktop(idea: TradeIdea) {
  if (permissionNow() !== 'granted') return
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
  if (document.visibilityState !== 'visible' || !looking) for (const idea of fresh.slice(-3)) notifyDesktop(idea)
}

const arrivalsToast = { id: 0, count: 0 }

useNavigationStore.subscribe((state) => {
  if (state.page === 'ideas') useAlertsStore.getState().markIdeasRead()
})
