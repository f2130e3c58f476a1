import { useEffect, useState } from 'react'
import { errorMessage } from '../../../../shared/errors'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { formatWhen } from '../../format'
import { useTasksStore, type RetentionPreview } from '../../stores/tasks-store'

/** How long candles and indicator values are kept; what an idea, a decision or a backtest points at always stays. */
export function RetentionForm() {
  const [days, setDays] = useState('')
  const [limited, setLimited] = useState(false)
  const { loadRetention, saveRetention, previewRetention } = useTasksStore()
  const [message, setMessage] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null)
  const [pending, setPending] = useState<{ days: number; preview: RetentionPreview } | null>(null)
  useEffect(() => {
    void loadRetention().then(
      (value) => {
        setLimited(value !== null)
        setDays(value === null ? '365' : String(value))
      },
      (error: unknown) => setMessage({ tone: 'bad', text: errorMessage(error) }),
    )
  }, [loadRetention])

  const save = (value: number | null) =>
    saveRetention(value).then(
      (saved) =>
        setMessage({
          tone: 'ok',
          text:
            saved === null
              ? 'Candles and indicator values are kept for good.'
              : `Candles and indicator values older than ${saved} days go, except those an idea, a decision or a backtest points at.`,
        }),
      (error: unknown) => setMessage({ tone: 'bad', text: errorMessage(error) }),
    )

  return (
    <form
      className="row-actions"
      aria-label="Market data retention"
      onSubmit={(event) => {
        event.preventDefault()
        const text = days.trim()
        // What was typed stays in the field when it is refused.
        if (!limited) return void save(null)
        const value = Number(text)
        void previewRetention(value).then(
          (preview) => setPending({ days: value, preview }),
          (error: unknown) => setMessage({ tone: 'bad', text: errorMessage(error) }),
        )
      }}
    >
      <label htmlFor="retention-mode">Keep candles and indicator values</label>
      <select
        id="retention-mode"
        aria-label="How long market data is kept"
        value={limited ? 'days' : 'forever'}
        onChange={(event) => setLimited(event.target.value === 'days')}
      >
        <option value="forever">for ever</option>
        <option value="days">for a number of days</option>
      </select>
      {limited && (
        <>
          <input
            aria-label="Days of market data kept"
            inputMode="numeric"
            size={6}
            value={days}
            onChange={(event) => setDays(event.target.value)}
          />
          <span>days</span>
        </>
      )}
      <button type="submit" className="button">
        Save
      </button>
      {message && (
        <span
          className={message.tone === 'bad' ? 'field-error' : 'muted'}
          role={message.tone === 'bad' ? 'alert' : 'status'}
        >
          {message.text}
        </span>
      )}
      {pending && (
        <ConfirmDialog
          title={`Keep ${pending.days} days of market data?`}
          confirmLabel={`Keep ${pending.days} days`}
          danger={pending.preview.candles + pending.preview.indicators > 0}
          onCancel={() => setPending(null)}
          onConfirm={() => {
            const value = pending.days
            setPending(null)
            void save(value)
          }}
        >
          <p>
            The next pruning (every 6 hours, and when the app starts) deletes {pending.preview.candles.toLocaleString()}{' '}
            candles and {pending.preview.indicators.toLocaleString()} indicator values from before{' '}
            {formatWhen(pending.preview.cutoff)}, and from then on whatever grows older than {pending.days} days.
          </p>
          <p className="muted">
            Kept whatever their age: candles an idea, a decision or a stored-candle backtest points at, and their
            indicator values. Take a backup first if you may want the rest back.
          </p>
        </ConfirmDialog>
      )}
    </form>
  )
}
