import { create } from 'zustand'
import type { IdeaCandles, IdeaMark, IdeaVenue } from '../../../shared/contract'
import type { Decision, TradeIdea } from '../../../shared/domain'
import { ApiError, errorMessage } from '../../../shared/errors'
import { api } from '../bridge/client'
import { settled } from '../pages/trade-ideas/idea-keys'
import { DEPARTED_ROW_MS } from '../pages/trade-ideas/queue-view'
import { useNavigationStore } from './navigation-store'
import { onDataReplaced, resultsBelongToPage } from './results'

interface Detail {
  idea: TradeIdea
  history: Decision[]
  venue: IdeaVenue
  /** The candles the strategy saw; null while they load or when they could not be read. */
  candles: IdeaCandles | null
  /** When this idea, in this state, was first put on screen: A and R wait for it to settle. */
  shownAt: number
}

interface Outcome {
  /** The idea the result is about: it shows with that idea only. */
  ideaId: string
  tone: 'ok' | 'bad'
  message: string
  reasons: string[]
}

interface IdeasState {
  /** The rows on screen, in a stable order: arrivals never move them, and a departed row stays a few seconds. */
  queue: TradeIdea[]
  /** When each row left the queue (withdrawn, decided here or elsewhere). */
  departedAt: Record<string, number>
  /** Ideas that arrived after the list was shown; they join when the trader asks. */
  incoming: TradeIdea[]
  selectedId: string | null
  detail: Detail | null
  /** The market's last price for each waiting idea. */
  marks: Record<string, IdeaMark>
  /** The last ideas the desk withdrew, each with its reason. */
  withdrawn: TradeIdea[]
  outcome: Outcome | null
  /** A live idea whose approval waits for its second key (Enter). */
  liveArmed: string | null
  busy: boolean
  loadError: string | null
  /** Reads the queue; `opening` when the page opens, the only time a selection is made for the trader. */
  refresh(opening?: boolean): Promise<void>
  showIncoming(): void
  select(id: string | null): Promise<void>
  move(step: 1 | -1, rows: readonly TradeIdea[]): void
  refreshMarks(): Promise<void>
  /**
   * A or R on the idea the trader is looking at. `ideaId` is the id of the detail on screen; nothing
   * happens unless that detail is still the selected, waiting idea and has settled (see APPROVAL_GUARD_MS).
   * A live idea's approval first arms; `confirmLive` sends it.
   */
  decide(
    kind: 'approve' | 'reject',
    ideaId: string,
    note: string,
    options?: { confirmLive?: boolean; halted?: boolean },
  ): Promise<void>
  disarm(): void
}

const newestFirst = (a: TradeIdea, b: TradeIdea) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)

/** What makes a detail "the same" on screen: another status is another thing to decide on. */
const sameShown = (a: TradeIdea | undefined, b: TradeIdea) => a?.id === b.id && a.status === b.status

/** The waiting ideas' decidable state, for the A and R guard. */
export function canDecide(
  state: Pick<IdeasState, 'detail' | 'selectedId' | 'busy'>,
  ideaId: string,
  now: number,
): boolean {
  const { detail } = state
  return (
    !state.busy &&
    state.selectedId === ideaId &&
    detail?.idea.id === ideaId &&
    detail.idea.status === 'needs_approval' &&
    settled(detail.shownAt, now)
  )
}

/** What the page holds of the queue: nothing, at launch and once a restore has replaced the data. */
const NOTHING_SHOWN = {
  queue: [],
  departedAt: {},
  incoming: [],
  selectedId: null,
  detail: null,
  marks: {},
  withdrawn: [],
  outcome: null,
  liveArmed: null,
} satisfies Partial<IdeasState>

export const useIdeasStore = create<IdeasState>((set, get) => ({
  ...NOTHING_SHOWN,
  busy: false,
  loadError: null,
  async refresh(opening = false) {
    try {
      const [waiting, withdrawn] = await Promise.all([
        api.ideasList({ statuses: ['needs_approval'], limit: 500 }),
        api.ideasWithdrawn({ limit: 20 }),
      ])
      const { queue, incoming, departedAt, selectedId: selectedBefore } = get()
      const byId = new Map(waiting.map((idea) => [idea.id, idea]))
      const now = Date.now()
      // Rows on screen keep their place; one that left stays a few seconds, marked, so nothing shifts under the pointer.
      const onScreen = queue.filter(
        (row) =>
          departedAt[row.id] === undefined ||
          row.id === selectedBefore ||
          now - (departedAt[row.id] as number) < DEPARTED_ROW_MS,
      )
      const nextDeparted: Record<string, number> = {}
      const leaving: string[] = []
      for (const row of onScreen) {
        if (byId.has(row.id)) continue
        nextDeparted[row.id] = departedAt[row.id] ?? now
        if (departedAt[row.id] === undefined && !withdrawn.some((idea) => idea.id === row.id)) leaving.push(row.id)
      }
      // Decided rather than withdrawn (here or in another window): read how it ended.
      const decided = new Map(
        (
          await Promise.all(
            leaving.map((id) =>
              api.ideasGet({ id }).then(
                (found) => found.idea,
                () => null,
              ),
            ),
          )
        ).flatMap((idea) => (idea ? [[idea.id, idea] as const] : [])),
      )
      const kept = onScreen.map(
        (row) => byId.get(row.id) ?? withdrawn.find((idea) => idea.id === row.id) ?? decided.get(row.id) ?? row,
      )
      const known = new Set([...kept, ...incoming].map((idea) => idea.id))
      const arrived = waiting.filter((idea) => !known.has(idea.id))
      const stillIncoming = incoming.flatMap((idea) => byId.get(idea.id) ?? [])
      // An empty list has no row to move under the pointer: arrivals show at once.
      const showNow = kept.every((row) => nextDeparted[row.id] !== undefined)
      const nextQueue = showNow ? [...kept, ...[...arrived, ...stillIncoming].sort(newestFirst)] : kept
      set({
        queue: nextQueue,
        departedAt: nextDeparted,
        incoming: showNow ? [] : [...arrived, ...stillIncoming].sort(newestFirst),
        withdrawn,
        loadError: null,
      })
      const { selectedId } = get()
      if (selectedId) await get().select(selectedId)
      else if (opening) {
        // Opening the page: the idea its URL names, else the newest waiting one.
        const first = nextQueue.find((idea) => nextDeparted[idea.id] === undefined)
        if (first) await get().select(first.id)
      }
      void get().refreshMarks()
    } catch (error) {
      set({ loadError: errorMessage(error) })
    }
  },
  showIncoming() {
    const { queue, incoming } = get()
    set({ queue: [...incoming, ...queue], incoming: [] })
  },
  async select(id) {
    const previous = get().detail
    if (id !== get().selectedId) set({ liveArmed: null })
    // The detail always belongs to the selected row: another idea's stays off screen while this one loads.
    set({ selectedId: id, ...(previous && previous.idea.id !== id ? { detail: null } : {}) })
    if (useNavigationStore.getState().page === 'ideas') useNavigationStore.getState().replace({ item: id })
    if (!id) return set({ detail: null })
    // Candles of an idea never change: a refresh of the same idea keeps them (and its chart).
    const known = previous?.idea.id === id ? previous.candles : null
    try {
      const [loaded, candles] = await Promise.all([
        api.ideasGet({ id }),
        known ? Promise.resolve(known) : api.ideasCandles({ id }).catch(() => null),
      ])
      if (get().selectedId !== id) return
      const current = get().detail
      const shownAt = current && sameShown(current.idea, loaded.idea) ? current.shownAt : Date.now()
      // A detail that changed under the trader (decided elsewhere, withdrawn) disarms a pending live approval.
      set({
        detail: { ...loaded, candles, shownAt },
        ...(current && !sameShown(current.idea, loaded.idea) ? { liveArmed: null } : {}),
      })
    } catch (error) {
      if (get().selectedId === id) set({ loadError: errorMessage(error) })
    }
  },
  move(step, rows) {
    if (rows.length === 0) return
    const index = rows.findIndex((idea) => idea.id === get().selectedId)
    const next = index < 0 ? rows[0] : rows[Math.min(rows.length - 1, Math.max(0, index + step))]
    if (next && next.id !== get().selectedId) void get().select(next.id)
  },
  async refreshMarks() {
    const ids = get()
      .queue.filter((idea) => idea.status === 'needs_approval')
      .map((idea) => idea.id)
    if (ids.length === 0) return
    try {
      const marks = await api.ideasMarks({ ids })
      set({ marks: Object.fromEntries(marks.map((mark) => [mark.id, mark])) })
    } catch {
      // The countdown and the range still show; the price returns with the next read.
    }
  },
  async decide(kind, ideaId, note, options = {}) {
    if (!canDecide(get(), ideaId, Date.now())) return
    const detail = get().detail as Detail
    if (kind === 'approve') {
      if (options.halted) return
      if (detail.venue.environment === 'live' && !options.confirmLive) return set({ liveArmed: ideaId })
      if (detail.venue.environment === 'live' && get().liveArmed !== ideaId) return
    }
    set({ busy: true, outcome: null, liveArmed: null })
    try {
      const input = { id: ideaId, note: note.trim() ? note.trim() : null }
      const idea = kind === 'approve' ? await api.ideasApprove(input) : await api.ideasReject(input)
      const verb =
        kind === 'approve' ? (idea.status === 'failed' ? 'Approved, but the broker failed' : 'Approved') : 'Rejected'
      set({
        busy: false,
        outcome: {
          ideaId,
          tone: idea.status === 'failed' ? 'bad' : 'ok',
          message: `${verb}: ${idea.direction} ${idea.size} ${idea.symbol}.${idea.status === 'failed' && idea.decisionNote ? ` ${idea.decisionNote}` : ''}`,
          reasons: [],
        },
      })
    } catch (error) {
      const reasons = error instanceof ApiError ? (error.issues ?? []).map((issue) => issue.message) : []
      set({
        busy: false,
        outcome: {
          ideaId,
          tone: 'bad',
          message: error instanceof Error ? (error.message.split(': ')[0] ?? error.message) : String(error),
          reasons,
        },
      })
      // A refusal changed nothing, so no event follows; it may mean this window's view was behind.
      await get().refresh()
    }
    // A decision that went through comes back as ideas:changed, which refreshes the queue once.
  },
  disarm() {
    if (get().liveArmed) set({ liveArmed: null })
  },
}))

resultsBelongToPage(() => useIdeasStore.setState({ outcome: null, liveArmed: null }))
onDataReplaced(() => {
  useIdeasStore.setState(NOTHING_SHOWN)
  void useIdeasStore.getState().refresh()
})
api.on('ideas:changed', () => void useIdeasStore.getState().refresh())
