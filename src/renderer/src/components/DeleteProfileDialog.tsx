import { useState } from 'react'
import type { ProfileDeletePreview } from '../../../shared/domain'
import { errorMessage } from '../../../shared/errors'
import { ConfirmDialog } from './ConfirmDialog'

const plural = (count: number, unit: string) =>
  `${count.toLocaleString()} ${count === 1 ? unit : unit.endsWith('y') ? `${unit.slice(0, -1)}ies` : `${unit}s`}`

/** Says what deleting a profile does, and asks for its name typed out before it does it. */
export function DeleteProfileDialog({
  preview,
  onDelete,
  onClose,
}: {
  preview: ProfileDeletePreview
  onDelete(confirmName: string): Promise<void>
  onClose(): void
}) {
  const [typed, setTyped] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const { profile, holdings, isLast } = preview
  return (
    <ConfirmDialog
      title={`Delete the profile ${profile.displayName}?`}
      confirmLabel={busy ? 'Backing up and deleting…' : 'Back up, then delete'}
      danger
      confirmDisabled={busy || isLast || typed.trim() !== profile.displayName}
      onCancel={onClose}
      onConfirm={() => {
        setBusy(true)
        setProblem(null)
        onDelete(typed).catch((failure: unknown) => {
          setBusy(false)
          setProblem(errorMessage(failure))
        })
      }}
    >
      {isLast ? (
        <p>This is the desk’s only profile. Create another profile before deleting this one.</p>
      ) : (
        <>
          <ol>
            <li>The database is backed up first; restoring that backup brings the profile back whole.</li>
            <li>
              Its {plural(holdings.runningStrategies, 'running strategy')} stop (of{' '}
              {plural(holdings.strategies, 'strategy')}).
            </li>
            <li>Its {plural(holdings.credentials, 'exchange credential')} are erased.</li>
            <li>
              The profile leaves the switcher, with its {plural(holdings.ideasWaiting, 'waiting idea')},{' '}
              {plural(holdings.orders, 'order')}, {plural(holdings.trades, 'closed trade')} and{' '}
              {plural(holdings.openPositions, 'open position')}.
            </li>
            <li>
              Its {plural(holdings.decisions, 'decision history row')} {holdings.decisions === 1 ? 'stays' : 'stay'} in
              the database, read-only: decision history is never deleted.
            </li>
          </ol>
          <label>
            Type <strong>{profile.displayName}</strong> to confirm{' '}
            <input
              aria-label="Profile name to confirm"
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              autoFocus
            />
          </label>
        </>
      )}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </ConfirmDialog>
  )
}
