import { create } from 'zustand'
import type { TaskName, TaskOutcome, TaskRun } from '../../../shared/domain'
import { errorMessage } from '../../../shared/errors'
import { api } from '../bridge/client'

export interface TaskFilter {
  task: TaskName | ''
  outcome: TaskOutcome | ''
}

interface TasksState {
  runs: TaskRun[]
  filter: TaskFilter
  loading: boolean
  error: string | null
  setFilter(filter: Partial<TaskFilter>): Promise<void>
  load(): Promise<void>
  /** Days of candles and indicator values kept; null keeps everything. */
  loadRetention(): Promise<number | null>
  saveRetention(days: number | null): Promise<number | null>
  /** What keeping `days` would delete now, before the trader confirms. */
  previewRetention(days: number): Promise<RetentionPreview>
}

export interface RetentionPreview {
  cutoff: string
  candles: number
  indicators: number
}

export const useTasksStore = create<TasksState>((set, get) => ({
  runs: [],
  filter: { task: '', outcome: '' },
  loading: false,
  error: null,
  async setFilter(filter) {
    set({ filter: { ...get().filter, ...filter } })
    await get().load()
  },
  async loadRetention() {
    return (await api.retentionGet()).marketDataDays
  },
  previewRetention(days) {
    return api.retentionPreview({ marketDataDays: days })
  },
  async saveRetention(days) {
    const saved = (await api.retentionSet({ marketDataDays: days })).marketDataDays
    await get().load()
    return saved
  },
  async load() {
    const { task, outcome } = get().filter
    set({ loading: true, error: null })
    try {
      set({ runs: await api.tasksList({ ...(task ? { task } : {}), ...(outcome ? { outcome } : {}), limit: 200 }) })
    } catch (error) {
      set({ error: errorMessage(error) })
    } finally {
      set({ loading: false })
    }
  },
}))
