import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

/** Sends a JSON body with the status. */
export function replyJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  response.end(text)
}

/** A plain-text reply, as a gateway in front of an exchange answers when the exchange behind it cannot. */
export function replyText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) })
  response.end(text)
}

/** One candle-stream subscription a stand-in pushes to: the forming candle at once, then several times a second until the socket closes. */
export function pushEvery(timers: NodeJS.Timeout[], push: () => void): void {
  push()
  timers.push(setInterval(push, 250))
}

/**
 * An exchange stand-in's HTTP server on 127.0.0.1, with a WebSocket server on every path of the
 * same port: `handle` gets each request with its whole body, `onStream` each WebSocket message
 * with the socket's push timers (cleared when it closes).
 */
export async function listenStandin(options: {
  handle(request: IncomingMessage, response: ServerResponse, body: string): void
  onStream(socket: WebSocket, message: string, timers: NodeJS.Timeout[]): void
}): Promise<{ url: string; dropStreams(): void; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    request.on('end', () => options.handle(request, response, body))
  })
  // ccxt adds a stream id (and, for some streams, a category) to the path: every path is served.
  const streams = new WebSocketServer({ server })
  streams.on('connection', (socket) => {
    const timers: NodeJS.Timeout[] = []
    socket.on('close', () => timers.forEach(clearInterval))
    socket.on('message', (raw) => options.onStream(socket, raw.toString(), timers))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    dropStreams() {
      for (const socket of streams.clients) socket.terminate()
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of streams.clients) socket.terminate()
        streams.close()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
