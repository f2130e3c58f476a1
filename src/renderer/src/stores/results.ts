import { useNavigationStore } from './navigation-store'

/**
 * A result message ("Approved…", "Started…") belongs to the action that caused
 * it and to the page it was done on. Stores register how to forget theirs; a
 * change of page forgets them, and so does a restore, which replaces the data
 * they spoke of (the store that ran the restore then says so itself).
 */
const forgetters: (() => void)[] = []
const replacedListeners: (() => void)[] = []

export function resultsBelongToPage(forget: () => void): void {
  forgetters.push(forget)
}

/** What a store does when the database under it is replaced: drop what it holds and read again. */
export function onDataReplaced(listener: () => void): void {
  replacedListeners.push(listener)
}

export function forgetResults(): void {
  for (const forget of forgetters) forget()
}

export function dataReplaced(): void {
  forgetResults()
  for (const listener of replacedListeners) listener()
}

useNavigationStore.subscribe((state, previous) => {
  if (state.page !== previous.page) forgetResults()
})
