import { create } from 'zustand'
import type { SettingsView } from '../../../shared/contract'
import { api } from '../bridge/client'
import { errorMessage } from '../../../shared/errors'

interface SettingsState {
  view: SettingsView | null
  error: string | null
  load(): Promise<void>
  /** The desktop app opens the data directory in the file manager; the core refuses elsewhere, in words. */
  openDataFolder(): Promise<void>
}

export const useSettingsStore = create<SettingsState>((set) => ({
  view: null,
  error: null,
  async load() {
    try {
      set({ view: await api.settingsGet({}), error: null })
    } catch (error) {
      set({ error: errorMessage(error) })
    }
  },
  async openDataFolder() {
    await api.systemOpenDataFolder()
  },
}))
