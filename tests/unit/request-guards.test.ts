import { describe, expect, it } from 'vitest'
import { authorizeRequest, cookieName, isAllowedHost, isAllowedOrigin, readCookie } from '../../src/main/server/request-guards'

const PORT = 4321
const TOKEN = 'secret-token'
const facts = (overrides: Partial<Parameters<typeof authorizeRequest>[0]>) => ({
  host: `127.0.0.1:${PORT}`,
  url: '/',
  cookie: undefined,
  authorization: undefined,
  ...overrides,
})

describe('browser mode request guards', () => {
  it('accepts only our loopback Host headers', () => {
    expect(isAllowedHost(`127.0.0.1:${PORT}`, PORT)).toBe(true)
    expect(isAllowedHost(`localhost:${PORT}`, PORT)).toBe(true)
    for (const host of [`evil.com:${PORT}`, '127.0.0.1', `127.0.0.1:${PORT + 1}`, `0.0.0.0:${PORT}`, undefined]) {
      expect(isAllowedHost(host, PORT)).toBe(false)
    }
  })

  it('accepts only our own Origin', () => {
    expect(isAllowedOrigin(`http://127.0.0.1:${PORT}`, PORT)).toBe(true)
    for (const origin of ['http://evil.com', `https://127.0.0.1:${PORT}`, 'null', undefined]) {
      expect(isAllowedOrigin(origin, PORT)).toBe(false)
    }
  })

  it('needs the token by query, bearer header or cookie', () => {
    expect(authorizeRequest(facts({ url: `/?token=${TOKEN}` }), PORT, TOKEN)).toEqual({ ok: true, via: 'query' })
    expect(authorizeRequest(facts({ authorization: `Bearer ${TOKEN}` }), PORT, TOKEN)).toEqual({ ok: true, via: 'header' })
    expect(authorizeRequest(facts({ cookie: `a=b; ${cookieName(PORT)}=${TOKEN}` }), PORT, TOKEN)).toEqual({ ok: true, via: 'cookie' })
    expect(authorizeRequest(facts({}), PORT, TOKEN)).toMatchObject({ ok: false, status: 401 })
    expect(authorizeRequest(facts({ url: '/?token=wrong' }), PORT, TOKEN)).toMatchObject({ ok: false, status: 401 })
    expect(authorizeRequest(facts({ cookie: `${cookieName(PORT + 1)}=${TOKEN}` }), PORT, TOKEN)).toMatchObject({ ok: false, status: 401 })
    expect(authorizeRequest(facts({ host: 'evil.com', url: `/?token=${TOKEN}` }), PORT, TOKEN)).toMatchObject({ ok: false, status: 403 })
  })

  it('reads cookies by exact name', () => {
    expect(readCookie('x=1; tradedeck_token_1=abc', 'tradedeck_token_1')).toBe('abc')
    expect(readCookie('xtradedeck_token_1=abc', 'tradedeck_token_1')).toBeNull()
    expect(readCookie(undefined, 'a')).toBeNull()
  })
})
