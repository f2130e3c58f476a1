import { resolve } from 'node:path'
import type { Plugin } from 'vite'
import { readManifestFromDisk } from '../src/main/core/platform/migrations/files'

const VIRTUAL_ID = 'virtual:tradedeck-migrations'
const RESOLVED_ID = '\0' + VIRTUAL_ID

/**
 * Compiles migrations/ into the bundle, so a packaged app (asar) and the CLI
 * never scan folders at run time.
 */
export function migrationsManifestPlugin(root = resolve(__dirname, '..', 'migrations')): Plugin {
  return {
    name: 'tradedeck-migrations-manifest',
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : null
    },
    load(id) {
      if (id !== RESOLVED_ID) return null
      this.addWatchFile(root)
      return `export default ${JSON.stringify(readManifestFromDisk(root))}`
    },
  }
}
