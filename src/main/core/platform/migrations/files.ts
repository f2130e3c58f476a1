import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Dialect, MigrationDef, MigrationDirectives, MigrationManifest, MigrationScript } from './types'

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.(up|down)\.sql$/

/** Hashing must not depend on the checkout's line endings or an editor's BOM. */
export function normaliseSql(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

export function parseDirectives(sql: string): MigrationDirectives {
  const flags = new Set<string>()
  for (const line of sql.split('\n')) {
    const match = /^\s*--\s*tradedeck:\s*([a-z-]+)\s*$/.exec(line)
    if (match?.[1]) flags.add(match[1])
  }
  return {
    noTransaction: flags.has('no-transaction'),
    irreversible: flags.has('irreversible'),
    lossy: flags.has('lossy'),
  }
}

interface ParsedName {
  version: number
  name: string
  direction: 'up' | 'down'
}

export function parseMigrationFileName(fileName: string): ParsedName | null {
  const match = FILE_PATTERN.exec(fileName)
  if (!match) return null
  return { version: Number(match[1]), name: match[2] as string, direction: match[3] as 'up' | 'down' }
}

/**
 * Reads one dialect's folder into definitions. Used at build time (the manifest
 * plugin) and by tests; the app itself only ever reads the compiled manifest.
 */
export function readMigrationDir(dir: string, label: string = ''): MigrationDef[] {
  const scripts = new Map<number, { name: string; up?: MigrationScript; down?: MigrationScript }>()
  for (const fileName of readdirSync(dir).sort()) {
    if (!fileName.endsWith('.sql')) continue
    const parsed = parseMigrationFileName(fileName)
    if (!parsed) {
      throw new Error(`Migration file ${join(label, fileName)} does not match NNNN_name.up.sql / NNNN_name.down.sql`)
    }
    const sql = normaliseSql(readFileSync(join(dir, fileName), 'utf8'))
    const entry = scripts.get(parsed.version) ?? { name: parsed.name }
    if (entry.name !== parsed.name) {
      throw new Error(`Migration ${parsed.version} has two names: ${entry.name} and ${parsed.name}`)
    }
    entry[parsed.direction] = { file: label ? `${label}/${fileName}` : fileName, sql, sha256: sha256(sql) }
    scripts.set(parsed.version, entry)
  }
  return [...scripts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([version, entry]) => {
      if (!entry.up) throw new Error(`Migration ${version}_${entry.name} has a down file but no up file`)
      // A directive may sit in either file's header: `lossy` naturally lives in the down file.
      const up = parseDirectives(entry.up.sql)
      const down = entry.down ? parseDirectives(entry.down.sql) : up
      return {
        version,
        name: entry.name,
        up: entry.up,
        down: entry.down ?? null,
        noTransaction: up.noTransaction || down.noTransaction,
        irreversible: up.irreversible || down.irreversible,
        lossy: up.lossy || down.lossy,
      }
    })
}

export function readManifestFromDisk(root: string): MigrationManifest {
  const read = (dialect: Dialect) => readMigrationDir(join(root, dialect), dialect)
  return { sqlite: read('sqlite'), postgres: read('postgres') }
}
