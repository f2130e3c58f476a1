import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_NAME = 'Tradedeck'
export const DB_FILE_NAME = 'tradedeck.sqlite'
/** Finished exports, handed to the trader from here. */
export const EXPORTS_DIR_NAME = 'exports'
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

/** `--data-dir` wins, then TRADEDECK_DATA_DIR, then the platform folder. */
export function resolveDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  platformDefault: () => string = () => platformUserDataDir(process.platform, env),
): string {
  return flag || env.TRADEDECK_DATA_DIR || platformDefault()
}
