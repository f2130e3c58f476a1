import { create } from 'zustand'
import type { ExchangeCapabilities, StrategyKindInfo, StrategyLogEntry, StrategyView } from '../../../shared/domain'
import { ApiError, errorMessage } from '../../../shared/errors'
import { api } from '../bridge/client'
import { resultsBelongToPage } from './results'

export type StrategyAction = 'start' | 'stop' | 'pause' | 'resume'

export interface CreateInput {
  strategyName: string
  name?: string
  instrument: string
  config: Record<string, unknown>
  broker: string
  environment: 'paper' | 'testnet' | 'live'
  confirmation?: string
}

/** Where an instance can trade: paper, and each exchange Tradedeck places orders on, on testnet and live. */
export interface VenueOption {
  broker: string
  environment: 'paper' | 'testnet' | 'live'
  label: string
  /** How orders and exits work there, in a sentence the form shows. */
  note: string
}

const PAPER: VenueOption = {
  broker: 'paper',
  environment: 'paper',
  label: 'Paper (simulated fills)',
  note: 'Runs on the paper broker, on the synthetic or imported feed.',
}

/** How an instance trades on an exchange, from its capabilities. */
function tradingNote(exchange: ExchangeCapabilities, environment: 'testnet' | 'live'): string {
  const exits = exchange.nativeStopLoss
    ? 'Stop-loss and take-profit go to the exchange as reduce-only trigger orders once the entry fills; if it refuses them, Tradedeck watches them on each candle and closes at market.'
    : 'Tradedeck watches stop-loss and take-profit on each candle and closes at market.'
  const longOnly = exchange.longOnly
    ? ` ${exchange.label} is long-only: short ideas are refused, and a buy's fee is taken in the coin bought, so the position is what the wallet received.`
    : ''
  return `Takes its candles from ${exchange.label} ${environment} and trades there with this profile's key (Settings → Exchanges). ${exits}${longOnly}`
}

interface Outcome {
  tone: 'ok' | 'bad'
  message: string
}

interface StrategiesState {
  instances: StrategyView[]
  kinds: StrategyKindInfo[]
  venues: VenueOption[]
  loading: boolean
  loadError: string | null
  outcome: Outcome | null
  busyId: string | null
  logsFor: string | null
  logs: StrategyLogEntry[]
  refresh(): Promise<void>
  loadKinds(): Promise<void>
  /** Returns field errors by path ("" for the whole form); an empty object means it was created. */
  create(input: CreateInput): Promise<Record<string, string>>
  /** A new name and, while it is not running, new settings; field errors as for create. */
  update(id: string, change: { name?: string; config?: Record<string, unknown> }): Promise<Record<string, string>>
  /** Deletes a stopped instance; one with decision history is archived and its history kept. */
  remove(id: string): Promise<void>
  /** `confirmation`: for a live instance, the exchange and instrument as the trader typed them. */
  act(id: string, action: StrategyAction, confirmation?: string): Promise<void>
  openLogs(id: string | null): Promise<void>
}

/** The core's refusal by field ("" for the whole form), so each message shows next to what caused it. */
function fieldErrors(error: unknown): Record<string, string> {
  if (error instanceof ApiError && error.issues?.length)
    return Object.fromEntries(
      error.issues.map((issue) => [issue.path.filter((part) => part !== 'config').join('.'), issue.message]),
    )
  return { '': errorMessage(error) }
}

export const useStrategiesStore = create<StrategiesState>((set, get) => ({
  instances: [],
  kinds: [],
  venues: [PAPER],
  loading: true,
  loadError: null,
  outcome: null,
  busyId: null,
  logsFor: null,
  logs: [],
  // Every change the core makes is announced (strategies:changed), and that event is what refreshes the list.
  async refresh() {
    try {
      set({ instances: await api.strategiesList(), loading: false, loadError: null })
      const { logsFor } = get()
      if (logsFor) set({ logs: await api.strategiesLogs({ id: logsFor, limit: 200 }) })
    } catch (error) {
      set({ loading: false, loadError: errorMessage(error) })
    }
  },
  async loadKinds() {
    if (get().kinds.length > 0) return
    try {
      const [kinds, exchanges] = await Promise.all([api.strategiesKinds(), api.exchangesList()])
      const trading = exchanges.exchanges.filter((exchange) => exchange.placesOrders)
      set({
        kinds,
        venues: [
          PAPER,
          ...trading.flatMap((exchange) =>
            (['testnet', 'live'] as const).map((environment) => ({
              broker: exchange.id,
              environment,
              label: `${exchange.label} ${environment}${environment === 'live' ? ' (real money)' : ''}`,
              note: tradingNote(exchange, environment),
            })),
          ),
        ],
      })
    } catch (error) {
      set({ loadError: errorMessage(error) })
    }
  },
  async create(input) {
    try {
      const created = await api.strategiesCreate(input)
      set({ outcome: { tone: 'ok', message: `Created ${created.name}. Start it when you are ready.` } })
      return {}
    } catch (error) {
      return fieldErrors(error)
    }
  },
  async update(id, change) {
    try {
      const updated = await api.strategiesUpdateConfig({ id, ...change })
      set({ outcome: { tone: 'ok', message: `Saved ${updated.name}.` } })
      return {}
    } catch (error) {
      return fieldErrors(error)
    }
  },
  async remove(id) {
    if (get().busyId) return
    const name = get().instances.find((instance) => instance.id === id)?.name ?? 'the instance'
    set({ busyId: id, outcome: null })
    try {
      const { archived } = await api.strategiesDelete({ id })
      set({
        outcome: {
          tone: 'ok',
          message: archived
            ? `Deleted ${name}. Its decisions stay in Decision History under its name.`
            : `Deleted ${name}.`,
        },
      })
    } catch (error) {
      set({ outcome: { tone: 'bad', message: errorMessage(error) } })
      void get().refresh()
    } finally {
      set({ busyId: null })
    }
  },
  async act(id, action, confirmation) {
    if (get().busyId) return
    set({ busyId: id, outcome: null })
    try {
      const call = {
        start: api.strategiesStart,
        stop: api.strategiesStop,
        pause: api.strategiesPause,
        resume: api.strategiesResume,
      }[action]
      const instance: StrategyView & { warning?: string | null } = await call({
        id,
        ...(confirmation !== undefined ? { confirmation } : {}),
      })
      const verb = { start: 'Started', stop: 'Stopped', pause: 'Paused', resume: 'Resumed' }[action]
      const done = `${verb} ${instance.name}.`
      set({
        outcome: instance.warning
          ? { tone: 'bad', message: `${done} ${instance.warning}` }
          : { tone: 'ok', message: done },
      })
    } catch (error) {
      set({ outcome: { tone: 'bad', message: errorMessage(error) } })
      // A refusal changes nothing and announces nothing; what was refused may be stale here, so read it again.
      void get().refresh()
    } finally {
      set({ busyId: null })
    }
  },
  async openLogs(id) {
    set({ logsFor: id, logs: [] })
    if (!id) return
    try {
      const logs = await api.strategiesLogs({ id, limit: 200 })
      if (get().logsFor === id) set({ logs })
    } catch (error) {
      set({ outcome: { tone: 'bad', message: errorMessage(error) } })
    }
  },
}))

api.on('strategies:changed', () => void useStrategiesStore.getState().refresh())
api.on('strategies:heartbeat', ({ strategyId, at }) =>
  useStrategiesStore.setState((state) => ({
    instances: state.instances.map((instance) =>
      instance.id === strategyId ? { ...instance, lastHeartbeat: at, stale: false } : instance,
    ),
  })),
)

resultsBelongToPage(() => useStrategiesStore.setState({ outcome: null }))
