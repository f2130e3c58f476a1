import type { WebSocket } from 'ws'
import { clientMessage, type ClientMessage, type ServerMessage } from '../../shared/ws-protocol'
import type { CallTurns, TakesTurns } from './call-turns'

/*
 * One page's WebSocket, held to bounds so that no page, however it behaves, can grow the
 * server's memory or slow another page's calls: what waits to go out to it, what it has
 * asked and not yet been answered, and how much of the core it may keep busy at once.
 */

/** Bytes waiting to go out to one page. A page that stopped reading past this is closed (1008). */
export const MAX_QUEUED_BYTES = 16 * 1024 * 1024
/** Calls of one page the core works on at once (one starts per turn, see CallTurns); the rest wait. */
export const CALLS_AT_ONCE = 4
/** Calls waiting past this stop the server reading from the page until they are answered (TCP pushes back on it). */
const PAUSE_READING_AT = 64
/** Calls that arrived in one burst before reading paused; a page past this is not a page, and is closed (1008). */
export const MAX_WAITING_CALLS = 10_000
/** A reply larger than this is refused in words rather than sent; lists that can grow are paged below it. */
export const MAX_REPLY_BYTES = 16 * 1024 * 1024
/** How long a page closed for not reading has to take the close before the connection is cut. */
const CLOSE_GRACE_MS = 2_000

export const POLICY_VIOLATION = 1008

export class SocketSession implements TakesTurns {
  private readonly waiting: ClientMessage[] = []
  private working = 0
  private closing = false

  constructor(
    private readonly turns: CallTurns,
    private readonly ws: WebSocket,
    private readonly answer: (message: ClientMessage) => Promise<ServerMessage>,
    private readonly log: (line: string) => void,
  ) {}

  /** A text message from the page; false when it was not a call, and the socket is being closed. */
  receive(data: string): boolean {
    let raw: unknown
    try {
      raw = JSON.parse(data)
    } catch {
      this.ws.close(1003, 'Messages must be JSON')
      return false
    }
    const message = clientMessage.safeParse(raw)
    if (!message.success) {
      this.ws.close(1003, 'Malformed message')
      return false
    }
    if (this.waiting.length >= MAX_WAITING_CALLS) {
      this.refuse(`sent more than ${MAX_WAITING_CALLS.toLocaleString('en-US')} calls without waiting for answers`)
      return false
    }
    this.waiting.push(message.data)
    if (this.waiting.length >= PAUSE_READING_AT) this.ws.pause()
    this.turns.wake(this)
    return true
  }

  /** Sends a reply or an event, unless the page has stopped reading; then it is closed. */
  send(message: ServerMessage): void {
    if (this.closing || this.ws.readyState !== this.ws.OPEN) return
    let text = JSON.stringify(message)
    if (message.kind === 'reply' && Buffer.byteLength(text) > MAX_REPLY_BYTES) {
      this.log(`browser mode: a reply of ${Buffer.byteLength(text)} bytes was too large to send`)
      text = JSON.stringify({
        kind: 'reply',
        id: message.id,
        ok: false,
        error: { code: 'unavailable', message: 'The answer is too large to send at once; ask for less of it.' },
      } satisfies ServerMessage)
    }
    if (this.ws.bufferedAmount + Buffer.byteLength(text) > MAX_QUEUED_BYTES)
      return this.refuse(
        `stopped reading: ${(this.ws.bufferedAmount / 1024 / 1024).toFixed(1)} MB were waiting to go out to it`,
      )
    this.ws.send(text)
  }

  startNext(): boolean {
    if (this.closing || this.working >= CALLS_AT_ONCE || this.waiting.length === 0) return false
    const message = this.waiting.shift() as ClientMessage
    this.working++
    this.answer(message)
      .then((reply) => this.send(reply))
      .finally(() => {
        this.working--
        if (this.waiting.length < PAUSE_READING_AT / 2 && this.ws.isPaused) this.ws.resume()
        this.turns.wake(this)
      })
    return true
  }

  /** The page has gone: nothing of it waits for a turn any more. */
  close(): void {
    this.closing = true
    this.waiting.length = 0
    this.turns.forget(this)
  }

  private refuse(reason: string): void {
    if (this.closing) return
    this.closing = true
    this.waiting.length = 0
    this.log(`browser mode: closed a WebSocket (${POLICY_VIOLATION}): the page ${reason}`)
    this.ws.close(POLICY_VIOLATION, 'The page fell too far behind; reload it')
    // A page that does not read will not read the close either.
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref()
  }
}
