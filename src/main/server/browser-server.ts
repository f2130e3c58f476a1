import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Core } from '../core/wiring/app'
import { z } from 'zod'
import { callProfile } from '../core/platform/calls/call-profile'
import { dispatch } from '../core/wiring/dispatch'
import { CANDLE_UPLOAD_PATH, receiveCandleUpload } from './candle-upload'
import { HISTORY_UPLOAD_PATH, receiveHistoryUpload } from './history-upload'
import { authorizeRequest, contentSecurityPolicy, cookieName, isAllowedOrigin, parseRequestUrl } from './request-guards'
import { openExport } from '../hosting/export-files'
import { resolveStaticPath, sendFile, sendOpenFile } from '../hosting/static-files'
import { MAX_MESSAGE_BYTES, WS_API_PATH } from '../../shared/ws-protocol'
import { CallTurns } from './call-turns'
import { SocketSession } from './socket-session'
import { redactSecrets } from '../../shared/errors'

export interface BrowserServerOptions {
  core: Core
  rendererDir: string
  /** 0 picks a free port. */
  port: number
  token?: string
  /** Where refused requests and broken connections are reported; stderr unless a test listens. */
  log?: (line: string) => void
}

/** A page reloaded or a tab closed: the connection ends abruptly, which is routine, not an error worth a log line. */
function clientWentAway(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED'
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
}

export interface BrowserServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

const EXPORT_PATH = /^\/exports\/([^/]+)$/

function deny(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.destroy()
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(message)
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(JSON.stringify(body))
}

const printable = (text: string | undefined) => (text ?? '').slice(0, 200).replace(/[^\x20-\x7e]/g, '?')

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
      {
        host: req.headers.host,
        url: req.url ?? '/',
        cookie: req.headers.cookie,
        authorization: req.headers.authorization,
      },
      port,
      token,
    )

  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))

  const handleRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const auth = authorize(req)
    if (!auth.ok) {
      log(`browser mode: refused ${printable(req.method)} ${printable(req.url?.split('?')[0])}: ${auth.reason}`)
      return deny(
        res,
        auth.status,
        auth.status === 401
          ? 'Unauthorized: open the URL printed by Tradedeck, including its token.'
          : auth.status === 403
            ? 'Forbidden'
            : 'Bad request',
      )
    }
    const url = parseRequestUrl(req.url ?? '/')!
    if (req.method === 'POST' && (url.pathname === CANDLE_UPLOAD_PATH || url.pathname === HISTORY_UPLOAD_PATH)) {
      // Any page on this machine can make the browser POST here with our cookie (127.0.0.1 on another port is same-site), so the Origin must be ours.
      if (auth.via === 'query' || (auth.via === 'cookie' && !isAllowedOrigin(req.headers.origin, port))) {
        log(`browser mode: refused an upload from origin ${printable(req.headers.origin)}`)
        return deny(res, 403, 'Forbidden')
      }
      // The page names the profile it shows, as with every call; it is checked like any input.
      const profile = url.searchParams.get('profile') ?? undefined
      url.searchParams.delete('profile')
      if (profile !== undefined && !z.uuid().safeParse(profile).success) {
        req.resume()
        return sendJson(res, 400, {
          ok: false,
          error: { code: 'invalid_input', message: 'The profile this page acts as must be a profile id.' },
        })
      }
      const receive = () =>
        url.pathname === CANDLE_UPLOAD_PATH
          ? receiveCandleUpload(options.core.context, req, url)
          : receiveHistoryUpload(options.core.context, options.core.services.backups, req, url)
      const envelope = profile === undefined ? await receive() : await callProfile.run(profile, receive)
      return sendJson(res, envelope.ok ? 200 : envelope.error.code === 'invalid_input' ? 400 : 409, envelope)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed')
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
      const name = exported[1]!
      const file = openExport(options.core.context.dataDir, name)
      if (!file) return deny(res, 404, 'That export is not there any more.')
      return sendOpenFile(res, file.fd, name, {
        ...securityHeaders(),
        'Content-Disposition': `attachment; filename="${name}"`,
        'Cache-Control': 'no-store',
      })
    }
    const file = resolveStaticPath(options.rendererDir, url.pathname)
    if (!file) return deny(res, 404, 'Not found')
    sendFile(res, file, securityHeaders())
  }

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      // One request failed; the server and the core carry on.
      log(
        `browser mode: ${printable(req.method)} ${printable(req.url?.split('?')[0])} failed: ${redactSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error))}`,
      )
      deny(res, 500, 'Internal error; see the Tradedeck log.')
    })
  })
  server.on('clientError', (error, socket) => {
    if (clientWentAway(error)) return socket.destroy()
    log(`browser mode: malformed HTTP request: ${error.message}`)
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    else socket.destroy()
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  wss.on('error', (error) => log(`browser mode: WebSocket server error: ${error.message}`))
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', (error) => {
      if (!clientWentAway(error)) log(`browser mode: upgrade connection error: ${error.message}`)
    })
    const auth = authorize(req)
    const path = parseRequestUrl(req.url ?? '/')?.pathname
    const refusal = !auth.ok
      ? auth.status
      : !isAllowedOrigin(req.headers.origin, port)
        ? 403
        : path !== WS_API_PATH
          ? 404
          : null
    if (refusal !== null) {
      log(
        `browser mode: refused a WebSocket from origin ${printable(req.headers.origin)}: ${auth.ok ? `status ${refusal}` : auth.reason}`,
      )
      socket.end(`HTTP/1.1 ${refusal} ${STATUS_TEXT[refusal]}\r\nConnection: close\r\n\r\n`)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  const turns = new CallTurns()
  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws)
    const session = new SocketSession(
      turns,
      ws,
      async (message) => ({
        kind: 'reply',
        id: message.id,
        ...(await dispatch(options.core.handlers, message.channel, message.input, { profile: message.profile })),
      }),
      log,
    )
    const unsubscribe = options.core.events.subscribe((event, payload) =>
      session.send({ kind: 'event', event, payload }),
    )
    // ws reports an oversized message (1009), invalid UTF-8 (1007) and protocol errors here, then closes the socket itself.
    ws.on('error', (error) => {
      if (!clientWentAway(error)) log(`browser mode: closed a WebSocket: ${error.message}`)
    })
    ws.on('close', () => {
      unsubscribe()
      session.close()
      sockets.delete(ws)
    })
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'Binary messages are not accepted')
      session.receive(data.toString())
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
