import { createClient, type TradedeckClient } from '../../../shared/api'
import { errorForPage } from '../../../shared/error-words'
import { createWebSocketApi } from './websocket-api'

/** The renderer never knows its host: Electron's preload provides window.api, browser mode builds it. */
export const api: TradedeckClient = createClient(window.api ?? createWebSocketApi(), errorForPage)

const CHOSEN_PROFILE_KEY = 'tradedeck.profile'

function chosenProfile(): string | null {
  try {
    return localStorage.getItem(CHOSEN_PROFILE_KEY)
  } catch {
    return null
  }
}

api.useProfile(chosenProfile())

/** The profile this window shows, for requests that go around the API (uploads); null for the desk's first. */
export function shownProfile(): string | null {
  return chosenProfile()
}

/**
 * Shows another profile in this window: every call from now on names it, and the page
 * starts over so nothing of the last profile stays on screen. Nothing stops: every
 * profile's strategies keep running.
 */
export function showProfile(profileId: string | null): void {
  if (profileId) localStorage.setItem(CHOSEN_PROFILE_KEY, profileId)
  else localStorage.removeItem(CHOSEN_PROFILE_KEY)
  location.reload()
}
