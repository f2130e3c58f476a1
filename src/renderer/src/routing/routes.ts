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

/**
 * Where the trader is: a page, the thing selected on it (an idea, a backtest
 * run) and the page's filters. It lives in the URL's fragment, which works the
 * same in browser mode and in the desktop window's file URL, and which the
 * browser-mode server never sees.
 */
export interface Route {
  page: PageId
  /** The selected idea or backtest run. */
  item: string | null
  /** The page's filters (Decision History's), as they would appear in a query string. */
  query: Record<string, string>
}

const PAGE_IDS = new Set<string>(PAGES.map((page) => page.id))
const ITEM = /^[A-Za-z0-9-]{1,64}$/

export const HOME: Route = { page: 'overview', item: null, query: {} }

/** `#/ideas/<id>`, `#/history?symbol=BTC`: anything unknown or malformed reads as the Overview, never as an error. */
export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?', 2)
  const [page = '', item = ''] = path.split('/')
  if (!PAGE_IDS.has(page)) return HOME
  const query: Record<string, string> = {}
  for (const [key, value] of new URLSearchParams(search)) if (value !== '') query[key] = value.slice(0, 200)
  return { page: page as PageId, item: ITEM.test(item) ? item : null, query }
}

export function formatRoute(route: Route): string {
  const search = new URLSearchParams(Object.entries(route.query).filter(([, value]) => value !== '')).toString()
  return `#/${route.page}${route.item ? `/${route.item}` : ''}${search ? `?${search}` : ''}`
}
