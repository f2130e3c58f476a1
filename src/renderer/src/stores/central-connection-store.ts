import { create } from 'zustand'
import type { CentralConnectionView, CentralTestResult, ChannelInput } from '../../../shared/contract'
import { errorMessage } from '../../../shared/errors'
import { api } from '../bridge/client'
import { useSettingsStore } from './settings-store'

type ConnectionInput = ChannelInput<'central:save'>['connection']

interface CentralConnectionState {
  view: CentralConnectionView | null
  loadError: string | null
  /** Resolves to the saved connection, or null when it could not be read (then `loadError` says why). */
  load(): Promise<CentralConnectionView | null>
  /** Throws the core's refusal (with the fields it names); the form keeps what was typed. */
  save(connection: ConnectionInput): Promise<CentralConnectionView>
  test(connection: ConnectionInput): Promise<CentralTestResult>
}

/** Settings → PostgreSQL: the saved connection as the core shows it, never with its password. */
export const useCentralConnectionStore = create<CentralConnectionState>((set) => ({
  view: null,
  loadError: null,
  async load() {
    try {
      const view = await api.centralGet()
      set({ view, loadError: null })
      return view
    } catch (error) {
      set({ loadError: errorMessage(error) })
      return null
    }
  },
  async save(connection) {
    const view = await api.centralSave({ connection })
    set({ view })
    // The save is in the audit log the Settings page shows.
    void useSettingsStore.getState().load()
    return view
  },
  test: (connection) => api.centralTest({ connection }),
}))
