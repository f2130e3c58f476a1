import { app, session, type WebContents } from 'electron'
import { isPermissionGranted, shouldBlockNavigation, windowOpenDecision } from '../security/electron-guards'

/** Applies the navigation, window-open and permission guards to every window we create. */
export function applySecurityGuards(): void {
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback) =>
    callback(isPermissionGranted(permission, contents.getURL())),
  )
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionGranted(permission, requestingOrigin),
  )
  app.on('web-contents-created', (_event, contents: WebContents) => {
    const guard = (event: { preventDefault(): void }, url: string) => {
      if (shouldBlockNavigation(url, contents.getURL())) event.preventDefault()
    }
    contents.on('will-navigate', guard)
    contents.on('will-redirect', guard)
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => windowOpenDecision(url))
  })
}
