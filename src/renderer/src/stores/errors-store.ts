import { create } from 'zustand'
import type { ErrorLogEntry } from '../../../shared/domain'
import { errorMessage } from '../../../shared/errors'
import { api } from '../bridge/client'

interface ErrorsState {
  items: ErrorLogEntry[]
  unresolved: number | null
  onlyUnresolved: boolean
  error: string | null
  /** The last resolve's refusal, kept beside the note the trader typed. */
  resolveError: { id: string; message: string } | null
  load(): Promise<void>
  setOnlyUnresolved(only: boolean): Promise<void>
  resolve(id: string, note: string): Promise<boolean>
}

export const useErrorsStore = create<ErrorsState>((set, get) => ({
  items: [],
  unresolved: null,
  onlyUnresolved: true,
  error: null,
  resolveError: null,
  async load() {
    try {
      const page = await api.errorsList({ ...(get().onlyUnresolved ? { unresolved: true } : {}), limit: 200 })
      set({ items: page.items, unresolved: page.unresolved, error: null })
    } catch (error) {
      set({ error: errorMessage(error) })
    }
  },
  async setOnlyUnresolved(only) {
    set({ onlyUnresolved: only })
    await get().load()
  },
  async resolve(id, note) {
    set({ resolveError: null })
    try {
      await api.errorsResolve({ id, note })
      await get().load()
      return true
    } catch (error) {
      set({ resolveError: { id, message: errorMessage(error) } })
      return false
    }
  },
}))
