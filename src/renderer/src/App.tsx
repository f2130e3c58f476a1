import { Sidebar } from './components/Sidebar'
import { ComingSoon } from './pages/ComingSoon'
import { Overview } from './pages/Overview'
import { useNavigationStore, type PageId } from './stores/navigation-store'

const PLACEHOLDERS: Record<Exclude<PageId, 'overview'>, { title: string; summary: string }> = {
  strategies: { title: 'Strategies', summary: 'Start, stop and pause strategy instances and watch their heartbeats.' },
  ideas: { title: 'Trade Ideas', summary: 'Approve or reject the trade ideas your strategies propose.' },
  history: { title: 'Decision History', summary: 'Search and export every decision made by a strategy, the risk engine or a person.' },
  database: { title: 'Database', summary: 'Migrations, backups, restore and rollback.' },
  settings: { title: 'Settings', summary: 'Risk limits, PostgreSQL connection and preferences.' },
}

export function App() {
  const page = useNavigationStore((state) => state.page)
  return (
    <div className="shell">
      <Sidebar />
      <main className="content">{page === 'overview' ? <Overview /> : <ComingSoon {...PLACEHOLDERS[page]} />}</main>
    </div>
  )
}
