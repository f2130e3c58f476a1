import { useAlertsStore } from '../stores/alerts-store'
import { ProfileSwitcher } from './ProfileSwitcher'
import { PAGES, useNavigationStore } from '../stores/navigation-store'

export function Sidebar() {
  const page = useNavigationStore((state) => state.page)
  const go = useNavigationStore((state) => state.go)
  const { unreadIdeas, notificationPermission, askForDesktopNotifications } = useAlertsStore()
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">Tradedeck</div>
      <ProfileSwitcher />
      <ul>
        {PAGES.map((entry) => (
          <li key={entry.id}>
            <button
              type="button"
              className={entry.id === page ? 'nav-item active' : 'nav-item'}
              aria-current={entry.id === page ? 'page' : undefined}
              // The name stays the page's name; the unread count is its description.
              aria-label={entry.label}
              aria-describedby={entry.id === 'ideas' && unreadIdeas > 0 ? 'unread-ideas' : undefined}
              onClick={() => go(entry.id)}
            >
              {entry.label}
              {entry.id === 'ideas' && unreadIdeas > 0 && (
                <span className="badge" id="unread-ideas" title={`${unreadIdeas} new ideas need your approval`}>
                  {unreadIdeas}
                  <span className="visually-hidden"> new ideas need your approval</span>
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {notificationPermission === 'default' && (
        <button type="button" className="button sidebar-action" onClick={() => void askForDesktopNotifications()}>
          Notify me of new ideas
        </button>
      )}
      {notificationPermission === 'denied' && (
        <p className="sidebar-note" role="note" data-testid="notifications-denied">
          Desktop notifications are blocked for Tradedeck. To get them, allow notifications for this page in the
          browser’s site settings (the icon left of the address), or for Tradedeck in the system’s notification
          settings, then reload.
        </p>
      )}
    </nav>
  )
}
