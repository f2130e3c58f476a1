import { openIdea, useAlertsStore } from '../stores/alerts-store'

/** Results and arrivals, bottom right, gone by themselves after a few seconds. */
export function Toasts() {
  const { toasts, dismiss } = useAlertsStore()
  return (
    <div className="toasts" role="status" aria-live="polite" aria-label="Notifications">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast ${toast.tone}`}>
          <span>{toast.text}</span>
          {toast.ideaId && (
            <button
              type="button"
              className="button"
              onClick={() => {
                openIdea(toast.ideaId as string)
                dismiss(toast.id)
              }}
            >
              Open
            </button>
          )}
          <button type="button" className="button ghost" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  )
}
