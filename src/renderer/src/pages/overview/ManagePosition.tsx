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

/** What the position looked like when the trader asked: a confirmation only ever acts on that. */
const fingerprint = (position: PositionView) =>
  [position.id, position.quantity, position.stopLoss, position.takeProfit].join('|')

const isLive = (position: PositionView) => position.venue.endsWith('live')

/** The action, said the way the confirmation asks it. */
function described(position: PositionView, action: Action): string {
  const held = `${position.direction} ${formatQuantity(position.quantity, position.precision)} ${position.symbol}`
  if (action.kind === 'close') return `Close the ${held} at market?`
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
