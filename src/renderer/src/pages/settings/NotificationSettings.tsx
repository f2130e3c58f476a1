import { useEffect, useState } from 'react'
import { NOTIFICATION_EVENTS, type NotificationEvent, type NotificationPreferences } from '../../../../shared/domain'
import { errorMessage } from '../../../../shared/errors'
import { useAlertsStore } from '../../stores/alerts-store'
import { Outcome, type OutcomeMessage } from '../../components/Outcome'

const EVENT_LABEL: Record<NotificationEvent, string> = {
  idea_waiting: 'An idea waits for approval',
  fill: 'An order fills',
  halt: 'Trading halts',
  strategy_error: 'A strategy stops on errors',
  backup_failure: 'A scheduled backup fails',
  protection: 'A position’s stop is placed again, resized, or left to Tradedeck to watch',
}

const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone

/** Settings → Notifications: per event, a toast in the app and a desktop notification; quiet hours hold off the desktop ones. */
export function NotificationSettings() {
  const { preferences, loadPreferences } = useAlertsStore()
  useEffect(() => {
    if (!preferences) void loadPreferences()
  }, [preferences, loadPreferences])
  return preferences && <NotificationForm saved={preferences} />
}

function NotificationForm({ saved }: { saved: NotificationPreferences }) {
  const { savePreferences, notificationPermission } = useAlertsStore()
  const [form, setForm] = useState<NotificationPreferences>(saved)
  const [quiet, setQuiet] = useState(
    saved.quietHours
      ? { on: true, ...saved.quietHours }
      : { on: false, from: '22:00', to: '07:00', timeZone: localZone() },
  )
  const [outcome, setOutcome] = useState<OutcomeMessage | null>(null)
  const toggle = (event: NotificationEvent, delivery: 'inApp' | 'desktop', value: boolean) =>
    setForm({ ...form, events: { ...form.events, [event]: { ...form.events[event], [delivery]: value } } })
  const save = async () => {
    setOutcome(null)
    try {
      await savePreferences({
        ...form,
        quietHours: quiet.on ? { from: quiet.from, to: quiet.to, timeZone: quiet.timeZone } : null,
      })
      setOutcome({ tone: 'ok', text: 'Saved for this profile.' })
    } catch (error) {
      setOutcome({ tone: 'bad', text: `Nothing was saved: ${errorMessage(error)}` })
    }
  }
  return (
    <form
      className="panel"
      aria-label="Notifications"
      onSubmit={(event) => {
        event.preventDefault()
        void save()
      }}
    >
      <h2>Notifications</h2>
      <p className="muted">
        For this profile. Windows showing another profile hear these too, named by profile.
        {notificationPermission === 'default' &&
          ' Desktop notifications also need the permission the sidebar asks for.'}
        {notificationPermission === 'denied' &&
          ' Desktop notifications are blocked: allow notifications for Tradedeck in the browser’s site settings (the icon left of the address) or in the system’s notification settings, then reload.'}
      </p>
      <table className="data-table" aria-label="Which events notify">
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">In the app</th>
            <th scope="col">On the desktop</th>
          </tr>
        </thead>
        <tbody>
          {NOTIFICATION_EVENTS.map((event) => (
            <tr key={event}>
              <th scope="row">{EVENT_LABEL[event]}</th>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${EVENT_LABEL[event]}: in the app`}
                  checked={form.events[event].inApp}
                  onChange={(change) => toggle(event, 'inApp', change.target.checked)}
                />
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${EVENT_LABEL[event]}: on the desktop`}
                  checked={form.events[event].desktop}
                  onChange={(change) => toggle(event, 'desktop', change.target.checked)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="schema-form">
        <label className="checkbox plain">
          <input
            type="checkbox"
            checked={quiet.on}
            onChange={(event) => setQuiet({ ...quiet, on: event.target.checked })}
          />
          Quiet hours: no desktop notifications
        </label>
        <div className="field">
          <label htmlFor="quiet-from">From</label>
          <input
            id="quiet-from"
            type="time"
            disabled={!quiet.on}
            value={quiet.from}
            onChange={(event) => setQuiet({ ...quiet, from: event.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="quiet-to">To</label>
          <input
            id="quiet-to"
            type="time"
            disabled={!quiet.on}
            value={quiet.to}
            onChange={(event) => setQuiet({ ...quiet, to: event.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="quiet-zone">Time zone</label>
          <input
            id="quiet-zone"
            disabled={!quiet.on}
            value={quiet.timeZone}
            onChange={(event) => setQuiet({ ...quiet, timeZone: event.target.value })}
          />
        </div>
      </div>
      <Outcome outcome={outcome} />
      <div className="actions">
        <button type="submit" className="button primary">
          Save notifications
        </button>
      </div>
    </form>
  )
}
