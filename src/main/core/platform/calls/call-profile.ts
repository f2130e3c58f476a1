import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * The profile one contract call acts as. Each window (and each browser tab) says which
 * profile it shows with every call, so two windows on two profiles never see each
 * other's data and switching in one changes nothing in the other.
 */
export const callProfile = new AsyncLocalStorage<string>()
