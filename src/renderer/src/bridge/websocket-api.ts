import { buildApi, type TradedeckApi } from '../../../shared/api'
import type { EventName } from '../../../shared/channels'
import type { Envelope } from '../../../shared/errors'
import { MAX_MESSAGE_BYTES, WS_API_PATH, type ServerMessage } from '../../../shared/ws-protocol'

const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 5000]

/**
 * Browser mode's `window.api`: the same contract over one WebSocket. The
 * session cookie set when the tokened URL was opened authenticates the socket.
 */
export function createWebSocketApi(
  url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_API_PATH}`,
): TradedeckApi {
  let socket: WebSocket | null = null
  let nextId = 1
  let attempt = 0
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>()
  const outbox: string[] = []
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>()

  const failPending = (message: string) => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'unavailable', message } })
    pending.clear()
  }

  const connect = () => {
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      attempt = 0
      for (const message of outbox.splice(0)) ws.send(message)
    }
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as ServerMessage
      if (message.kind === 'reply') {
        const { kind: _kind, id, ...envelope } = message
        pending.get(id)?.(envelope)
        pending.delete(id)
      } else {
        listeners.get(message.event as EventName)?.forEach((listener) => listener(message.payload))
      }
    }
    ws.onclose = () => {
      socket = null
      failPending('Lost the connection to Tradedeck. Reconnecting…')
      const delay = RECONNECT_DELAYS_MS[Math.min(attempt++, RECONNECT_DELAYS_MS.length - 1)]
      setTimeout(connect, delay)
    }
  }
  connect()

  return buildApi({
    call(channel, input, profile) {
      const id = nextId++
      const message = JSON.stringify({ id, channel, input, ...(profile ? { profile } : {}) })
      // The server would close the socket on a larger message; refuse it here and keep the connection.
      if (new Blob([message]).size > MAX_MESSAGE_BYTES) {
        return Promise.resolve({
          ok: false,
          error: {
            code: 'invalid_input',
            message: `This request is larger than ${MAX_MESSAGE_BYTES / 1024 / 1024} MB; send less at once.`,
          },
        })
      }
      return new Promise((resolve) => {
        pending.set(id, resolve)
        if (socket?.readyState === WebSocket.OPEN) socket.send(message)
        else outbox.push(message)
      })
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set()
      set.add(listener)
      listeners.set(event, set)
      return () => set.delete(listener)
    },
  })
}
