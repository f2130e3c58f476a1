import { create } from 'zustand'
import type { HealthReport } from '../../../shared/domain'
import { errorMessage } from '../../../shared/errors'
import { api } from '../bridge/client'

interface HealthState {
  report: HealthReport | null
  /** Which run is in flight: the quick checks, or the full integrity check with them. */
  running: 'checks' | 'integrity' | null
  error: string | null
  /** The integrity check's progress, table by table, while it runs. */
  integrityProgress: { done: number; total: number; step: string } | null
  check(options?: { integrity?: boolean }): Promise<void>
}

export const useHealthStore = create<HealthState>((set, get) => ({
  report: null,
  running: null,
  error: null,
  integrityProgress: null,
  async check(options = {}) {
    if (get().running) return
    const integrity = options.integrity ?? false
    set({ running: integrity ? 'integrity' : 'checks', error: null, integrityProgress: null })
    try {
      set({ report: await api.healthCheck({ integrity }) })
    } catch (error) {
      set({ error: errorMessage(error) })
    } finally {
      set({ running: null, integrityProgress: null })
    }
  },
}))

api.on('health:progress', (progress) => {
  if (useHealthStore.getState().running === 'integrity') useHealthStore.setState({ integrityProgress: progress })
})
