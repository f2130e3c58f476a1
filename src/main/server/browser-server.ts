import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Core } from '../core/app'
import { dispatch } from '../core/dispatch'
import { authorizeRequest, contentSecurityPolicy, cookieName, isAllowedOrigin } from './request-guards'
import { resolveStaticPath, sendFile } from './static-files'
import { clientMessage, WS_API_PATH, type ServerMessage } from '../../shared/ws-protocol'

export interface BrowserServerOptions {
  core: Core
  rendererDir: string
  /** 0 picks a free port. */
  port: number
  token?: string
}

export interface BrowserServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

const MAX_MESSAGE_BYTES = 1024 * 1024
const EXPORT_PATH = /^\/exports\/(decisions-[0-9TZ]+\.csv)$/

function deny(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(message)
}

/**
 * Browser mode: the built renderer and the core's handler table over
 * WebSocket, on 127.0.0.1 only, behind a per-run random token.
 */
export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const sockets = new Set<WebSocket>()
  let port = options.port

  const securityHeaders = () => ({
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
  })

  const authorize = (req: IncomingMessage) =>
    authorizeRequest(
      { host: req.headers.host, url: req.url ?? '/', cookie: req.headers.cookie, authorization: req.headers.authorization },
      port,
      token,
    )

  const server = createServer((req, res) => {
    const auth = authorize(req)
    if (!auth.ok) return deny(res, auth.status, auth.status === 403 ? 'Forbidden' : 'Unauthorized: open the URL printed by Tradedeck, including its token.')
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed')
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (auth.via === 'query') {
      // Trade the URL token for a cookie, then drop it from the address bar and history.
      url.searchParams.delete('token')
      res.writeHead(302, {
        'Set-Cookie': `${cookieName(port)}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
        'Cache-Control': 'no-store',
      })
      return res.end()
    }
    const exported = EXPORT_PATH.exec(url.pathname)
    if (exported) {
      // A finished export, handed to the browser as a download (browser mode has no save dialog of its own).
      const file = resolveStaticPath(join(options.core.context.dataDir, 'exports'), `/${exported[1]}`)
      if (!file) return deny(res, 404, 'That export is not there any more.')
      return sendFile(res, file, { ...securityHeaders(), 'Content-Disposition': `attachment; filename="${exported[1]}"` })
    }
    const file = resolveStaticPath(options.rendererDir, url.pathname)
    if (!file) return deny(res, 404, 'Not found')
    sendFile(res, file, securityHeaders())
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  server.on('upgrade', (req, socket, head) => {
    const auth = authorize(req)
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    const refusal = !auth.ok ? auth.status : !isAllowedOrigin(req.headers.origin, port) ? 403 : path !== WS_API_PATH ? 404 : null
    if (refusal !== null) {
      socket.end(`HTTP/1.1 ${refusal} ${refusal === 401 ? 'Unauthorized' : refusal === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\n\r\n`)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws)
    const send = (message: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
    }
    const unsubscribe = options.core.events.subscribe((event, payload) => send({ kind: 'event', event, payload }))
    ws.on('close', () => {
      unsubscribe()
      sockets.delete(ws)
    })
    ws.on('message', async (data) => {
      let raw: unknown
      try {
        raw = JSON.parse(data.toString())
      } catch {
        ws.close(1003, 'Messages must be JSON')
        return
      }
      const message = clientMessage.safeParse(raw)
      if (!message.success) {
        ws.close(1003, 'Malformed message')
        return
      }
      const envelope = await dispatch(options.core.handlers, message.data.channel, message.data.input)
      send({ kind: 'reply', id: message.data.id, ...envelope })
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    async close() {
      for (const ws of sockets) ws.terminate()
      wss.close()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // Browsers keep idle connections open; without this, close() waits for them forever.
      server.closeAllConnections()
      await closed
    },
  }
}
