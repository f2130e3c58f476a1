declare module 'virtual:tradedeck-migrations' {
  import type { MigrationManifest } from './types'
  const manifest: MigrationManifest
  export default manifest
}
