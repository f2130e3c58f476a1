/**
 * Pure decisions behind the Electron security rules. They take plain values
 * (no Electron types) so they are unit-tested under Node; src/main/electron
 * wires them to the real events.
 */
import { rendererContentSecurityPolicy } from './content-security-policy'

export const APP_SCHEME = 'app'
export const APP_HOST = 'tradedeck'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

function originOf(url: unknown): string | null {
  if (typeof url !== 'string') return null
  try {
    const parsed = new URL(url)
    return parsed.protocol === `${APP_SCHEME}:` ? `${parsed.protocol}//${parsed.host}` : parsed.origin
  } catch {
    return null
  }
}

export function isAppUrl(url: unknown): boolean {
  return originOf(url) === APP_ORIGIN
}

/** will-navigate / will-redirect: the window never leaves our own files. */
export function shouldBlockNavigation(targetUrl: unknown, currentUrl: unknown): boolean {
  if (!isAppUrl(targetUrl)) return true
  // A reload of our own page is fine; anything else inside the app is SPA routing, not navigation.
  try {
    return new URL(String(targetUrl)).pathname !== new URL(String(currentUrl)).pathname
  } catch {
    return true
  }
}

/** setWindowOpenHandler: no new windows, ever. */
export function windowOpenDecision(_url: unknown): { action: 'deny' } {
  return { action: 'deny' }
}

/** Camera, microphone, notifications, geolocation, ...: denied unless listed here. */
// Desktop notifications tell the trader an idea waits for approval; nothing else is granted.
const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications'])

export function isPermissionGranted(permission: unknown, requestingUrl: unknown): boolean {
  return typeof permission === 'string' && GRANTED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl)
}

export interface SenderFacts {
  /** The frame's URL, or null when the frame is gone. */
  frameUrl: string | null
  isMainFrame: boolean
  /** The sender's webContents is one of our own windows. */
  isOwnWindow: boolean
}

/** Every IPC call must come from our own main frame showing our own page. */
export function isTrustedSender(facts: SenderFacts): boolean {
  return facts.isOwnWindow && facts.isMainFrame && isAppUrl(facts.frameUrl)
}

/** The renderer's policy; the desktop window connects nowhere but its own files. */
export function electronContentSecurityPolicy(): string {
  return rendererContentSecurityPolicy()
}

/** The window options that must never be weakened. */
export const SECURE_WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  spellcheck: false,
})
