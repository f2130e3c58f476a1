// Runs one migration in its own OS process, for the lock and kill -9 tests.
import { openPostgresMigrator, openSqliteMigrator } from '../../src/main/core/platform/migrations/open'
import { fixtureMigrations, migration } from './migrations'

interface ChildConfig {
  dialect: 'sqlite' | 'postgres'
  target: string
  set: 'slow' | 'ledger'
  rows?: number
}

const config = JSON.parse(process.argv[2] as string) as ChildConfig
const rows = config.rows ?? 2_000_000

function slowSet() {
  if (config.dialect === 'sqlite') {
    return [
      migration(
        1,
        'big_table',
        `CREATE TABLE big (id INTEGER PRIMARY KEY, payload BLOB NOT NULL);
         WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${rows})
         INSERT INTO big (id, payload) SELECT x, randomblob(32) FROM c;
         CREATE INDEX big_payload ON big (payload);`,
        'DROP TABLE big;',
      ),
    ]
  }
  return [
    migration(
      1,
      'big_table',
      `CREATE TABLE big (id bigint PRIMARY KEY, payload text NOT NULL);\nINSERT INTO big SELECT x, md5(x::text) FROM generate_series(1, ${rows}) AS x;\nCREATE INDEX big_payload ON big (payload);`,
      'DROP TABLE big;',
    ),
    migration(2, 'small', 'CREATE TABLE small (id int);', 'DROP TABLE small;'),
  ]
}

async function main() {
  const defs = config.set === 'slow' ? slowSet() : fixtureMigrations('ledger', config.dialect)
  const onProgress = (progress: { phase: string }) => {
    if (progress.phase === 'migrate') process.stderr.write('migrating\n')
  }
  const handle =
    config.dialect === 'sqlite'
      ? openSqliteMigrator(config.target, { appVersion: 'child', defs, onProgress })
      : await openPostgresMigrator(config.target, { appVersion: 'child', defs, onProgress })
  try {
    const result = await handle.migrator.migrate()
    process.stdout.write(JSON.stringify({ applied: result.applied.map((m) => m.version), to: result.to }) + '\n')
  } finally {
    await handle.close()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
