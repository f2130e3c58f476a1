import { useState } from 'react'
import type { FlattenReport } from '../../../../shared/domain'
import { errorMessage } from '../../../../shared/errors'
import { api } from '../../bridge/client'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Outcome, type OutcomeMessage } from '../../components/Outcome'

const counted = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`
const notClosed = (failed: { symbol: string; reason: string }[]) =>
  failed.map((failure) => `; ${failure.symbol} not closed: ${failure.reason}`).join('')

function summary(report: FlattenReport): string {
  const venues = report.venues.map((venue) =>
    venue.error
      ? `${venue.exchange} ${venue.environment}: failed (${venue.error})`
      : `${venue.exchange} ${venue.environment}: ${counted(venue.cancelled, 'order')} cancelled, ${counted(venue.closed, 'position')} closed${notClosed(venue.failed)}`,
  )
  const left =
    report.openPositions > 0
      ? ` ${counted(report.openPositions, 'exchange position')} still open: check ${report.openPositions === 1 ? 'it' : 'them'} on the exchange.`
      : ''
  const paper = `Paper: ${counted(report.paper.closed, 'position')} closed${notClosed(report.paper.failed)}.`
  return `Trading is halted. ${venues.length > 0 ? venues.join('; ') + '.' : 'This profile has no exchange keys, so no exchange position was closed.'} ${paper}${left}`
}

/** One button for the worst moment: halt, cancel the desk's open orders and close every position on every exchange this profile trades on. */
export function FlattenAndHalt() {
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<OutcomeMessage | null>(null)
  const run = async () => {
    setBusy(true)
    try {
      const report = await api.tradingFlattenAndHalt({ reason, confirm: true })
      setResult({
        tone:
          report.openPositions === 0 && report.paper.failed.length === 0 && report.venues.every((venue) => !venue.error)
            ? 'ok'
            : 'bad',
        text: summary(report),
      })
      setOpen(false)
      setReason('')
    } catch (error) {
      setResult({ tone: 'bad', text: errorMessage(error) })
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <button type="button" className="button danger" onClick={() => setOpen(true)}>
        Flatten and halt…
      </button>
      <Outcome outcome={result} />
      {open && (
        <ConfirmDialog
          title="Flatten and halt"
          confirmLabel={busy ? 'Flattening…' : 'Flatten and halt now'}
          danger
          confirmDisabled={busy || reason.trim().length < 3}
          onConfirm={() => void run()}
          onCancel={() => setOpen(false)}
        >
          <ol>
            <li>Trading halts: no idea is executed until you resume.</li>
            <li>
              Tradedeck's own open orders on every exchange this profile has a key for are cancelled; orders you placed
              yourself stay.
            </li>
            <li>
              Every position there is closed at market with a reduce-only order; its stop and target are cancelled once
              the close has filled, so a close that fails leaves the position protected.
            </li>
          </ol>
          <p className="muted">
            Paper positions close too, at the last price seen. Each step is recorded in the decision history.
          </p>
          <div className="field">
            <label htmlFor="flatten-reason">Reason</label>
            <input
              id="flatten-reason"
              value={reason}
              placeholder="Why? (recorded in the decision history)"
              onChange={(event) => setReason(event.target.value)}
            />
          </div>
        </ConfirmDialog>
      )}
    </>
  )
}
