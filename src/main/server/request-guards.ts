import { timingSafeEqual } from 'node:crypto'
import { rendererContentSecurityPolicy } from '../security/content-security-policy'

/**
 * Pure checks for browser mode's HTTP and WebSocket requests, kept apart from
 * the server so they can be tested exhaustively.
 */

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`]
}

/** DNS-rebinding guard: the Host header must name our loopback listener. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  return typeof host === 'string' && allowedHosts(port).includes(host.toLowerCase())
}

/** A WebSocket must come from a page we served ourselves. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (typeof origin !== 'string') return false
  return allowedHosts(port).some((host) => origin.toLowerCase() === `http://${host}`)
}

export function tokensMatch(expected: string, presented: string | null | undefined): boolean {
  if (typeof presented !== 'string') return false
  const a = Buffer.from(expected, 'utf8')
  const b = Buffer.from(presented, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}

export function cookieName(port: number): string {
  // Cookies are not isolated by port, so two instances on one host need two names.
  return `tradedeck_token_${port}`
}

/**
 * Every value sent under `name`. Any page on this machine can set cookies for
 * 127.0.0.1 (cookies ignore the port), including one with our name and a more
 * specific path that the browser sends first; so every value is returned, and
 * one that is not valid percent-encoding is kept as it stands rather than thrown.
 */
export function readCookies(header: string | undefined, name: string): string[] {
  if (!header) return []
  const values: string[] = []
  for (const part of header.split(';')) {
    const index = part.indexOf('=')
    if (index === -1 || part.slice(0, index).trim() !== name) continue
    const raw = part.slice(index + 1).trim()
    try {
      values.push(decodeURIComponent(raw))
    } catch {
      values.push(raw)
    }
  }
  return values
}

export type AuthOutcome =
  { ok: true; via: 'query' | 'cookie' | 'header' } | { ok: false; status: 400 | 401 | 403; reason: string }

export interface RequestFacts {
  host: string | undefined
  url: string
  cookie: string | undefined
  authorization: string | undefined
}

/** The request target as a URL, or null when it is not one (a raw client may send anything). */
export function parseRequestUrl(target: string): URL | null {
  try {
    return new URL(target, 'http://127.0.0.1')
  } catch {
    return null
  }
}

export function authorizeRequest(facts: RequestFacts, port: number, token: string): AuthOutcome {
  if (!isAllowedHost(facts.host, port)) return { ok: false, status: 403, reason: 'foreign Host header' }
  const url = parseRequestUrl(facts.url)
  if (!url) return { ok: false, status: 400, reason: 'malformed request target' }
  const query = url.searchParams.get('token')
  if (query !== null) {
    return tokensMatch(token, query) ? { ok: true, via: 'query' } : { ok: false, status: 401, reason: 'wrong token' }
  }
  const bearer = /^Bearer (.+)$/.exec(facts.authorization ?? '')?.[1]
  if (bearer !== undefined) {
    return tokensMatch(token, bearer) ? { ok: true, via: 'header' } : { ok: false, status: 401, reason: 'wrong token' }
  }
  const cookies = readCookies(facts.cookie, cookieName(port))
  if (cookies.length > 0) {
    return cookies.some((cookie) => tokensMatch(token, cookie))
      ? { ok: true, via: 'cookie' }
      : { ok: false, status: 401, reason: 'wrong token' }
  }
  return { ok: false, status: 401, reason: 'missing token' }
}

/** The renderer's policy, with the page's own WebSocket addresses on this port. */
export function contentSecurityPolicy(port: number): string {
  return rendererContentSecurityPolicy(allowedHosts(port).map((host) => `ws://${host}`))
}
