import { create } from 'zustand'
import type { SystemStatus } from '../../../shared/contract'
import { api } from '../bridge/client'

interface SystemState {
  status: SystemStatus | null
  error: string | null
  loading: boolean
  refresh(): Promise<void>
}

export const useSystemStore = create<SystemState>((set) => ({
  status: null,
  error: null,
  loading: false,
  async refresh() {
    set({ loading: true })
    try {
      set({ status: await api.systemStatus(), error: null, loading: false })
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error), loading: false })
    }
  },
}))
