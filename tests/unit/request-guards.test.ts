import { describe, expect, it } from 'vitest'
import {
  authorizeRequest,
  cookieName,
  isAllowedHost,
  isAllowedOrigin,
  readCookies,
} from '../../src/main/server/request-guards'

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
    expect(authorizeRequest(facts({ authorization: `Bearer ${TOKEN}` }), PORT, TOKEN)).toEqual({
      ok: true,
      via: 'header',
    })
    expect(authorizeRequest(facts({ cookie: `a=b; ${cookieName(PORT)}=${TOKEN}` }), PORT, TOKEN)).toEqual({
      ok: true,
      via: 'cookie',
    })
    expect(authorizeRequest(facts({}), PORT, TOKEN)).toMatchObject({ ok: false, status: 401 })
    expect(authorizeRequest(facts({ url: '/?token=wrong' }), PORT, TOKEN)).toMatchObject({ ok: false, status: 401 })
    expect(authorizeRequest(facts({ cookie: `${cookieName(PORT + 1)}=${TOKEN}` }), PORT, TOKEN)).toMatchObject({
      ok: false,
      status: 401,
    })
    expect(authorizeRequest(facts({ host: 'evil.com', url: `/?token=${TOKEN}` }), PORT, TOKEN)).toMatchObject({
      ok: false,
      status: 403,
    })
  })

  it('reads cookies by exact name, every value of it, and survives broken percent-encoding', () => {
    expect(readCookies('x=1; tradedeck_token_1=abc', 'tradedeck_token_1')).toEqual(['abc'])
    expect(readCookies('xtradedeck_token_1=abc', 'tradedeck_token_1')).toEqual([])
    expect(readCookies(undefined, 'a')).toEqual([])
    expect(readCookies('a=%; a=%E0%A4%A; a=ok%20', 'a')).toEqual(['%', '%E0%A4%A', 'ok '])
  })

  it('refuses malformed cookies and request targets with 401 and 400 instead of throwing', () => {
    for (const value of ['%', '%%', '%E0%A4%A', `${TOKEN}%`]) {
      expect(authorizeRequest(facts({ cookie: `${cookieName(PORT)}=${value}` }), PORT, TOKEN)).toMatchObject({
        ok: false,
        status: 401,
      })
    }
    expect(authorizeRequest(facts({ url: 'http://[' }), PORT, TOKEN)).toMatchObject({ ok: false, status: 400 })
  })

  it('accepts the real token even when another page planted a cookie of the same name that the browser sends first', () => {
    expect(
      authorizeRequest(facts({ cookie: `${cookieName(PORT)}=%; ${cookieName(PORT)}=${TOKEN}` }), PORT, TOKEN),
    ).toEqual({ ok: true, via: 'cookie' })
    expect(
      authorizeRequest(facts({ cookie: `${cookieName(PORT)}=planted; ${cookieName(PORT)}=other` }), PORT, TOKEN),
    ).toMatchObject({ ok: false, status: 401 })
  })
})
