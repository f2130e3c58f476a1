import { net, protocol } from 'electron'
import { pathToFileURL } from 'node:url'
import { resolveStaticPath } from '../hosting/static-files'
import { APP_HOST, APP_SCHEME, electronContentSecurityPolicy } from '../security/electron-guards'

/** Must run before `app.ready`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Serves out/renderer on app://tradedeck/: the window never loads remote content. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    const file = url.host === APP_HOST ? resolveStaticPath(rendererDir, url.pathname) : null
    if (!file) return new Response('Not found', { status: 404 })
    const response = await net.fetch(pathToFileURL(file).toString())
    const headers = new Headers(response.headers)
    headers.set('Content-Security-Policy', electronContentSecurityPolicy())
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(response.body, { status: response.status, headers })
  })
}
