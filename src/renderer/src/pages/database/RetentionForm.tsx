import { useEffect, useState } from 'react'
import { errorMessage } from '../../../../shared/errors'
import { useTasksStore } from '../../stores/tasks-store'

/** How long candles and indicator values are kept; what an idea, a decision or a backtest points at always stays. */
export function RetentionForm() {
  const [days, setDays] = useState('')
  const { loadRetention, saveRetention } = useTasksStore()
  const [message, setMessage] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null)
  useEffect(() => {
    void loadRetention().then(
      (value) => setDays(value === null ? '' : String(value)),
      (error: unknown) => setMessage({ tone: 'bad', text: errorMessage(error) }),
    )
  }, [loadRetention])
  return (
    <form
      className="row-actions"
      aria-label="Market data retention"
      onSubmit={(event) => {
        event.preventDefault()
        const text = days.trim()
        // What was typed stays in the field when it is refused.
        void saveRetention(text === '' ? null : Number(text)).then(
          (saved) => setMessage({ tone: 'ok', text: saved === null ? 'Candles and indicator values are kept for good.' : `Candles and indicator values older than ${saved} days go, except those an idea, a decision or a backtest points at.` }),
          (error: unknown) => setMessage({ tone: 'bad', text: errorMessage(error) }),
        )
      }}
    >
      <label>
        Keep candles and indicator values for{' '}
        <input aria-label="Days of market data kept" inputMode="numeric" size={6} placeholder="ever" value={days} onChange={(event) => setDays(event.target.value)} /> days
      </label>
      <button type="submit">Save</button>
      {message && (
        <span className={message.tone === 'bad' ? 'field-error' : 'muted'} role={message.tone === 'bad' ? 'alert' : 'status'}>
          {message.text}
        </span>
      )}
    </form>
  )
}
