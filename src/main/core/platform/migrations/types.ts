export type Dialect = 'sqlite' | 'postgres'

export interface MigrationScript {
  /** Path relative to the migrations folder, e.g. `sqlite/0001_app_meta.up.sql`. */
  file: string
  /** SQL with line endings normalised to `\n`. */
  sql: string
  sha256: string
}

export interface MigrationDirectives {
  noTransaction: boolean
  irreversible: boolean
  lossy: boolean
}

export interface MigrationDef extends MigrationDirectives {
  version: number
  name: string
  up: MigrationScript
  down: MigrationScript | null
}

export interface MigrationManifest {
  sqlite: MigrationDef[]
  postgres: MigrationDef[]
}
