import { leadingKeyword, splitStatements } from './split-statements'
import type { Dialect, MigrationDef, MigrationScript } from './types'

export type LintSeverity = 'error' | 'warning'

export interface LintFinding {
  severity: LintSeverity
  rule: string
  file: string
  statement: number
  message: string
}

/** Facts about the live database that some warnings depend on. */
export interface SchemaFacts {
  rowCount(table: string): number | null
  /** Tables whose foreign keys point at `table` with ON DELETE CASCADE. */
  cascadeChildren(table: string): string[]
}

const NO_FACTS: SchemaFacts = { rowCount: () => null, cascadeChildren: () => [] }

const TRANSACTION_KEYWORDS = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE'])
const VOLATILE_DEFAULT = /\bDEFAULT\s+(now\s*\(|clock_timestamp|random\s*\(|gen_random_uuid|uuid_generate_v4|timeofday|statement_timestamp|CURRENT_TIMESTAMP)/i
const ident = String.raw`["\`]?([A-Za-z_][A-Za-z0-9_]*)["\`]?`

export function lintScript(script: MigrationScript, dialect: Dialect, facts: SchemaFacts = NO_FACTS): LintFinding[] {
  const findings: LintFinding[] = []
  const add = (severity: LintSeverity, rule: string, statement: number, message: string) =>
    findings.push({ severity, rule, file: script.file, statement, message })

  splitStatements(script.sql).forEach((statement, index) => {
    const n = index + 1
    const keyword = leadingKeyword(statement)
    if (TRANSACTION_KEYWORDS.has(keyword)) {
      add('error', 'no-transaction-control', n, `${keyword} is not allowed: the runner wraps each migration in its own transaction.`)
    }
    if (dialect === 'sqlite' && /\bPRAGMA\s+foreign_keys\b/i.test(statement)) {
      add('error', 'no-foreign-keys-pragma', n, 'PRAGMA foreign_keys is not allowed: the runner switches it off before BEGIN and checks foreign keys before COMMIT.')
    }
    const dropTable = new RegExp(String.raw`^DROP\s+TABLE\s+(IF\s+EXISTS\s+)?${ident}`, 'i').exec(statement)
    if (dropTable) add('warning', 'drop-table', n, `Drops table ${dropTable[2]}: its rows are gone unless they were copied first.`)
    const dropColumn = new RegExp(String.raw`^ALTER\s+TABLE\s+${ident}\s+DROP\s+(COLUMN\s+)?${ident}`, 'i').exec(statement)
    if (dropColumn) add('warning', 'drop-column', n, `Drops column ${dropColumn[1]}.${dropColumn[3]}: its values are lost.`)
    const addNotNull = new RegExp(String.raw`^ALTER\s+TABLE\s+${ident}\s+ADD\s+(COLUMN\s+)?${ident}([^;]*)`, 'i').exec(statement)
    if (addNotNull) {
      const [, table, , column, rest = ''] = addNotNull
      if (/\bNOT\s+NULL\b/i.test(rest) && !/\bDEFAULT\b/i.test(rest)) {
        const rows = facts.rowCount(table as string)
        if (rows === null || rows > 0) {
          add('warning', 'not-null-without-default', n, `Adds NOT NULL column ${table}.${column} without a default${rows ? ` to a table with ${rows} rows` : ''}: it fails on a non-empty table.`)
        }
      }
      if (dialect === 'postgres' && VOLATILE_DEFAULT.test(rest)) {
        add('warning', 'volatile-default', n, `Adds ${table}.${column} with a volatile default: PostgreSQL rewrites the whole table under an exclusive lock.`)
      }
    }
  })

  for (const table of rebuiltTables(script.sql)) {
    const children = facts.cascadeChildren(table)
    if (children.length > 0) {
      add('warning', 'rebuild-with-cascade-children', 0, `Rebuilds ${table}, which ${children.join(', ')} reference with ON DELETE CASCADE: the runner keeps foreign keys off during the rebuild, so use it; never run this by hand.`)
    }
  }
  return findings
}

export function lintMigration(def: MigrationDef, dialect: Dialect, facts?: SchemaFacts): LintFinding[] {
  const findings = lintScript(def.up, dialect, facts)
  if (def.down) findings.push(...lintScript(def.down, dialect, facts))
  if (def.noTransaction && dialect === 'sqlite') {
    findings.push({ severity: 'error', rule: 'no-transaction-sqlite', file: def.up.file, statement: 0, message: 'no-transaction is for PostgreSQL only: every SQLite migration runs in a transaction.' })
  }
  if (!def.down && !def.irreversible) {
    findings.push({ severity: 'error', rule: 'missing-down', file: def.up.file, statement: 0, message: 'Has no down file: add one, or declare -- tradedeck: irreversible.' })
  }
  return findings
}

/** Tables a script drops and recreates under the same name (the 12-step rebuild). */
export function rebuiltTables(sql: string): string[] {
  const dropped = new Set<string>()
  const renamedTo = new Set<string>()
  for (const statement of splitStatements(sql)) {
    const drop = new RegExp(String.raw`^DROP\s+TABLE\s+(IF\s+EXISTS\s+)?${ident}`, 'i').exec(statement)
    if (drop?.[2]) dropped.add(drop[2].toLowerCase())
    const rename = new RegExp(String.raw`^ALTER\s+TABLE\s+${ident}\s+RENAME\s+TO\s+${ident}`, 'i').exec(statement)
    if (rename?.[2]) renamedTo.add(rename[2].toLowerCase())
  }
  return [...dropped].filter((table) => renamedTo.has(table))
}
