import { create } from 'zustand'
import type { IdeaCandles } from '../../../shared/contract'
import type { Decision, TradeIdea } from '../../../shared/domain'
import { ApiError, errorMessage } from '../../../shared/errors'
import { api } from '../bridge/client'

interface Detail {
  idea: TradeIdea
  history: Decision[]
  /** The candles the strategy saw; null while they load or when they could not be read. */
  candles: IdeaCandles | null
}

interface Outcome {
  tone: 'ok' | 'bad'
  message: string
  reasons: string[]
}

interface IdeasState {
  /** The rows on screen, in a stable order: arrivals never move them. */
  queue: TradeIdea[]
  /** Ideas that arrived after the list was shown; they join when the trader asks. */
  incoming: TradeIdea[]
  selectedId: string | null
  detail: Detail | null
  outcome: Outcome | null
  busy: boolean
  loadError: string | null
  refresh(): Promise<void>
  showIncoming(): void
  select(id: string | null): Promise<void>
  move(step: 1 | -1): void
  decide(kind: 'approve' | 'reject', note: string): Promise<void>
}

const newestFirst = (a: TradeIdea, b: TradeIdea) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)

export const useIdeasStore = create<IdeasState>((set, get) => ({
  queue: [],
  incoming: [],
  selectedId: null,
  detail: null,
  outcome: null,
  busy: false,
  loadError: null,
  async refresh() {
    try {
      const waiting = await api.ideasList({ statuses: ['needs_approval'], limit: 500 })
      const { queue, incoming, selectedId } = get()
      const byId = new Map(waiting.map((idea) => [idea.id, idea]))
      // Rows on screen keep their place (updated in place); those decided or taken out of the queue go.
      const kept = queue.flatMap((idea) => byId.get(idea.id) ?? [])
      const known = new Set([...kept, ...incoming].map((idea) => idea.id))
      const arrived = waiting.filter((idea) => !known.has(idea.id))
      const stillIncoming = incoming.flatMap((idea) => byId.get(idea.id) ?? [])
      // An empty list has no row to move under the pointer: arrivals show at once.
      const showNow = kept.length === 0
      const nextQueue = showNow ? [...arrived, ...stillIncoming, ...kept].sort(newestFirst) : kept
      set({ queue: nextQueue, incoming: showNow ? [] : [...arrived, ...stillIncoming].sort(newestFirst), loadError: null })
      if (selectedId && nextQueue.some((idea) => idea.id === selectedId)) return void (await get().select(selectedId))
      // The selected idea left: the selection moves to the row that followed it, not back to the top.
      const index = queue.findIndex((idea) => idea.id === selectedId)
      const remaining = new Set(nextQueue.map((idea) => idea.id))
      const successor = index < 0 ? nextQueue[0] : (queue.slice(index + 1).find((idea) => remaining.has(idea.id)) ?? nextQueue.at(-1))
      await get().select(successor?.id ?? null)
    } catch (error) {
      set({ loadError: errorMessage(error) })
    }
  },
  showIncoming() {
    const { queue, incoming } = get()
    set({ queue: [...incoming, ...queue].sort(newestFirst), incoming: [] })
  },
  async select(id) {
    const previous = get().detail
    // The detail always belongs to the selected row: another idea's stays off screen while this one loads.
    set({ selectedId: id, ...(previous && previous.idea.id !== id ? { detail: null } : {}) })
    if (!id) return set({ detail: null })
    // Candles of an idea never change: a refresh of the same idea keeps them (and its chart).
    const known = previous?.idea.id === id ? previous.candles : null
    const [detail, candles] = await Promise.all([api.ideasGet({ id }), known ? Promise.resolve(known) : api.ideasCandles({ id }).catch(() => null)])
    if (get().selectedId === id) set({ detail: { ...detail, candles } })
  },
  move(step) {
    const { queue, selectedId } = get()
    if (queue.length === 0) return
    const index = queue.findIndex((idea) => idea.id === selectedId)
    const next = queue[Math.min(queue.length - 1, Math.max(0, index + step))]
    if (next) void get().select(next.id)
  },
  async decide(kind, note) {
    const { selectedId: id, detail } = get()
    // Only the idea whose detail is on screen can be decided.
    if (!id || detail?.idea.id !== id || get().busy) return
    set({ busy: true, outcome: null })
    try {
      const input = { id, note: note.trim() ? note.trim() : null }
      const idea = kind === 'approve' ? await api.ideasApprove(input) : await api.ideasReject(input)
      const verb = kind === 'approve' ? (idea.status === 'failed' ? 'Approved, but the broker failed' : 'Approved') : 'Rejected'
      set({ busy: false, outcome: { tone: idea.status === 'failed' ? 'bad' : 'ok', message: `${verb}: ${idea.direction} ${idea.size} ${idea.symbol}.${idea.status === 'failed' && idea.decisionNote ? ` ${idea.decisionNote}` : ''}`, reasons: [] } })
    } catch (error) {
      const reasons = error instanceof ApiError ? (error.issues ?? []).map((issue) => issue.message) : []
      set({ busy: false, outcome: { tone: 'bad', message: error instanceof Error ? error.message.split(': ')[0] ?? error.message : String(error), reasons } })
      // A refusal changed nothing, so no event follows; it may mean this window's view was behind.
      await get().refresh()
    }
    // A decision that went through comes back as ideas:changed, which refreshes the queue once.
  },
}))

api.on('ideas:changed', () => void useIdeasStore.getState().refresh())
