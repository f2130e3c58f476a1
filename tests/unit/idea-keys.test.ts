import { describe, expect, it } from 'vitest'
import {
  APPROVAL_GUARD_MS,
  ideaKeyAction,
  ownsKeys,
  settled,
  type KeyPress,
  type KeyTarget,
} from '../../src/renderer/src/pages/trade-ideas/idea-keys'

const body: KeyTarget = { tagName: 'BODY', closest: () => null }
const inDialog: KeyTarget = { tagName: 'DIV', closest: (selector) => (selector.includes('dialog') ? {} : null) }
const press = (key: string, target: KeyTarget | null = body, modifiers: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target,
  ...modifiers,
})
const calm = { dialogOpen: false, liveArmed: false }

describe('Trade Ideas keys act only on what the trader is looking at', () => {
  it('maps J, K, A, R and Escape on the page', () => {
    expect(['j', 'k', 'a', 'r', 'Escape', 'J', 'A'].map((key) => ideaKeyAction(press(key), calm))).toEqual([
      'next',
      'previous',
      'approve',
      'reject',
      'cancel',
      'next',
      'approve',
    ])
    expect(ideaKeyAction(press('x'), calm)).toBeNull()
    expect(ideaKeyAction(press('Enter'), calm)).toBeNull()
  })

  it('never fires while focus is in a text field, a select, an editable element or a dialog', () => {
    for (const tagName of ['INPUT', 'TEXTAREA', 'SELECT', 'input', 'textarea']) {
      for (const key of ['a', 'r', 'j', 'k', 'Enter'])
        expect(ideaKeyAction(press(key, { tagName }), calm), `${key} in ${tagName}`).toBeNull()
    }
    // A row or a page button just clicked keeps letters for the page; its Enter stays its own.
    expect(ideaKeyAction(press('a', { tagName: 'BUTTON' }), calm)).toBe('approve')
    expect(ideaKeyAction(press('Enter', { tagName: 'BUTTON' }), { dialogOpen: false, liveArmed: true })).toBeNull()
    expect(ideaKeyAction(press('a', { tagName: 'DIV', isContentEditable: true }), calm)).toBeNull()
    expect(ideaKeyAction(press('a', inDialog), calm)).toBeNull()
    expect(ownsKeys(inDialog)).toBe(true)
    expect(ownsKeys(body)).toBe(false)
  })

  it('does nothing while a dialog is open anywhere, or with a modifier held (the browser’s own shortcuts)', () => {
    expect(ideaKeyAction(press('a'), { dialogOpen: true, liveArmed: false })).toBeNull()
    expect(ideaKeyAction(press('a', body, { ctrlKey: true }), calm)).toBeNull()
    expect(ideaKeyAction(press('r', body, { metaKey: true }), calm)).toBeNull()
    expect(ideaKeyAction(press('j', body, { altKey: true }), calm)).toBeNull()
  })

  it('sends a live approval only on a second deliberate key, and Escape steps back from it anywhere', () => {
    const armed = { dialogOpen: false, liveArmed: true }
    expect(ideaKeyAction(press('Enter'), armed)).toBe('send-live')
    // The confirmation's own button answers its Enter itself; a note's Enter is a new line.
    expect(ideaKeyAction(press('Enter', { tagName: 'BUTTON' }), armed)).toBeNull()
    expect(ideaKeyAction(press('Enter', { tagName: 'TEXTAREA' }), armed)).toBeNull()
    expect(ideaKeyAction(press('Escape', { tagName: 'TEXTAREA' }), armed)).toBe('cancel')
    // A second A is not the confirmation.
    expect(ideaKeyAction(press('a'), armed)).toBe('approve')
  })

  it('lets A and R act only once the detail has been shown unchanged for the guard time', () => {
    expect(settled(null, 10_000)).toBe(false)
    expect(settled(10_000, 10_000 + APPROVAL_GUARD_MS - 1)).toBe(false)
    expect(settled(10_000, 10_000 + APPROVAL_GUARD_MS)).toBe(true)
  })
})
