import { existsSync, realpathSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'

export const APP_NAME = 'Tradedeck'
export const DB_FILE_NAME = 'tradedeck.sqlite'
/** Finished exports, handed to the trader from here. */
export const EXPORTS_DIR_NAME = 'exports'
/** The report of every wrong line of a refused candle import, in the exports folder. */
export const CANDLE_PROBLEMS_PREFIX = 'candle-import-problems-'
/** Uploaded files staged for import, removed once imported. */
export const IMPORTS_DIR_NAME = 'imports'

/**
 * The folder Electron's `app.getPath('userData')` gives for an app named
 * Tradedeck, computed without Electron so browser mode and the CLI agree with
 * the desktop app.
 */
export function platformUserDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME)
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_NAME)
}

/** The operating system's own folders: files there are the kernel's views and devices, which never hold data. */
const SYSTEM_FOLDERS = ['/proc', '/sys', '/dev']

export class DataDirError extends Error {}

/** The path with every symbolic link in its existing part followed, so a link into /proc is seen for what it is. */
function realPathOf(path: string): string {
  let existing = path
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing)
  return join(realpathSync(existing), relative(existing, path))
}

/** Refuses, in words, a data folder inside the system's own folders (creating one there never finishes under /proc). */
export function refuseSystemFolder(path: string, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') return
  const real = realPathOf(path)
  const inside = SYSTEM_FOLDERS.find((folder) => real === folder || real.startsWith(`${folder}/`))
  if (inside)
    throw new DataDirError(
      `${path} is inside ${inside}, which holds the operating system's own entries, not data. Choose a folder of yours, such as one in your home folder.`,
    )
}

/** `--data-dir` wins, then TRADEDECK_DATA_DIR, then the platform folder; always absolute, and never a system folder. */
export function resolveDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  platformDefault: () => string = () => platformUserDataDir(process.platform, env),
): string {
  const dataDir = resolve(flag || env.TRADEDECK_DATA_DIR || platformDefault())
  refuseSystemFolder(dataDir)
  return dataDir
}

/** The database file of an existing data directory; a plain-words error when there is none, so nothing gets created by accident. */
export function requireDatabase(dataDir: string): string {
  const dbPath = join(dataDir, DB_FILE_NAME)
  if (!existsSync(dataDir)) throw new Error(`There is no Tradedeck database in ${dataDir}: the folder does not exist.`)
  if (!statSync(dataDir).isDirectory())
    throw new Error(`There is no Tradedeck database in ${dataDir}: it is a file, not a folder.`)
  if (!existsSync(dbPath)) throw new Error(`There is no Tradedeck database in ${dataDir}.`)
  if (!statSync(dbPath).isFile()) throw new Error(`${dbPath} is not a database file.`)
  return dbPath
}
