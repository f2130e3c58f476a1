import { app } from 'electron'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * better-sqlite3 in node_modules is built for Node (tests, CLI). The desktop app
 * loads a copy built for Electron by `npm run rebuild:electron`, or the one
 * packaged into resources.
 */
export function electronNativeBinding(): string | undefined {
  const candidates = app.isPackaged
    ? [join(process.resourcesPath, 'native', 'better_sqlite3.node')]
    : [join(app.getAppPath(), '.electron-native', 'better_sqlite3.node')]
  return candidates.find((path) => existsSync(path))
}
