import { useEffect, useRef, useState } from 'react'
import { PositionChart } from '../../components/charts/PositionChart'
import type { PositionDetail, PositionView } from '../../../../shared/contract'
import { errorMessage } from '../../../../shared/errors'
import { formatPrice, formatQuantity, onTick } from '../../../../shared/money'
import { api } from '../../bridge/client'
import { useSettled } from '../../hooks/use-settled'

type Action =
  | { kind: 'close' }
  | { kind: 'part'; by: 'percent' | 'quantity'; amount: string }
  | { kind: 'levels'; stopLoss: string; takeProfit: string }
  | { kind: 'trail'; trail: TrailForm }

/** The trail form as typed: kept as text, so nothing typed is lost on a refusal. */
interface TrailForm {
  by: 'off' | 'distance' | 'atr'
  distance: string
  multiple: string
  period: string
  breakEvenAtR: string
}

/** The trail as the trader asked it, in the words the confirmation uses. */
function trailWords(trail: TrailForm): string {
  const parts = [
    trail.by === 'distance' ? `trail the stop ${trail.distance.trim()} behind the price` : null,
    trail.by === 'atr' ? `trail the stop ${trail.multiple.trim()}×ATR(${trail.period.trim()}) behind the price` : null,
    trail.breakEvenAtR.trim() ? `move it to break-even at ${trail.breakEvenAtR.trim()}R` : null,
  ].filter((part): part is string => part !== null)
  return parts.length === 0 ? 'take its trailing stop and break-even off' : parts.join(', and ')
}

/** A number typed in the trail form, or a refusal in words. */
function typedNumber(text: string, name: string): number {
  const value = Number(text.trim())
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0)
    throw new Error(`The ${name} must be a number above 0.`)
  return value
}

/** What the position looked like when the trader asked: a confirmation only ever acts on that. */
const fingerprint = (position: PositionView) =>
  [position.id, position.quantity, position.stopLoss, position.takeProfit].join('|')

const isLive = (position: PositionView) => position.venue.endsWith('live')

/** The action, said the way the confirmation asks it. */
function described(position: PositionView, action: Action): string {
  const held = `${position.direction} ${formatQuantity(position.quantity, position.precision)} ${position.symbol}`
  if (action.kind === 'close') return `Close the ${held} at market?`
  if (action.kind === 'trail') return `On the ${held}: ${trailWords(action.trail)}?`
  if (action.kind === 'part')
    return `Close ${action.by === 'percent' ? `${action.amount}%` : `${action.amount} ${position.symbol}`} of the ${held} at market?`
  const stop = action.stopLoss.trim() || (position.stopLoss ?? 'none')
  const target = action.takeProfit.trim() || 'none'
  return `Move the ${held} to stop ${stop}, target ${target}?`
}

/**
 * Close, close part of, or move the levels of the position the trader picked. Every action asks once more, naming the
 * position as it is on screen; a LIVE one says LIVE and asks a second, deliberate time. If the position changes
 * while a confirmation waits, the confirmation is withdrawn. What the trader typed stays on a refusal.
 */
export function ManagePosition({ position, onDone }: { position: PositionView; onDone: () => void }) {
  const [by, setBy] = useState<'percent' | 'quantity'>('percent')
  const [amount, setAmount] = useState('50')
  const [stopLoss, setStopLoss] = useState(position.stopLoss ?? '')
  const [takeProfit, setTakeProfit] = useState(position.takeProfit ?? '')
  const [trail, setTrail] = useState<TrailForm>({
    by: 'distance',
    distance: '',
    multiple: '2',
    period: '14',
    breakEvenAtR: '',
  })
  const typed = (field: keyof TrailForm) => (event: { target: { value: string } }) =>
    setTrail((current) => ({ ...current, [field]: event.target.value }))
  const [pending, setPending] = useState<{
    action: Action
    seen: string
    liveAsked: boolean
    /** When this question was put: an answer quicker than reading it was aimed at what was there before. */
    shownAt: number
  } | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [said, setSaid] = useState<string | null>(null)
  const live = isLive(position)
  const seen = fingerprint(position)
  const [detail, setDetail] = useState<PositionDetail | null>(null)
  useEffect(() => {
    let current = true
    api
      .positionsDetail({ id: position.id })
      .then((loaded) => current && setDetail(loaded))
      .catch(() => current && setDetail(null))
    return () => {
      current = false
    }
  }, [position.id, seen])
  /** A stop dragged on the chart: put on the market's tick, typed into the field, and asked about. */
  const stopDropped = (price: number) => {
    const text = onTick(price, position.precision)
    setStopLoss(text)
    ask({ kind: 'levels', stopLoss: text, takeProfit })
  }

  // A confirmation asked about the position as it was: once it has changed, the question no longer stands.
  const waiting = pending && pending.seen === seen ? pending : null
  const changed = pending !== null && pending.seen !== seen

  const ask = (action: Action) => {
    setError(null)
    setSaid(null)
    setPending({ action, seen, liveAsked: false, shownAt: Date.now() })
  }

  const send = async (action: Action) => {
    setBusy(true)
    setError(null)
    try {
      if (action.kind === 'levels') {
        const stop = action.stopLoss.trim()
        const target = action.takeProfit.trim()
        await api.positionsModify({
          id: position.id,
          confirmLive: live,
          ...(stop && stop !== position.stopLoss ? { stopLoss: stop } : {}),
          ...(target !== (position.takeProfit ?? '') ? { takeProfit: target === '' ? null : target } : {}),
        })
        setSaid('Moved. The change is in Decision History.')
      } else if (action.kind === 'trail') {
        const asked = action.trail
        await api.positionsTrail({
          id: position.id,
          confirmLive: live,
          trailing:
            asked.by === 'distance'
              ? { kind: 'distance', distance: asked.distance.trim() }
              : asked.by === 'atr'
                ? {
                    kind: 'atr',
                    multiple: typedNumber(asked.multiple, 'ATR multiple'),
                    period: typedNumber(asked.period, 'ATR period'),
                  }
                : { kind: 'off' },
          breakEvenAtR: asked.breakEvenAtR.trim() ? typedNumber(asked.breakEvenAtR, 'break-even multiple of R') : null,
        })
        setSaid(
          asked.by === 'off' && !asked.breakEvenAtR.trim()
            ? 'Trail taken off. The change is in Decision History.'
            : 'Trail set: the stop follows it from the next closed candle. The change is in Decision History.',
        )
      } else {
        const part =
          action.kind === 'close'
            ? { kind: 'all' as const }
            : action.by === 'percent'
              ? { kind: 'percent' as const, percent: action.amount.trim() }
              : { kind: 'quantity' as const, quantity: action.amount.trim() }
        const { position: left } = await api.positionsClose({ id: position.id, part, confirmLive: live })
        setSaid(left ? 'Part closed. The close is in Decision History.' : 'Closed.')
        if (!left) onDone()
      }
      setPending(null)
    } catch (failure) {
      setPending(null)
      setError(errorMessage(failure))
    } finally {
      setBusy(false)
    }
  }

  // Each question's answer is taken only once it has been on screen for the guard time (the approval queue's): the
  // button is disabled until then, and takes the focus when it is ready, so Enter answers only what was read.
  const ready = useSettled(waiting?.shownAt ?? null)
  const answer = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (ready) answer.current?.focus()
  }, [ready])

  const confirm = () => {
    if (!waiting || !ready) return
    if (live && !waiting.liveAsked) setPending({ ...waiting, liveAsked: true, shownAt: Date.now() })
    else void send(waiting.action)
  }

  return (
    <section className="panel manage-position" aria-label="Manage position">
      <h3>
        {live && <span className="pill bad">LIVE</span>} {position.direction}{' '}
        {formatQuantity(position.quantity, position.precision)} {position.symbol} on {position.venue}, from{' '}
        {formatPrice(position.averagePrice, position.precision)}
      </h3>
      {detail && <PositionChart detail={detail} onStopDropped={stopDropped} />}
      {changed && (
        <p className="field-error" role="alert">
          The position changed while the confirmation waited: look at it again, then choose.
        </p>
      )}
      {waiting ? (
        <div
          className="live-confirm"
          role="group"
          aria-label="Confirm the position action"
          onKeyDown={(event) => {
            if (event.key === 'Escape') setPending(null)
          }}
        >
          <span className="confirm-text">
            {waiting.liveAsked
              ? `This trades real money on ${position.venue}. ${described(position, waiting.action)}`
              : described(position, waiting.action)}
          </span>
          <button type="button" className="button danger" ref={answer} disabled={busy || !ready} onClick={confirm}>
            {live && !waiting.liveAsked ? 'Yes, then confirm LIVE…' : live ? 'Send to LIVE' : 'Yes'}
          </button>
          <button type="button" className="button" onClick={() => setPending(null)}>
            Cancel
          </button>
        </div>
      ) : (
        <div className="manage-forms">
          <div className="actions">
            <button type="button" className="button danger" onClick={() => ask({ kind: 'close' })}>
              Close at market
            </button>
          </div>
          <form
            className="row-actions"
            aria-label="Close part"
            onSubmit={(event) => {
              event.preventDefault()
              ask({ kind: 'part', by, amount })
            }}
          >
            <label htmlFor={`part-by-${position.id}`}>Close part by</label>
            <select
              id={`part-by-${position.id}`}
              value={by}
              onChange={(event) => setBy(event.target.value as 'percent' | 'quantity')}
            >
              <option value="percent">percent</option>
              <option value="quantity">quantity</option>
            </select>
            <label htmlFor={`part-amount-${position.id}`}>{by === 'percent' ? 'Percent' : 'Quantity'}</label>
            <input
              id={`part-amount-${position.id}`}
              inputMode="decimal"
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
            />
            <button type="submit" className="button" disabled={amount.trim() === ''}>
              Close part…
            </button>
          </form>
          <form
            className="row-actions"
            aria-label="Move stop and target"
            onSubmit={(event) => {
              event.preventDefault()
              ask({ kind: 'levels', stopLoss, takeProfit })
            }}
          >
            <label htmlFor={`move-stop-${position.id}`}>Stop-loss</label>
            <input
              id={`move-stop-${position.id}`}
              inputMode="decimal"
              value={stopLoss}
              onChange={(event) => setStopLoss(event.target.value)}
            />
            <label htmlFor={`move-target-${position.id}`}>Take-profit (empty: none)</label>
            <input
              id={`move-target-${position.id}`}
              inputMode="decimal"
              value={takeProfit}
              onChange={(event) => setTakeProfit(event.target.value)}
            />
            <button type="submit" className="button">
              Move…
            </button>
          </form>
          <form
            className="row-actions"
            aria-label="Trail the stop"
            onSubmit={(event) => {
              event.preventDefault()
              ask({ kind: 'trail', trail })
            }}
          >
            <label htmlFor={`trail-by-${position.id}`}>Trailing stop</label>
            <select id={`trail-by-${position.id}`} value={trail.by} onChange={typed('by')}>
              <option value="off">off</option>
              <option value="distance">a distance</option>
              <option value="atr">an ATR multiple</option>
            </select>
            {trail.by === 'distance' && (
              <>
                <label htmlFor={`trail-distance-${position.id}`}>Distance</label>
                <input
                  id={`trail-distance-${position.id}`}
                  inputMode="decimal"
                  value={trail.distance}
                  onChange={typed('distance')}
                />
              </>
            )}
            {trail.by === 'atr' && (
              <>
                <label htmlFor={`trail-multiple-${position.id}`}>ATR multiple</label>
                <input
                  id={`trail-multiple-${position.id}`}
                  inputMode="decimal"
                  value={trail.multiple}
                  onChange={typed('multiple')}
                />
                <label htmlFor={`trail-period-${position.id}`}>ATR candles</label>
                <input
                  id={`trail-period-${position.id}`}
                  inputMode="numeric"
                  value={trail.period}
                  onChange={typed('period')}
                />
              </>
            )}
            <label htmlFor={`trail-break-even-${position.id}`}>Break-even at R (empty: off)</label>
            <input
              id={`trail-break-even-${position.id}`}
              inputMode="decimal"
              value={trail.breakEvenAtR}
              onChange={typed('breakEvenAtR')}
            />
            <button type="submit" className="button">
              Set trail…
            </button>
          </form>
          <p className="muted">
            {position.trail ? `Trail: ${position.trail}.` : 'No trailing stop or break-even is set.'}
          </p>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}{' '}
          {/* A level past the price would close the position at once: the close itself is offered, asked like any other. */}
          {error.includes('would close at once') && !waiting && (
            <button type="button" className="button danger" onClick={() => ask({ kind: 'close' })}>
              Close it now instead…
            </button>
          )}
        </p>
      )}
      {said && (
        <p className="muted" role="status">
          {said}
        </p>
      )}
      <button type="button" className="button" onClick={onDone}>
        Done
      </button>
    </section>
  )
}
