import { describe, expect, it } from 'vitest'
import type { WebSocket } from 'ws'
import { CallTurns } from '../../src/main/server/call-turns'
import { MAX_REPLY_BYTES, MAX_WAITING_CALLS, SocketSession } from '../../src/main/server/socket-session'
import type { ServerMessage } from '../../src/shared/ws-protocol'

/** What the session sees of a WebSocket: what it sent, how it was closed, whether it paused reading. */
function fakeSocket() {
  const sent: string[] = []
  const socket = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    isPaused: false,
    closedWith: null as number | null,
    send: (text: string) => sent.push(text),
    close: (code: number) => (socket.closedWith = code),
    terminate: () => undefined,
    pause: () => (socket.isPaused = true),
    resume: () => (socket.isPaused = false),
  }
  return { socket, sent, ws: socket as unknown as WebSocket }
}

const answer = async (message: { id: number }): Promise<ServerMessage> => ({
  kind: 'reply',
  id: message.id,
  ok: true,
  value: null,
})

describe('a page’s socket session', () => {
  it('answers a reply too large to send with a refusal in words, and sends the next as usual', () => {
    const { ws, sent } = fakeSocket()
    const session = new SocketSession(new CallTurns(), ws, answer, () => undefined)
    session.send({ kind: 'reply', id: 7, ok: true, value: 'x'.repeat(MAX_REPLY_BYTES) } as ServerMessage)
    session.send({ kind: 'reply', id: 8, ok: true, value: 'small' } as ServerMessage)
    expect(sent.map((text) => JSON.parse(text))).toEqual([
      {
        kind: 'reply',
        id: 7,
        ok: false,
        error: { code: 'unavailable', message: 'The answer is too large to send at once; ask for less of it.' },
      },
      { kind: 'reply', id: 8, ok: true, value: 'small' },
    ])
  })

  it('closes a page (1008) that has 16 MB waiting to go out, and one past the bound of waiting calls', () => {
    const lines: string[] = []
    const reading = fakeSocket()
    reading.socket.bufferedAmount = 16 * 1024 * 1024
    new SocketSession(new CallTurns(), reading.ws, answer, (line) => lines.push(line)).send({
      kind: 'event',
      event: 'ideas:changed',
      payload: { ideaId: null },
    })
    expect(reading.socket.closedWith).toBe(1008)
    expect(reading.sent).toEqual([])

    const flooding = fakeSocket()
    const session = new SocketSession(new CallTurns(), flooding.ws, answer, (line) => lines.push(line))
    for (let id = 0; id <= MAX_WAITING_CALLS; id++) session.receive(JSON.stringify({ id, channel: 'settings:get' }))
    expect(flooding.socket.isPaused).toBe(true)
    expect(flooding.socket.closedWith).toBe(1008)
    expect(lines).toEqual([
      expect.stringMatching(/the page stopped reading: 16\.0 MB were waiting/),
      expect.stringMatching(/the page sent more than 10,000 calls without waiting for answers/),
    ])
  })
})
