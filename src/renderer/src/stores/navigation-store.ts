import { create } from 'zustand'
import { formatRoute, HOME, parseRoute, type PageId, type Route } from '../routing/routes'

export { PAGES, type PageId } from '../routing/routes'

interface NavigationState extends Route {
  /** Another page: a new history entry, so Back returns here. */
  go(page: PageId, item?: string | null): void
  /** The selection or filters of this page changed: the URL follows without a new history entry, so reload keeps them. */
  replace(change: Partial<Omit<Route, 'page'>>): void
}

const currentRoute = (): Route => (typeof location === 'undefined' ? HOME : parseRoute(location.hash))

export const useNavigationStore = create<NavigationState>((set, get) => ({
  ...currentRoute(),
  go(page, item = null) {
    const next: Route = { page, item, query: {} }
    if (formatRoute(next) === formatRoute(get())) return
    history.pushState(null, '', formatRoute(next))
    set(next)
  },
  replace(change) {
    const next: Route = { page: get().page, item: get().item, query: get().query, ...change }
    if (formatRoute(next) === formatRoute(get())) return
    history.replaceState(null, '', formatRoute(next))
    set(next)
  },
}))

if (typeof window !== 'undefined') {
  // Back, Forward, and a link or notification that sets the fragment.
  const follow = () => useNavigationStore.setState(currentRoute())
  window.addEventListener('popstate', follow)
  window.addEventListener('hashchange', follow)
}
