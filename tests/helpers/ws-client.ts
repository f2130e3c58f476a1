import { request } from 'node:http'
import WebSocket from 'ws'

export interface HttpReply {
  status: number
  body: string
  headers: Record<string, string | string[] | undefined>
}

export function httpRequest(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  options: { method?: string; body?: string | Buffer } = {},
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, method: options.method ?? 'GET' }, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => (body += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** Resolves to the open socket, or to the HTTP status the upgrade was refused with (0 when the connection failed). */
export function openSocket(port: number, headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers, maxPayload: 64 * 1024 * 1024 })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.once('error', () => resolve(0))
  })
}

let nextId = 1

export function callOverSocket(ws: WebSocket, channel: string, input: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const id = nextId++
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>
      if (message.kind !== 'reply' || message.id !== id) return
      ws.off('message', onMessage)
      ws.off('close', onClose)
      resolve(message)
    }
    const onClose = (code: number, reason: Buffer) =>
      reject(new Error(`socket closed (${code} ${reason.toString()}) before the reply to ${channel}`))
    ws.on('message', onMessage)
    ws.once('close', onClose)
    ws.send(JSON.stringify({ id, channel, input }))
  })
}

/** The close code and reason the server sent. */
export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    if (ws.readyState === ws.CLOSED) return resolve({ code: -1, reason: 'already closed' })
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
    // The client's own parser may object to a reply; the close event still follows.
    ws.on('error', () => undefined)
  })
}
