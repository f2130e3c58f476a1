/// <reference lib="dom" />
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { TradeIdea } from '../../src/shared/domain'

/** The window.api the store talks to, answering from lists the test changes. */
const server = vi.hoisted(() => ({
  waiting: [] as TradeIdea[],
  ended: [] as TradeIdea[],
  environment: 'paper' as 'paper' | 'live',
  approved: [] as string[],
}))
vi.mock('../../src/renderer/src/bridge/client', () => ({
  api: {
    ideasList: async () => [...server.waiting].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    ideasWithdrawn: async () => server.ended.filter((idea) => idea.status === 'expired'),
    ideasGet: async ({ id }: { id: string }) => ({
      idea: server.waiting.find((idea) => idea.id === id) ?? server.ended.find((idea) => idea.id === id) ?? { id },
      history: [],
      venue: {
        broker: server.environment === 'live' ? 'deribit' : 'paper',
        environment: server.environment,
        label: server.environment === 'live' ? 'Deribit' : 'Paper',
      },
    }),
    ideasCandles: async () => null,
    ideasMarks: async () => [],
    ideasApprove: async ({ id }: { id: string }) => {
      server.approved.push(id)
      return { ...server.waiting.find((idea) => idea.id === id), status: 'approved' }
    },
    on: () => () => undefined,
  },
}))
vi.stubGlobal('history', { pushState: () => undefined, replaceState: () => undefined })
const { useIdeasStore } = await import('../../src/renderer/src/stores/ideas-store')
const { APPROVAL_GUARD_MS } = await import('../../src/renderer/src/pages/trade-ideas/idea-keys')

let clock = 0
function idea(id: string): TradeIdea {
  clock += 1000
  return {
    id,
    symbol: `${id}-USD`,
    direction: 'long',
    size: '1',
    status: 'needs_approval',
    createdAt: new Date(Date.UTC(2026, 10, 28) + clock).toISOString(),
  } as TradeIdea
}
const ids = (ideas: TradeIdea[]) => ideas.map((row) => row.id)
/** The detail on screen as if it had been shown for the guard time already. */
const settle = () =>
  useIdeasStore.setState((state) => ({
    detail: state.detail && { ...state.detail, shownAt: Date.now() - APPROVAL_GUARD_MS },
  }))

describe('the approval list stays still under the trader', () => {
  beforeEach(() => {
    useIdeasStore.setState({
      queue: [],
      departedAt: {},
      incoming: [],
      selectedId: null,
      detail: null,
      liveArmed: null,
      busy: false,
      outcome: null,
    })
    server.waiting = []
    server.ended = []
    server.environment = 'paper'
    server.approved = []
  })

  it('keeps the rows and the selection where they are while ideas arrive; they join on request', async () => {
    const store = useIdeasStore.getState()
    const [a, b] = [idea('a'), idea('b')]
    server.waiting = [a, b]
    await store.refresh(true)
    expect(ids(useIdeasStore.getState().queue)).toEqual(['b', 'a'])
    // Opening the page selects the newest; nothing else ever selects for the trader.
    expect(useIdeasStore.getState().selectedId).toBe('b')
    await store.select('a')

    server.waiting = [a, b, idea('c'), idea('d')]
    await store.refresh()
    expect(ids(useIdeasStore.getState().queue)).toEqual(['b', 'a'])
    expect(ids(useIdeasStore.getState().incoming)).toEqual(['d', 'c'])
    expect(useIdeasStore.getState().selectedId).toBe('a')
    expect(useIdeasStore.getState().detail?.idea.id).toBe('a')

    useIdeasStore.getState().showIncoming()
    expect(ids(useIdeasStore.getState().queue)).toEqual(['d', 'c', 'b', 'a'])
    expect(useIdeasStore.getState().incoming).toEqual([])
  })

  it('keeps the selection on an idea that left the queue, shows why, and A does nothing there', async () => {
    const store = useIdeasStore.getState()
    const [a, b, c] = [idea('a'), idea('b'), idea('c')]
    server.waiting = [a, b, c]
    await store.refresh(true)
    await store.select('b')
    settle()
    // The market withdrew b (superseded, out of range): the detail stays on b, greyed, with the reason.
    server.waiting = [a, c]
    server.ended = [{ ...b, status: 'expired', decidedBy: 'system', decisionNote: 'Replaced by a newer short idea.' }]
    await store.refresh()
    const state = useIdeasStore.getState()
    expect(state.selectedId).toBe('b')
    expect(state.detail?.idea).toMatchObject({
      id: 'b',
      status: 'expired',
      decisionNote: 'Replaced by a newer short idea.',
    })
    expect(ids(state.queue)).toEqual(['c', 'b', 'a'])
    expect(state.departedAt.b).toBeTypeOf('number')
    settle()
    await store.decide('approve', 'b', '')
    await store.decide('approve', 'c', '')
    expect(server.approved).toEqual([])

    // While another idea's detail loads, the old one is not on screen, so A cannot approve the wrong idea.
    const pending = store.select('c')
    expect(useIdeasStore.getState().selectedId).toBe('c')
    expect(useIdeasStore.getState().detail).toBeNull()
    await pending
    expect(useIdeasStore.getState().detail?.idea.id).toBe('c')
  })

  it('acts only once the detail has been on screen for the guard time, and only on the id shown', async () => {
    const store = useIdeasStore.getState()
    server.waiting = [idea('a'), idea('b')]
    await store.refresh(true)
    const shown = useIdeasStore.getState().selectedId as string
    await store.decide('approve', shown, '')
    expect(server.approved).toEqual([])
    settle()
    await store.decide('approve', shown === 'a' ? 'b' : 'a', '')
    expect(server.approved).toEqual([])
    await store.decide('approve', shown, '')
    expect(server.approved).toEqual([shown])
  })

  it('sends a live idea only on the second, confirming key, and never while trading is halted', async () => {
    server.environment = 'live'
    server.waiting = [idea('a')]
    const store = useIdeasStore.getState()
    await store.refresh(true)
    settle()
    await store.decide('approve', 'a', '', { halted: true })
    expect(useIdeasStore.getState().liveArmed).toBeNull()
    await store.decide('approve', 'a', '')
    expect(useIdeasStore.getState().liveArmed).toBe('a')
    expect(server.approved).toEqual([])
    // The confirmation names the idea it armed: a confirm for another id sends nothing.
    useIdeasStore.getState().disarm()
    await store.decide('approve', 'a', '', { confirmLive: true })
    expect(server.approved).toEqual([])
    await store.decide('approve', 'a', '')
    await store.decide('approve', 'a', '', { confirmLive: true })
    expect(server.approved).toEqual(['a'])
  })
})
