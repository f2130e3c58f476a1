import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'

/** A file's sha256, computed here rather than by the code under test. */
export function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}
