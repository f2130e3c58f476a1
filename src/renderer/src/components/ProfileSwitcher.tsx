import { useEffect, useState } from 'react'
import { errorMessage } from '../../../shared/errors'
import type { ProfileDeletePreview } from '../../../shared/domain'
import { useProfilesStore } from '../stores/profiles-store'
import { DeleteProfileDialog } from './DeleteProfileDialog'

/** Which trader's desk this window shows; switching stops nothing, every profile's strategies keep running. */
export function ProfileSwitcher() {
  const { current, profiles, error, load, create, rename, show, previewDelete, remove } = useProfilesStore()
  const [editing, setEditing] = useState<'create' | 'rename' | null>(null)
  const [deleting, setDeleting] = useState<ProfileDeletePreview | null>(null)
  const [name, setName] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => {
    void load()
  }, [load])
  const currentName = profiles.find((entry) => entry.id === current)?.displayName ?? ''
  const open = (mode: 'create' | 'rename') => {
    setEditing(mode)
    setName(mode === 'rename' ? currentName : '')
    setProblem(null)
  }
  return (
    <div className="profile-switcher">
      <label>
        <span className="visually-hidden">Profile</span>
        <select aria-label="Profile" value={current ?? ''} onChange={(event) => show(event.target.value)}>
          {profiles.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.displayName}
            </option>
          ))}
        </select>
      </label>
      <div className="profile-actions">
        <button type="button" className="link-button" onClick={() => open('create')}>
          New profile
        </button>
        <button type="button" className="link-button" disabled={!current} onClick={() => open('rename')}>
          Rename
        </button>
        <button
          type="button"
          className="link-button"
          disabled={!current}
          onClick={() => {
            setProblem(null)
            previewDelete(current as string).then(setDeleting, (failure: unknown) => setProblem(errorMessage(failure)))
          }}
        >
          Delete
        </button>
      </div>
      {deleting && (
        <DeleteProfileDialog
          preview={deleting}
          onDelete={(confirmName) => remove(deleting.profile.id, confirmName).then(() => setDeleting(null))}
          onClose={() => setDeleting(null)}
        />
      )}
      {!editing && problem && (
        <span className="field-error" role="alert">
          {problem}
        </span>
      )}
      {editing && (
        <form
          aria-label={editing === 'create' ? 'New profile' : 'Rename profile'}
          onSubmit={(event) => {
            event.preventDefault()
            // What was typed stays in the field when it is refused.
            const done = editing === 'create' ? create(name) : rename(current as string, name)
            void done.then(
              () => setEditing(null),
              (failure: unknown) => setProblem(errorMessage(failure)),
            )
          }}
        >
          <label htmlFor="profile-name" className="sidebar-label">
            {editing === 'create' ? 'Profile name' : 'New profile name'}
          </label>
          <input
            id="profile-name"
            value={name}
            maxLength={80}
            onChange={(event) => setName(event.target.value)}
            autoFocus
          />
          <div className="profile-actions">
            <button type="submit" className="button primary">
              {editing === 'create' ? 'Create and show' : 'Rename'}
            </button>
            <button type="button" className="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
          {problem && (
            <span className="field-error" role="alert">
              {problem}
            </span>
          )}
        </form>
      )}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  )
}
