import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

/**
 * A trader's data, backups and exports are readable by their owner only:
 * folders 0700, files 0600 (a no-op where the OS has no such modes).
 */
export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

export function makePrivateDir(path: string): void {
  // One level at a time rather than `recursive: true`, which retries forever where a parent
  // exists but takes no folders (under /proc): this ends, with the error of the level that failed.
  const missing: string[] = []
  for (let folder = resolve(path); !existsSync(folder) && dirname(folder) !== folder; folder = dirname(folder))
    missing.unshift(folder)
  for (const folder of missing)
    try {
      mkdirSync(folder, { mode: PRIVATE_DIR_MODE })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  chmodSync(path, PRIVATE_DIR_MODE)
}

/**
 * Creates the file empty with owner-only access if it is missing, and tightens
 * it if it exists. SQLite gives a database's -wal and -shm the database's mode.
 */
export function makePrivateFile(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE_MODE))
  chmodSync(path, PRIVATE_FILE_MODE)
}

/**
 * Tightens what earlier versions left readable to others, touching only
 * Tradedeck's own files: a data directory may be a folder the trader also
 * uses for other things.
 */
export function tightenDataDir(dataDir: string, ownFiles: string[], ownFolders: string[]): void {
  const isNew = !existsSync(dataDir)
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE })
  const holdsDatabase = ownFiles.some((name) => existsSync(join(dataDir, name)))
  if (isNew || holdsDatabase) chmodSync(dataDir, PRIVATE_DIR_MODE)
  for (const name of ownFiles) {
    const path = join(dataDir, name)
    if (existsSync(path) && statSync(path).isFile()) chmodSync(path, PRIVATE_FILE_MODE)
  }
  for (const name of ownFolders) {
    const folder = join(dataDir, name)
    if (!existsSync(folder) || !statSync(folder).isDirectory()) continue
    chmodSync(folder, PRIVATE_DIR_MODE)
    for (const inner of readdirSync(folder)) {
      const path = join(folder, inner)
      if (statSync(path).isFile()) chmodSync(path, PRIVATE_FILE_MODE)
    }
  }
}
