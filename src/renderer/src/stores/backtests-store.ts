import { downloadExport } from '../bridge/download'
import { useSystemStore } from './system-store'
import { create } from 'zustand'
import type { BacktestProgress, ChannelInput } from '../../../shared/contract'
import type { BacktestRun, BacktestRunSummary } from '../../../shared/domain'
import { ApiError, errorMessage } from '../../../shared/errors'
import { api } from '../bridge/client'
import { resultsBelongToPage } from './results'
import { useNavigationStore } from './navigation-store'

export type BacktestForm = Omit<ChannelInput<'backtests:run'>, 'runId'>

interface Outcome {
  tone: 'ok' | 'bad'
  text: string
}

interface BacktestsState {
  runs: BacktestRunSummary[]
  loadError: string | null
  selectedId: string | null
  /** Full runs (trades, equity, bars) fetched once each; a stored run never changes. */
  details: Record<string, BacktestRun>
  compareIds: string[]
  running: BacktestProgress | null
  outcome: Outcome | null
  load(): Promise<void>
  select(id: string | null): Promise<void>
  toggleCompare(id: string): Promise<void>
  /** Resolves to the fields the core named; anything else is in `outcome`. */
  run(form: BacktestForm): Promise<Record<string, string>>
  cancel(): Promise<void>
  exportRun(id: string, format: 'trades_csv' | 'stats_json'): Promise<void>
  remove(id: string): Promise<void>
}

export const useBacktestsStore = create<BacktestsState>((set, get) => {
  const detail = async (id: string) => {
    const known = get().details[id]
    if (known) return known
    const run = await api.backtestsGet({ id })
    set((state) => ({ details: { ...state.details, [id]: run } }))
    return run
  }
  return {
    runs: [],
    loadError: null,
    selectedId: null,
    details: {},
    compareIds: [],
    running: null,
    outcome: null,
    // Refreshed on backtests:changed, which every stored or deleted run announces.
    async load() {
      try {
        const runs = await api.backtestsList()
        const ids = new Set(runs.map((run) => run.id))
        // A run named in the URL (a deep link, a reload) wins over the newest.
        const route = useNavigationStore.getState()
        const linked = route.page === 'backtests' && route.item && ids.has(route.item) ? route.item : null
        set((state) => ({
          runs,
          loadError: null,
          compareIds: state.compareIds.filter((id) => ids.has(id)),
          selectedId:
            linked ?? (state.selectedId && ids.has(state.selectedId) ? state.selectedId : (runs[0]?.id ?? null)),
        }))
        const selected = get().selectedId
        if (selected) await detail(selected)
      } catch (error) {
        set({ loadError: errorMessage(error) })
      }
    },
    async select(id) {
      set({ selectedId: id })
      if (useNavigationStore.getState().page === 'backtests') useNavigationStore.getState().replace({ item: id })
      if (!id) return
      try {
        await detail(id)
      } catch (error) {
        set({ outcome: { tone: 'bad', text: errorMessage(error) } })
      }
    },
    async toggleCompare(id) {
      const chosen = get().compareIds
      set({ compareIds: chosen.includes(id) ? chosen.filter((other) => other !== id) : [...chosen, id] })
      if (!chosen.includes(id))
        await detail(id).catch((error: unknown) => set({ outcome: { tone: 'bad', text: errorMessage(error) } }))
    },
    async run(form) {
      if (get().running) return { '': 'A backtest is already running; wait for it or cancel it.' }
      const runId = crypto.randomUUID()
      set({
        running: {
          runId,
          phase: 'running',
          candles: 0,
          total: form.source === 'synthetic' ? (form.candles ?? null) : null,
          message: 'Starting',
        },
        outcome: null,
      })
      try {
        const run = await api.backtestsRun({ ...form, runId })
        set({
          selectedId: run.id,
          outcome: {
            tone: 'ok',
            text: `Stored “${run.name}”: ${run.candles.toLocaleString('en-US')} candles in ${(run.durationMs / 1000).toFixed(1)} s, ${run.stats.tradeCount} trades.`,
          },
        })
        await get().select(run.id)
        return {}
      } catch (error) {
        if (error instanceof ApiError && error.issues?.length)
          return Object.fromEntries(
            error.issues.map((issue) => [issue.path.filter((part) => part !== 'config').join('.'), issue.message]),
          )
        // A refusal of the whole run (cancelled, no candles) is said once, above the list.
        set({ outcome: { tone: 'bad', text: errorMessage(error) } })
        return {}
      } finally {
        set({ running: null })
      }
    },
    async cancel() {
      const running = get().running
      if (running) await api.backtestsCancel({ runId: running.runId })
    },
    async exportRun(id, format) {
      try {
        const result = await api.backtestsExport({ id, format })
        set({ outcome: { tone: 'ok', text: `Exported to ${result.path}` } })
        if (useSystemStore.getState().status?.host === 'browser') downloadExport(result.path)
      } catch (error) {
        set({ outcome: { tone: 'bad', text: errorMessage(error) } })
      }
    },
    async remove(id) {
      try {
        await api.backtestsDelete({ id })
      } catch (error) {
        set({ outcome: { tone: 'bad', text: errorMessage(error) } })
      }
    },
  }
})

api.on('backtests:changed', () => void useBacktestsStore.getState().load())
api.on('backtests:progress', (progress) => {
  const running = useBacktestsStore.getState().running
  if (running && progress.runId === running.runId && progress.phase === 'running')
    useBacktestsStore.setState({ running: progress })
})

resultsBelongToPage(() => useBacktestsStore.setState({ outcome: null }))
