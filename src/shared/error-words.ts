import { channelNames } from './channels'
import type { ApiErrorShape } from './errors'

/**
 * What a system error code means to a trader, and what to do about it. `subject` is what the
 * message names after the code (a host, a host:port, a path), when it names one.
 */
const SYSTEM_ERRORS: Record<string, (subject: string | null) => string> = {
  ENOTFOUND: (host) => `Cannot find the host${host ? ` ${host}` : ''}: check the address and the network`,
  EAI_AGAIN: (host) => `Cannot look up the host${host ? ` ${host}` : ''} just now: check the network, then try again`,
  ECONNREFUSED: (at) =>
    `Nothing answers at ${at ?? 'that address'}: check that the server runs and that the address and port are right`,
  ETIMEDOUT: (at) => `${at ? `${at} did` : 'The other side did'} not answer in time: check the network, then try again`,
  ECONNRESET: () => 'The other side closed the connection: try again',
  EHOSTUNREACH: (host) => `There is no route to ${host ?? 'that host'}: check the network`,
  ENETUNREACH: () => 'The network cannot be reached: check the connection',
  EPIPE: () => 'The connection closed while Tradedeck was writing: try again',
  ECONNABORTED: () => 'The connection was dropped: try again',
  ENOENT: (path) => `There is no file or folder at ${path ?? 'that place'}`,
  EACCES: (path) => `Tradedeck may not use ${path ?? 'that file'}: check its permissions`,
  EPERM: (path) => `The system does not allow that on ${path ?? 'that file'}: check its permissions`,
  EISDIR: (path) => `${path ?? 'That'} is a folder, not a file`,
  ENOTDIR: (path) => `${path ?? 'That path'} runs through something that is not a folder`,
  ENOSPC: () => 'The disk is full: free some space, then try again',
  EROFS: (path) => `${path ?? 'That place'} is read-only`,
  EADDRINUSE: (at) => `${at ?? 'That port'} is already in use by another program`,
  EMFILE: () => 'Too many files are open: close something, then try again',
}

/** "getaddrinfo ENOTFOUND api.example.com", "connect ECONNREFUSED 127.0.0.1:5432", "ENOENT: no such file…, open '/x'". */
const SYSTEM_ERROR = new RegExp(
  `(?:\\b(?:getaddrinfo|connect|read|write|open|opendir|mkdir|stat|lstat|unlink|rename|scandir|listen|spawn)\\s+)?\\b(${Object.keys(SYSTEM_ERRORS).join('|')})\\b(?::[^,'"]*(?:,\\s*\\w+\\s+'([^']*)')?|\\s+([^\\s,;)]+))?`,
  'g',
)

/** Channel names ("risk:update") are the app's wiring, never the trader's words. */
const CHANNEL = new RegExp(`\\s*(?:for |on )?\\b(?:${channelNames.join('|')})\\b`, 'g')

/** A terminal-only alternative in a message the page shows too: "(tradedeck import --skip-invalid; …)" or "…, or tradedeck pg migrate --pg URL". */
const TERMINAL_ALTERNATIVE = [
  /\s*\((?:tradedeck [^();]*--[a-z][^();]*|[^();]*--[a-z][-a-z]*[^();]*);\s*on the page,?\s*([^()]*)\)/g,
  /,?\s*or (?:run )?tradedeck [^.;]*/g,
  /\s*\([^()]*--[a-z][-a-z]*[^()]*\)/g,
]

const FLAG_PHRASES: [RegExp, string][] = [
  [/,?\s*but confirm with --force/g, ', but the loss must be confirmed'],
  [/name the format with --format/g, 'choose the format by name'],
  [/use another --data-dir/g, 'choose another data folder'],
  [/\s*--[a-z][-a-z]*(?:\s+<[^>]+>)?/g, ''],
]

/** A message as a page shows it: system codes, channel names and terminal flags turned into words or left out. */
export function messageForPage(message: string): string {
  let text = message.replace(SYSTEM_ERROR, (_match, code: string, quotedPath?: string, subject?: string) => {
    const describe = SYSTEM_ERRORS[code]
    return describe ? describe(quotedPath ?? subject ?? null) : code
  })
  text = text.replace(TERMINAL_ALTERNATIVE[0]!, (_match, onPage: string) => ` (${onPage.trim()})`)
  for (const pattern of TERMINAL_ALTERNATIVE.slice(1)) text = text.replace(pattern, '')
  for (const [pattern, words] of FLAG_PHRASES) text = text.replace(pattern, words)
  text = text.replace(CHANNEL, '')
  return text
    .replace(/\s{2,}/g, ' ')
    .replace(/\s+([.,;:])/g, '$1')
    .trim()
}

/** The error a page receives: the same error, said for the page. */
export function errorForPage(error: ApiErrorShape): ApiErrorShape {
  return { ...error, message: messageForPage(error.message) }
}

/** Words a field's name is made of that read better spelled out. */
const SPELLED_OUT: Record<string, string> = {
  min: 'minimum',
  max: 'maximum',
  id: 'id',
  ids: 'ids',
  pnl: 'P&L',
  tp: 'take-profit',
  sl: 'stop-loss',
  url: 'address',
  pg: 'PostgreSQL',
  ca: 'CA',
}

/** "minConfidenceThreshold" → "Minimum confidence threshold"; ["actions", 2] → "Actions (item 3)". */
export function fieldInWords(path: readonly PropertyKey[]): string {
  const keys = path.filter((key): key is string => typeof key === 'string')
  const index = path.findLast((key): key is number => typeof key === 'number')
  const key = keys.at(-1)
  if (!key) return 'The request'
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .split(' ')
    .map((word) => SPELLED_OUT[word] ?? word)
    .join(' ')
  const label = words.charAt(0).toUpperCase() + words.slice(1)
  return index === undefined ? label : `${label} (item ${index + 1})`
}
