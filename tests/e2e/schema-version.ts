import { readdirSync } from 'node:fs'
import { join } from 'node:path'

/** This build's newest migration, read from the migrations folder, so the specs follow each new one. */
const newestFile = readdirSync(join(__dirname, '..', '..', 'migrations', 'sqlite'))
  .filter((file) => file.endsWith('.up.sql'))
  .sort()
  .at(-1) as string
const [, version, name] = /^(\d+)_(.+)\.up\.sql$/.exec(newestFile) as RegExpExecArray

export const LATEST_VERSION = Number(version)
/** How the app names it, e.g. 9_backtests_idea_invalidation. */
export const LATEST_MIGRATION = `${LATEST_VERSION}_${name}`
