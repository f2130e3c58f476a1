import { PAGES, useNavigationStore } from '../stores/navigation-store'

export function Sidebar() {
  const page = useNavigationStore((state) => state.page)
  const go = useNavigationStore((state) => state.go)
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">Tradedeck</div>
      <ul>
        {PAGES.map((entry) => (
          <li key={entry.id}>
            <button
              type="button"
              className={entry.id === page ? 'nav-item active' : 'nav-item'}
              aria-current={entry.id === page ? 'page' : undefined}
              onClick={() => go(entry.id)}
            >
              {entry.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  )
}
