import compiled from 'virtual:tradedeck-migrations'
import type { MigrationManifest } from './types'

export const bundledMigrations: MigrationManifest = compiled
