import { create } from 'zustand'
import type { EquityPoint, ImportedHistoryView, PositionView, TradeView } from '../../../shared/contract'
import type { AccountSummary, RiskConfig, RiskConfigPatch, TradeIdea } from '../../../shared/domain'
import { api } from '../bridge/client'
import { onDataReplaced } from './results'
import { noticeWaitingIdeas } from './alerts-store'
import { useSettingsStore } from './settings-store'
import { errorMessage } from '../../../shared/errors'

interface TradingState {
  account: AccountSummary | null
  /** Each exchange venue's account, as its limits read it. */
  venues: AccountSummary[]
  risk: RiskConfig | null
  waiting: TradeIdea[]
  /** The last 7 days of equity, from the account snapshots. */
  equity: EquityPoint[]
  positions: PositionView[]
  recentTrades: TradeView[]
  /** Trades imported from other systems: they change only with an import, so they are read when the Overview opens, not on every fill. */
  imported: ImportedHistoryView | null
  error: string | null
  busy: boolean
  refresh(): Promise<void>
  /** Reads the imported trades now (an import has just run, or the Overview opened). */
  loadImported(): Promise<void>
  halt(reason: string): Promise<boolean>
  resume(reason: string): Promise<boolean>
  /** Resolves to the saved config, or throws the core's refusal with the fields it names; the form keeps what was typed. */
  updateRisk(patch: RiskConfigPatch): Promise<RiskConfig>
}

const EQUITY_REFRESH_MS = 5000
let equityReadAt = 0

export const useTradingStore = create<TradingState>((set) => {
  // A halt or resume announces itself (trading:halted, trading:resumed), and that event refreshes the store.
  const act = async (fn: () => Promise<unknown>) => {
    set({ busy: true, error: null })
    try {
      await fn()
      set({ busy: false })
      return true
    } catch (error) {
      set({ busy: false, error: errorMessage(error) })
      return false
    }
  }
  return {
    account: null,
    venues: [],
    risk: null,
    waiting: [],
    equity: [],
    positions: [],
    recentTrades: [],
    imported: null,
    error: null,
    busy: false,
    async refresh() {
      try {
        // Every fill fires account:changed; the week-long curve is re-read at most every few seconds.
        const curveDue = Date.now() - equityReadAt >= EQUITY_REFRESH_MS
        const [account, venues, risk, waiting, equity, positions] = await Promise.all([
          api.accountSummary(),
          api.accountVenues(),
          api.riskGet(),
          api.ideasList({ statuses: ['needs_approval'], limit: 500 }),
          curveDue ? api.accountEquityCurve({}) : null,
          api.accountPositions({}),
        ])
        if (equity) equityReadAt = Date.now()
        set({
          account,
          venues,
          risk,
          waiting,
          ...(equity ? { equity } : {}),
          positions: positions.open,
          recentTrades: positions.recentTrades,
        })
        noticeWaitingIdeas(waiting, risk.halted)
      } catch (error) {
        set({ error: errorMessage(error) })
      }
    },
    async loadImported() {
      try {
        set({ imported: await api.accountImportedHistory() })
      } catch (error) {
        set({ error: errorMessage(error) })
      }
    },
    halt: (reason) => act(() => api.tradingHalt({ reason })),
    resume: (reason) => act(() => api.tradingResume({ reason })),
    async updateRisk(patch) {
      const risk = await api.riskUpdate({ patch })
      set({ risk })
      void useSettingsStore.getState().load()
      return risk
    },
  }
})

onDataReplaced(() => void useTradingStore.getState().refresh())
for (const event of ['ideas:changed', 'account:changed', 'trading:halted', 'trading:resumed'] as const) {
  api.on(event, () => void useTradingStore.getState().refresh())
}
