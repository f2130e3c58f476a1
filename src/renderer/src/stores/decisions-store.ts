import { downloadExport } from '../bridge/download'
import { create } from 'zustand'
import type { DecisionContext } from '../../../shared/contract'
import type { Decision, DecisionAction, DecisionFilter } from '../../../shared/domain'
import { api } from '../bridge/client'
import { useNavigationStore } from './navigation-store'
import { filterToQuery } from '../routing/history-filter'
import { useSystemStore } from './system-store'
import { errorMessage } from '../../../shared/errors'

const PAGE_SIZE = 200

interface DecisionsState {
  filter: DecisionFilter
  rows: Decision[]
  nextCursor: string | null
  loading: boolean
  error: string | null
  selected: Decision | null
  /** The selected decision's idea, order and candles; null while they load. */
  context: DecisionContext | null
  exportMessage: string | null
  /** Bumped on every new query, so a slow page of an old filter is dropped. */
  generation: number
  setFilter(filter: DecisionFilter): Promise<void>
  loadMore(): Promise<void>
  select(row: Decision | null): void
  exportCsv(): Promise<void>
}

export type { DecisionAction }

export const useDecisionsStore = create<DecisionsState>((set, get) => ({
  filter: {},
  rows: [],
  nextCursor: null,
  loading: false,
  error: null,
  selected: null,
  context: null,
  exportMessage: null,
  generation: 0,
  async setFilter(filter) {
    if (useNavigationStore.getState().page === 'history')
      useNavigationStore.getState().replace({ query: filterToQuery(filter) })
    const generation = get().generation + 1
    set({ filter, rows: [], nextCursor: null, generation, selected: null, error: null, loading: true })
    try {
      const page = await api.decisionsQuery({ filter, limit: PAGE_SIZE })
      if (get().generation === generation) set({ rows: page.rows, nextCursor: page.nextCursor, loading: false })
    } catch (error) {
      if (get().generation === generation) set({ loading: false, error: errorMessage(error) })
    }
  },
  async loadMore() {
    const { nextCursor, loading, filter, generation } = get()
    if (!nextCursor || loading) return
    set({ loading: true })
    try {
      const page = await api.decisionsQuery({ filter, cursor: nextCursor, limit: PAGE_SIZE })
      if (get().generation === generation)
        set({ rows: [...get().rows, ...page.rows], nextCursor: page.nextCursor, loading: false })
    } catch (error) {
      set({ loading: false, error: errorMessage(error) })
    }
  },
  select(row) {
    set({ selected: row, context: null })
    if (!row) return
    api
      .decisionsContext({ id: row.id })
      .then((context) => {
        if (get().selected?.id === row.id) set({ context })
      })
      .catch(() => {
        // The detail still shows the decision itself; the links stay as ids.
      })
  },
  async exportCsv() {
    set({ exportMessage: 'Exporting…' })
    try {
      const result = await api.decisionsExport({ filter: get().filter })
      set({
        exportMessage: `Exported ${result.rows.toLocaleString('en')} row${result.rows === 1 ? '' : 's'} to ${result.path}`,
      })
      if (useSystemStore.getState().status?.host === 'browser') downloadExport(result.path)
    } catch (error) {
      set({ exportMessage: `Export failed: ${errorMessage(error)}` })
    }
  },
}))
