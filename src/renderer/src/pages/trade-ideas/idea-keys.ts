/**
 * How long the idea on screen must have been shown, unchanged, before A or R
 * acts on it. A key pressed in the instant the detail changes (another idea
 * arrived, the selected one was decided elsewhere) was aimed at what was there
 * before; half a second is longer than that reflex and shorter than reading.
 */
export const APPROVAL_GUARD_MS = 500

export type IdeaKeyAction = 'next' | 'previous' | 'approve' | 'send-live' | 'reject' | 'cancel' | null

/** The element a key event came from, as far as the shortcuts care. */
export interface KeyTarget {
  tagName?: string
  isContentEditable?: boolean
  closest?(selector: string): unknown
}

export interface KeyPress {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  /** An element in the page; anything else (the window, null) owns no keys. */
  target: KeyTarget | EventTarget | null
}

export interface KeyScene {
  /** A dialog is open somewhere on the page (it owns the keyboard). */
  dialogOpen: boolean
  /** A live approval waits for its second key. */
  liveArmed: boolean
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT'])
/** Controls whose own activation key is Enter. */
const PRESSABLE_TAGS = new Set(['BUTTON', 'A', 'SUMMARY'])

/** Keys typed into a field, a select, an editable element or a dialog belong to them, never to a shortcut. */
export function ownsKeys(eventTarget: KeyPress['target']): boolean {
  const target = eventTarget as KeyTarget | null
  if (!target) return false
  if (target.isContentEditable) return true
  if (target.tagName && TYPING_TAGS.has(target.tagName.toUpperCase())) return true
  return (
    typeof target.closest === 'function' && Boolean(target.closest('dialog, [role="dialog"], [role="alertdialog"]'))
  )
}

/** What a key press on the Trade Ideas page means; null when it means nothing there. */
export function ideaKeyAction(press: KeyPress, scene: KeyScene): IdeaKeyAction {
  if (press.ctrlKey || press.metaKey || press.altKey) return null
  if (scene.dialogOpen) return null
  // Escape always steps back from a pending live approval; its Enter on a focused control is that control's own.
  if (scene.liveArmed && press.key === 'Escape') return 'cancel'
  if (ownsKeys(press.target)) return null
  if (press.key === 'Enter') return scene.liveArmed && !pressable(press.target) ? 'send-live' : null
  switch (press.key) {
    case 'j':
    case 'J':
      return 'next'
    case 'k':
    case 'K':
      return 'previous'
    case 'a':
    case 'A':
      return 'approve'
    case 'r':
    case 'R':
      return 'reject'
    case 'Escape':
      return 'cancel'
    default:
      return null
  }
}

/** A focused button or link answers its own Enter (the live confirmation's button sends; Cancel cancels). */
function pressable(eventTarget: KeyPress['target']): boolean {
  const tag = (eventTarget as KeyTarget | null)?.tagName
  return tag !== undefined && PRESSABLE_TAGS.has(tag.toUpperCase())
}

/** Whether the detail has been on screen, unchanged, for the guard time. */
export function settled(shownAt: number | null, now: number): boolean {
  return shownAt !== null && now - shownAt >= APPROVAL_GUARD_MS
}
