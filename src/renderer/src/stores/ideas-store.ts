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
  queue: TradeIdea[]
  selectedId: string | null
  detail: Detail | null
  outcome: Outcome | null
  busy: boolean
  loadError: string | null
  refresh(): Promise<void>
  select(id: string | null): Promise<void>
  move(step: 1 | -1): void
  decide(kind: 'approve' | 'reject', note: string): Promise<void>
}

export const useIdeasStore = create<IdeasState>((set, get) => ({
  queue: [],
  selectedId: null,
  detail: null,
  outcome: null,
  busy: false,
  loadError: null,
  async refresh() {
    try {
      const queue = await api.ideasList({ statuses: ['needs_approval'], limit: 500 })
      const { selectedId } = get()
      // An idea decided elsewhere, or expired, leaves the queue; the selection moves to the next one.
      const stillThere = queue.some((idea) => idea.id === selectedId)
      set({ queue, loadError: null })
      await get().select(stillThere ? selectedId : (queue[0]?.id ?? null))
    } catch (error) {
      set({ loadError: errorMessage(error) })
    }
  },
  async select(id) {
    set({ selectedId: id })
    if (!id) return set({ detail: null })
    const previous = get().detail
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
    const id = get().selectedId
    if (!id || get().busy) return
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
