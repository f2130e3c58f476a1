import { create } from 'zustand'
import type {
  CandleDownloadResult,
  ExchangeCapabilities,
  ExchangeKeyTest,
  ExchangeKeyView,
  ReconcileView,
} from '../../../shared/domain'
import { errorMessage } from '../../../shared/errors'
import { api } from '../bridge/client'

interface ExchangesState {
  exchanges: ExchangeCapabilities[]
  keys: ExchangeKeyView[]
  tests: Record<string, ExchangeKeyTest | { error: string } | 'testing'>
  error: string | null
  download:
    | { state: 'idle' }
    | { state: 'running'; fraction: number; received: number }
    | { state: 'done'; result: CandleDownloadResult }
  load(): Promise<void>
  /** Resolves once saved; throws the core's refusal so the form keeps what was typed. */
  saveKey(input: { exchange: string; environment: string; apiKey: string; secret: string }): Promise<void>
  deleteKey(id: string): Promise<void>
  testKey(id: string): Promise<void>
  reconciliation:
    | { state: 'idle' }
    | { state: 'running' }
    | { state: 'done'; reports: ReconcileView[] }
    | { state: 'failed'; error: string }
  reconcile(): Promise<void>
  downloadCandles(input: {
    exchange: string
    environment: string
    symbol: string
    timeframe: string
    from: string
    to?: string
  }): Promise<void>
}

export const useExchangesStore = create<ExchangesState>((set, get) => ({
  exchanges: [],
  keys: [],
  tests: {},
  error: null,
  download: { state: 'idle' },
  reconciliation: { state: 'idle' },
  async reconcile() {
    set({ reconciliation: { state: 'running' } })
    try {
      set({ reconciliation: { state: 'done', reports: await api.exchangesReconcile() } })
    } catch (error) {
      set({ reconciliation: { state: 'failed', error: errorMessage(error) } })
    }
  },
  async load() {
    try {
      set({ ...(await api.exchangesList()), error: null })
    } catch (error) {
      set({ error: errorMessage(error) })
    }
  },
  async saveKey(input) {
    await api.exchangesSaveKey(input as Parameters<typeof api.exchangesSaveKey>[0])
    await get().load()
  },
  async deleteKey(id) {
    await api.exchangesDeleteKey({ id })
    const { [id]: _gone, ...tests } = get().tests
    set({ tests })
    await get().load()
  },
  async testKey(id) {
    set({ tests: { ...get().tests, [id]: 'testing' } })
    try {
      const result = await api.exchangesTestKey({ id })
      set({ tests: { ...get().tests, [id]: result } })
    } catch (error) {
      set({ tests: { ...get().tests, [id]: { error: errorMessage(error) } } })
    }
  },
  async downloadCandles(input) {
    set({ download: { state: 'running', fraction: 0, received: 0 } })
    const stop = api.on('marketData:downloadProgress', (progress) => {
      if (get().download.state === 'running')
        set({
          download: {
            state: 'running',
            fraction: progress.total > 0 ? progress.done / progress.total : 0,
            received: progress.received,
          },
        })
    })
    try {
      set({
        download: {
          state: 'done',
          result: await api.marketDataDownload(input as Parameters<typeof api.marketDataDownload>[0]),
        },
      })
    } catch (error) {
      set({ download: { state: 'idle' } })
      throw error
    } finally {
      stop()
    }
  },
}))
