import { sourceWorkerEntry } from '../helpers/strategy-worker'
import { randomUUID } from 'node:crypto'
import { linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { openCore, type Core } from '../../src/main/core/wiring/app'
import { startBrowserServer, type BrowserServer } from '../../src/main/server/browser-server'
import { cookieName } from '../../src/main/server/request-guards'
import { makeTempDir } from '../helpers/temp-dir'
import { callAs } from '../helpers/call-as'
import { exportDownloadPath } from '../../src/shared/exports'
import { callOverSocket as call, httpRequest as get, openSocket } from '../helpers/ws-client'

describe('browser mode server', () => {
  const dir = makeTempDir()
  let core: Core
  let server: BrowserServer
  let auth: Record<string, string>

  beforeAll(async () => {
    const rendererDir = join(dir.path, 'renderer')
    mkdirSync(rendererDir)
    writeFileSync(join(rendererDir, 'index.html'), '<html>renderer</html>')
    core = openCore({
      dataDir: join(dir.path, 'data'),
      host: 'browser',
      appVersion: 'test',
      strategies: { worker: sourceWorkerEntry },
    })
    await core.start()
    server = await startBrowserServer({ core, rendererDir, port: 0 })
    auth = { Host: `127.0.0.1:${server.port}`, Cookie: `${cookieName(server.port)}=${server.token}` }
  })

  afterAll(async () => {
    await server.close()
    core.close()
    dir.remove()
  })

  it('listens on 127.0.0.1 and trades the URL token for an HttpOnly cookie', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/)
    const reply = await get(server.port, `/?token=${server.token}`)
    expect(reply.status).toBe(302)
    expect(reply.headers.location).toBe('/')
    expect(String(reply.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/)
    const page = await get(server.port, '/', auth)
    expect(page.status).toBe(200)
    expect(page.body).toContain('renderer')
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
  })

  it('refuses HTTP without the token, with a wrong token, or with a foreign Host', async () => {
    const cases: [Record<string, string>, string, number][] = [
      [{}, '/', 401],
      [{}, '/?token=wrong', 401],
      [{ Cookie: `${cookieName(server.port)}=wrong` }, '/', 401],
      [{ Host: `evil.example:${server.port}` }, `/?token=${server.token}`, 403],
      [{ Host: `evil.example:${server.port}`, Cookie: auth.Cookie as string }, '/', 403],
    ]
    for (const [headers, path, status] of cases) {
      const reply = await get(server.port, path, headers)
      expect(reply.status).toBe(status)
      expect(reply.body).not.toContain('renderer')
    }
  })

  it('refuses WebSockets without the token, with a foreign Host or from another Origin', async () => {
    const origin = `http://127.0.0.1:${server.port}`
    expect(await openSocket(server.port, { Origin: origin })).toBe(401)
    expect(await openSocket(server.port, { Origin: origin, Cookie: `${cookieName(server.port)}=wrong` })).toBe(401)
    expect(await openSocket(server.port, { Origin: 'http://evil.example', Cookie: auth.Cookie as string })).toBe(403)
    expect(await openSocket(server.port, { Origin: origin, Cookie: auth.Cookie as string, Host: 'evil.example' })).toBe(
      403,
    )
  })

  it('serves the contract over the socket, with structured errors for bad input', async () => {
    const ws = await openSocket(server.port, {
      Origin: `http://127.0.0.1:${server.port}`,
      Cookie: auth.Cookie as string,
    })
    expect(ws).toBeInstanceOf(WebSocket)
    const socket = ws as WebSocket
    try {
      const status = await call(socket, 'system:status', {})
      expect(status).toMatchObject({
        kind: 'reply',
        ok: true,
        value: { dbPath: join(dir.path, 'data', 'tradedeck.sqlite'), quickCheck: { ok: true } },
      })
      const invalid = await call(socket, 'system:status', { extra: 1 })
      expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
      expect((invalid.error as { issues: unknown[] }).issues.length).toBeGreaterThan(0)
      const unknown = await call(socket, 'db:drop', {})
      expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_channel' } })
    } finally {
      socket.close()
    }
  })

  it('hands a finished export to the browser as a download, to the token holder only', async () => {
    const exportsDir = join(core.context.dataDir, 'exports')
    mkdirSync(exportsDir, { recursive: true })
    writeFileSync(join(exportsDir, 'decisions-20261122T000000000Z.csv'), 'occurred_at,symbol\n')
    writeFileSync(join(core.context.dataDir, 'secret.csv'), 'not for the browser')
    const download = await get(server.port, '/exports/decisions-20261122T000000000Z.csv', auth)
    expect(download.status).toBe(200)
    expect(download.headers['content-disposition']).toBe('attachment; filename="decisions-20261122T000000000Z.csv"')
    // A trader's history never sits in a browser cache.
    expect(download.headers['cache-control']).toBe('no-store')
    expect(download.body).toBe('occurred_at,symbol\n')
    expect(
      (await get(server.port, '/exports/decisions-20261122T000000000Z.csv', { Host: auth.Host as string })).status,
    ).toBe(401)
    expect((await get(server.port, '/exports/decisions-20991122T000000000Z.csv', auth)).status).toBe(404)
    expect((await get(server.port, '/exports/..%2Fsecret.csv', auth)).status).toBe(404)
    expect((await get(server.port, '/exports/../secret.csv', auth)).status).toBe(404)

    // Named like an export but not one Tradedeck wrote: a link to the key file, either kind, is not served.
    symlinkSync(join(core.context.dataDir, 'secret.csv'), join(exportsDir, 'decisions-20261122T000000001Z.csv'))
    linkSync(join(core.context.dataDir, 'secret.csv'), join(exportsDir, 'decisions-20261122T000000002Z.csv'))
    for (const name of ['decisions-20261122T000000001Z.csv', 'decisions-20261122T000000002Z.csv'])
      expect((await get(server.port, `/exports/${name}`, auth)).status).toBe(404)
    // A name Tradedeck never writes is not served, though the file is a plain one there.
    writeFileSync(join(exportsDir, 'notes.txt'), 'a plain file')
    expect((await get(server.port, '/exports/notes.txt', auth)).status).toBe(404)
  })

  it('stays quiet in the log when a page reloads and its connections end abruptly', async () => {
    const lines: string[] = []
    const quiet = await startBrowserServer({
      core,
      rendererDir: join(dir.path, 'renderer'),
      port: 0,
      log: (line) => lines.push(line),
    })
    const headers = { Origin: `http://127.0.0.1:${quiet.port}`, Cookie: `${cookieName(quiet.port)}=${quiet.token}` }
    try {
      const reloaded = (await openSocket(quiet.port, headers)) as WebSocket
      await call(reloaded, 'system:status', {})
      const socket = (reloaded as unknown as { _socket: Socket })._socket
      const resetDone = new Promise<void>((resolve) => reloaded.once('close', () => resolve()))
      socket.resetAndDestroy()
      await resetDone
      // The next page's first call is answered after the server has handled the reset.
      const next = (await openSocket(quiet.port, headers)) as WebSocket
      expect(await call(next, 'system:status', {})).toMatchObject({ ok: true })
      next.close()
    } finally {
      await quiet.close()
    }
    expect(lines).toEqual([])
  })

  it("hands a backtest's exports to the browser like the others", async () => {
    const request = {
      kind: 'ema_crossover',
      symbol: 'BTC-USD',
      timeframe: '1m',
      source: 'synthetic',
      seed: 4,
      candles: 2_000,
    }
    const run = await callAs<{ id: string }>(core, core.context.profileId, 'backtests:run', {
      ...request,
      runId: randomUUID(),
    })
    for (const format of ['trades_csv', 'stats_json'] as const) {
      const { path } = await callAs<{ path: string }>(core, core.context.profileId, 'backtests:export', {
        id: run.id,
        format,
      })
      const download = await get(server.port, exportDownloadPath(path), auth)
      expect(download.status, path).toBe(200)
      expect(download.body).toBe(readFileSync(path, 'utf8'))
    }
  })
})
