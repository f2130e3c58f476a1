import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { cookieName } from '../../src/main/server/request-guards'
import { channelNames } from '../../src/shared/channels'
import { contract } from '../../src/shared/contract'
import { errorForPage } from '../../src/shared/error-words'
import type { ApiErrorShape } from '../../src/shared/errors'
import { TECHNICAL_WORDS } from '../helpers/technical-words'
import { startBrowserMode, startSeededBrowserMode, type RunningBrowserMode } from '../helpers/browser-mode'
import { maskedFrame, rawExchange, rawWebSocket } from '../helpers/raw-socket'
import { tableChecksums } from '../helpers/table-checksums'
import { makeTempDir } from '../helpers/temp-dir'
import { callOverSocket, openSocket } from '../helpers/ws-client'

const ROOT = join(__dirname, '..', '..')
const ERROR_CODES = [
  'invalid_input',
  'unknown_channel',
  'forbidden',
  'not_found',
  'conflict',
  'unavailable',
  'internal',
]
const RUNS_PER_CHANNEL = Number(process.env.FUZZ_RUNS ?? 25)
const SEED = Number(process.env.FUZZ_SEED ?? 20261127)

/** The top-level keys a channel's input schema knows, so generated objects reach past the first "unknown key" refusal. */
function knownKeys(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape
  return shape ? Object.keys(shape) : []
}

/** Any JSON, and objects built from the channel's own keys with any JSON values (nested the same way one level down). */
function inputFor(channel: (typeof channelNames)[number]): fc.Arbitrary<unknown> {
  const keys = knownKeys(contract[channel].input)
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.uuid(),
    fc.constantFrom('', ' ', '\u0000', 'x'.repeat(5000), 'BTC-USD', '2026-11-27T00:00:00Z', '1e3', '-1'),
  )
  const shaped =
    keys.length === 0
      ? fc.constant({})
      : fc.dictionary(fc.constantFrom(...keys, '__proto__', 'constructor', 'extra'), value, {
          maxKeys: keys.length + 1,
        })
  return fc.oneof(fc.jsonValue({ maxDepth: 4 }), shaped, fc.constant(undefined), fc.constant(null))
}

describe('fuzzing the contract and the socket of a running `tradedeck serve`', () => {
  const dir = makeTempDir()
  let app: RunningBrowserMode
  let socket: WebSocket
  let headers: Record<string, string>
  const dbPath = () => join(dir.path, 'tradedeck.sqlite')

  beforeAll(async () => {
    expect(existsSync(join(ROOT, 'out', 'main', 'cli.js')), 'run `npm run build` before this test').toBe(true)
    // The first start takes the daily backup in the background; the second finds it done and starts quiet,
    // so that "a refused call changed no table" is not confused with start-up work.
    const first = await startSeededBrowserMode(dir.path)
    const firstSocket = (await openSocket(first.port, {
      Origin: first.origin,
      Cookie: `${cookieName(first.port)}=${first.token}`,
    })) as WebSocket
    for (let attempt = 0; ; attempt++) {
      const listed = (await callOverSocket(firstSocket, 'backups:list', {})) as { value?: { reason: string }[] }
      if (listed.value?.some((backup) => backup.reason === 'scheduled')) break
      if (attempt > 600) throw new Error(`the start-up backup never appeared: ${JSON.stringify(listed)}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    firstSocket.close()
    await first.stop()
    app = await startBrowserMode(dir.path)
    headers = { Origin: app.origin, Cookie: `${cookieName(app.port)}=${app.token}` }
    socket = (await openSocket(app.port, headers)) as WebSocket
    expect(socket).toBeInstanceOf(WebSocket)
    for (let attempt = 0; ; attempt++) {
      const status = (await callOverSocket(socket, 'system:status', {})) as {
        value?: { startupMigration?: { state?: string } }
      }
      if (status.value?.startupMigration?.state === 'ok') break
      if (attempt > 300) throw new Error(`start-up did not finish: ${JSON.stringify(status)}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }, 60_000)

  afterAll(async () => {
    socket?.close()
    await app?.stop()
    dir.remove()
  })

  it(
    `every channel, ${RUNS_PER_CHANNEL} arbitrary inputs each: a structured reply every time, and a refused call changes no table`,
    { timeout: 600_000 },
    async () => {
      let refused = 0
      let accepted = 0
      for (const [index, channel] of channelNames.entries()) {
        await fc.assert(
          fc.asyncProperty(inputFor(channel), async (input) => {
            const before = tableChecksums(dbPath())
            const reply = await callOverSocket(socket, channel, input)
            expect(reply.kind).toBe('reply')
            if (reply.ok === true) {
              accepted++
              expect(reply).toHaveProperty('value')
              return
            }
            refused++
            const error = reply.error as { code: string; message: string }
            expect(ERROR_CODES, JSON.stringify(reply)).toContain(error.code)
            expect(typeof error.message).toBe('string')
            expect(error.message.length).toBeGreaterThan(0)
            // What a page shows of it speaks in words: no channel, field path, terminal flag or system code.
            const shown = errorForPage(error as ApiErrorShape).message
            for (const pattern of TECHNICAL_WORDS)
              expect(shown, `${channel} refused ${JSON.stringify(input)?.slice(0, 200)}`).not.toMatch(pattern)
            const after = tableChecksums(dbPath())
            // task_runs is the background timers' own record (idea expiry runs every few seconds), not the call's doing.
            const changed = Object.keys({ ...before, ...after }).filter(
              (table) => table !== 'task_runs' && before[table] !== after[table],
            )
            expect(
              changed,
              `${channel} refused ${JSON.stringify(input)?.slice(0, 200)} but changed these tables`,
            ).toEqual([])
          }),
          { numRuns: RUNS_PER_CHANNEL, seed: SEED + index },
        )
      }
      expect(app.process.exitCode, app.stderr()).toBeNull()
      process.stderr.write(
        `contract fuzz: ${channelNames.length} channels, ${refused} refused and ${accepted} accepted calls\n`,
      )
      expect(refused).toBeGreaterThan(channelNames.length * RUNS_PER_CHANNEL * 0.5)
    },
  )

  it('any bytes on the HTTP port, authenticated or not, never take the server down', { timeout: 600_000 }, async () => {
    const line = fc.string({ unit: 'binary-ascii', maxLength: 200 })
    const request = fc.oneof(
      fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes)),
      fc
        .tuple(
          fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'X'),
          line,
          fc.array(line, { maxLength: 6 }),
          fc.boolean(),
          line,
        )
        .map(([method, target, extraHeaders, withCookie, body]) =>
          Buffer.from(
            `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${app.port}\r\n${withCookie ? `Cookie: ${headers.Cookie}\r\n` : ''}${extraHeaders.map((header) => `${header}\r\n`).join('')}\r\n${body}`,
            'latin1',
          ),
        ),
    )
    await fc.assert(
      fc.asyncProperty(request, async (bytes) => {
        await rawExchange(app.port, bytes, 50)
      }),
      { numRuns: Number(process.env.FUZZ_HTTP_RUNS ?? 200), seed: SEED },
    )
    expect(app.process.exitCode, app.stderr()).toBeNull()
    const fresh = (await openSocket(app.port, headers)) as WebSocket
    expect(await callOverSocket(fresh, 'system:status', {})).toMatchObject({ ok: true })
    fresh.close()
  })

  it(
    'raw WebSocket frames of any opcode, size, encoding and framing never take the server down',
    { timeout: 600_000 },
    async () => {
      const frame = fc.record({
        opcode: fc.integer({ min: 0, max: 15 }),
        fin: fc.boolean(),
        payload: fc.oneof(
          fc.uint8Array({ maxLength: 2048 }),
          fc.string({ maxLength: 300 }).map((text) => new TextEncoder().encode(text)),
          fc
            .jsonValue()
            .map((value) =>
              new TextEncoder().encode(JSON.stringify({ id: 1, channel: 'system:status', input: value }).slice(0, -1)),
            ),
        ),
        truncateBy: fc.nat({ max: 8 }),
        unmasked: fc.boolean(),
      })
      await fc.assert(
        fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 3 }), async (frames) => {
          const raw = await rawWebSocket(app.port, headers.Cookie as string)
          const closed = new Promise<void>((resolve) => raw.once('close', () => resolve()))
          raw.on('error', () => undefined)
          for (const spec of frames) {
            let bytes = maskedFrame(spec.opcode, Buffer.from(spec.payload), spec.fin)
            if (spec.unmasked) bytes[1] = bytes[1]! & 0x7f
            if (spec.truncateBy > 0) bytes = bytes.subarray(0, Math.max(1, bytes.length - spec.truncateBy))
            raw.write(bytes)
          }
          // Whatever the server made of it, end our side; it must still answer a real client afterwards.
          raw.end()
          await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 200))])
          raw.destroy()
        }),
        { numRuns: Number(process.env.FUZZ_FRAME_RUNS ?? 150), seed: SEED },
      )
      expect(app.process.exitCode, app.stderr()).toBeNull()
      const fresh = (await openSocket(app.port, headers)) as WebSocket
      expect(await callOverSocket(fresh, 'system:status', {})).toMatchObject({ ok: true })
      fresh.close()
    },
  )
})
