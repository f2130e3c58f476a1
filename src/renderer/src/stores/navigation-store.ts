import { create } from 'zustand'

export const PAGES = [
  { id: 'overview', label: 'Overview' },
  { id: 'strategies', label: 'Strategies' },
  { id: 'ideas', label: 'Trade Ideas' },
  { id: 'backtests', label: 'Backtests' },
  { id: 'history', label: 'Decision History' },
  { id: 'database', label: 'Database' },
  { id: 'settings', label: 'Settings' },
] as const

export type PageId = (typeof PAGES)[number]['id']

interface NavigationState {
  page: PageId
  go(page: PageId): void
}

export const useNavigationStore = create<NavigationState>((set) => ({
  page: 'overview',
  go: (page) => set({ page }),
}))
