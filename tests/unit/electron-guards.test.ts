import { describe, expect, it } from 'vitest'
import {
  APP_ENTRY_URL,
  electronContentSecurityPolicy,
  isPermissionGranted,
  isTrustedSender,
  SECURE_WEB_PREFERENCES,
  shouldBlockNavigation,
  windowOpenDecision,
} from '../../src/main/security/electron-guards'

describe('Electron security guards', () => {
  it('blocks navigation to anything but our own page', () => {
    for (const target of [
      'https://example.com/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'javascript:alert(1)',
      'not a url',
      42,
    ]) {
      expect(shouldBlockNavigation(target, APP_ENTRY_URL)).toBe(true)
    }
    expect(shouldBlockNavigation(APP_ENTRY_URL, APP_ENTRY_URL)).toBe(false)
    // A page's URL (its fragment) is routing inside the app, and reloading on it stays in the app.
    expect(
      shouldBlockNavigation(
        `${APP_ENTRY_URL}#/ideas/0193a6b0-0000-7000-8000-000000000001`,
        `${APP_ENTRY_URL}#/overview`,
      ),
    ).toBe(false)
    expect(shouldBlockNavigation('app://tradedeck/other.html', APP_ENTRY_URL)).toBe(true)
  })

  it('denies every new window', () => {
    expect(windowOpenDecision('https://example.com')).toEqual({ action: 'deny' })
    expect(windowOpenDecision(APP_ENTRY_URL)).toEqual({ action: 'deny' })
  })

  it('grants only notifications, and only to our own page', () => {
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal', undefined]) {
      expect(isPermissionGranted(permission, APP_ENTRY_URL)).toBe(false)
    }
    expect(isPermissionGranted('notifications', APP_ENTRY_URL)).toBe(true)
    expect(isPermissionGranted('notifications', 'https://example.com/')).toBe(false)
  })

  it('trusts only our own main frame showing our own page', () => {
    expect(isTrustedSender({ frameUrl: APP_ENTRY_URL, isMainFrame: true, isOwnWindow: true })).toBe(true)
    expect(isTrustedSender({ frameUrl: APP_ENTRY_URL, isMainFrame: false, isOwnWindow: true })).toBe(false)
    expect(isTrustedSender({ frameUrl: 'https://example.com/', isMainFrame: true, isOwnWindow: true })).toBe(false)
    expect(isTrustedSender({ frameUrl: APP_ENTRY_URL, isMainFrame: true, isOwnWindow: false })).toBe(false)
    expect(isTrustedSender({ frameUrl: null, isMainFrame: true, isOwnWindow: true })).toBe(false)
  })

  it('keeps the window locked down', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    })
    expect(electronContentSecurityPolicy()).toContain("script-src 'self'")
    expect(electronContentSecurityPolicy()).not.toContain('unsafe')
  })
})
