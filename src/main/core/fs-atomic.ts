import { closeSync, fsyncSync, openSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** Write beside, fsync, rename, fsync the folder: a crash leaves the old file or the new one, never half of one. */
export function writeFileAtomic(path: string, contents: string): void {
  const temp = `${path}.${process.pid}.tmp`
  writeFileSync(temp, contents, { mode: 0o600 })
  fsyncFile(temp)
  renameSync(temp, path)
  fsyncDir(dirname(path))
}

export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // Windows cannot open a directory for fsync; rename is already durable there.
  }
}

export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
