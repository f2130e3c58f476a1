import { closeSync, openSync, readSync } from 'node:fs'
import type { ImportFormat } from '../../../../shared/domain'
import { ImportFileError } from './history-batch'

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')
const SNIFF_BYTES = 4096

function firstBytes(path: string): Buffer {
  const head = Buffer.alloc(SNIFF_BYTES)
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return Buffer.alloc(0)
  }
  try {
    return head.subarray(0, readSync(fd, head, 0, head.length, 0))
  } finally {
    closeSync(fd)
  }
}

/**
 * The format of a file given without --format, from its first bytes: a SQLite file is
 * taken as a Freqtrade database, text opening with [ or { as order history JSON, and
 * text whose header line names a risk config or strategy column as rules CSV. Each
 * reader then checks the file properly.
 */
export function detectFormat(path: string, fileName: string): ImportFormat {
  const head = firstBytes(path)
  if (head.length >= SQLITE_HEADER.length && head.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER))
    return 'freqtrade'
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
  if (text.startsWith('[') || text.startsWith('{')) return 'orders-json'
  const header = (text.split(/\r?\n/, 1)[0] ?? '').toLowerCase()
  if (/\b(ai_trading_enabled|max_lot_size|allowed_symbols|entry_conditions)\b/.test(header)) return 'rules-csv'
  if (/\bevent_time\b/.test(header) && /\bimpact_level\b/.test(header)) return 'calendar-csv'
  if (/\bheadline\b/.test(header) && /\bpublished_at\b/.test(header)) return 'news-csv'
  throw new ImportFileError(
    `${fileName}: the format could not be told from the file. Tradedeck imports Freqtrade databases (tradesv3.sqlite), order history as JSON (trades_history.json, pending_orders.json, paper trading) risk_config.csv or strategies.csv, and an economic calendar or news as CSV; name the format with --format.`,
  )
}
