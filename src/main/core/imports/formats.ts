import { closeSync, openSync, readSync } from 'node:fs'
import type { ImportFormat } from '../../../shared/domain'
import { ImportFileError } from './history-batch'

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')

function startsWithSqliteHeader(path: string): boolean {
  const header = Buffer.alloc(SQLITE_HEADER.length)
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return false
  }
  try {
    return readSync(fd, header, 0, header.length, 0) === header.length && header.equals(SQLITE_HEADER)
  } finally {
    closeSync(fd)
  }
}

/** The format of a file given without --format: today every SQLite file offered is taken as a Freqtrade database, which the reader then checks. */
export function detectFormat(path: string, fileName: string): ImportFormat {
  if (startsWithSqliteHeader(path)) return 'freqtrade'
  throw new ImportFileError(`${fileName}: the format could not be told from the file. Tradedeck imports Freqtrade databases (tradesv3.sqlite); name the format with --format.`)
}
