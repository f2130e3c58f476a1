/// <reference lib="dom" />
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { TradeIdea } from '../../src/shared/domain'

/** The window.api the store talks to, answering from a list the test changes. */
const server = vi.hoisted(() => ({ waiting: [] as TradeIdea[] }))
vi.mock('../../src/renderer/src/bridge/client', () => ({
  api: {
    ideasList: async () => [...server.waiting].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    ideasGet: async ({ id }: { id: string }) => ({ idea: server.waiting.find((idea) => idea.id === id) ?? { id }, history: [] }),
    ideasCandles: async () => null,
    on: () => () => undefined,
  },
}))
const { useIdeasStore } = await import('../../src/renderer/src/stores/ideas-store')

let clock = 0
function idea(id: string): TradeIdea {
  clock += 1000
  return { id, symbol: `${id}-USD`, createdAt: new Date(Date.UTC(2026, 10, 28) + clock).toISOString() } as TradeIdea
}
const ids = (ideas: TradeIdea[]) => ideas.map((row) => row.id)

describe('the approval list stays still under the trader', () => {
  beforeEach(() => {
    useIdeasStore.setState({ queue: [], incoming: [], selectedId: null, detail: null })
    server.waiting = []
  })

  it('keeps the rows and the selection where they are while ideas arrive; they join on request', async () => {
    const store = useIdeasStore.getState()
    const [a, b] = [idea('a'), idea('b')]
    server.waiting = [a, b]
    await store.refresh()
    expect(ids(useIdeasStore.getState().queue)).toEqual(['b', 'a'])
    // J and K start from the first row.
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

  it('moves the selection to the row that followed a decided idea, and never shows one idea’s detail for another', async () => {
    const store = useIdeasStore.getState()
    const [a, b, c] = [idea('a'), idea('b'), idea('c')]
    server.waiting = [a, b, c]
    await store.refresh()
    await store.select('b')
    // b was decided in another window (or the market ran through it).
    server.waiting = [a, c]
    await store.refresh()
    expect(ids(useIdeasStore.getState().queue)).toEqual(['c', 'a'])
    expect(useIdeasStore.getState().selectedId).toBe('a')
    expect(useIdeasStore.getState().detail?.idea.id).toBe('a')

    // While another idea's detail loads, the old one is not on screen, so A cannot approve the wrong idea.
    const pending = store.select('c')
    expect(useIdeasStore.getState().selectedId).toBe('c')
    expect(useIdeasStore.getState().detail).toBeNull()
    await pending
    expect(useIdeasStore.getState().detail?.idea.id).toBe('c')
  })
})
