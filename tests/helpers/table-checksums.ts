import { createHash } from 'node:crypto'
import Database from 'better-sqlite3'

/** A sha256 per table over every row in rowid order: any change to any table changes its checksum. */
export function tableChecksums(dbPath: string): Record<string, string> {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true })
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[]
    const sums: Record<string, string> = {}
    for (const table of tables) {
      const hash = createHash('sha256')
      for (const row of db
        .prepare(`SELECT * FROM "${table.replace(/"/g, '""')}" ORDER BY rowid`)
        .raw()
        .iterate())
        hash.update(
          JSON.stringify(row, (_key, value) =>
            typeof value === 'bigint' ? value.toString() : Buffer.isBuffer(value) ? value.toString('hex') : value,
          ),
        )
      sums[table] = hash.digest('hex')
    }
    return sums
  } finally {
    db.close()
  }
}
