import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { openCore } from '../core/wiring/app'
import { APP_VERSION } from '../core/platform/app-version'
import { resolveDataDir } from '../core/platform/files/data-dir'
import { bundledWorkerEntry } from '../core/domains/strategies/worker-entry'
import { runEntryPoint, UsageError, wholeNumber } from '../hosting/command-line'
import { startBrowserServer } from './browser-server'

const USAGE = `Usage: tradedeck serve [--port P] [--data-dir DIR]

Starts browser mode: the control panel on 127.0.0.1, behind a token printed on start.`

const serveOptions = z
  .object({
    port: wholeNumber('a port number')
      .refine((port) => port <= 65535, 'must be 65535 or less')
      .default(0),
    'data-dir': z.string().min(1).optional(),
  })
  .strict()

/** Browser mode's entry point (`tradedeck serve`): the same core as the desktop app, served to a local browser. */
async function main(argv: string[]): Promise<null> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, 'data-dir': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  const [command, ...extra] = parsed.positionals
  if (command !== 'serve')
    throw new UsageError(`This is browser mode's entry point; it runs \`serve\`, not ${command ?? 'nothing'}.`)
  if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra[0]}`)
  const options = serveOptions.parse(parsed.values)
  const core = openCore({
    dataDir: resolveDataDir(options['data-dir']),
    host: 'browser',
    appVersion: APP_VERSION,
    strategies: { worker: bundledWorkerEntry(__dirname) },
  })
  let server
  try {
    server = await startBrowserServer({ core, rendererDir: join(__dirname, '..', 'renderer'), port: options.port })
  } catch (error) {
    core.close()
    throw error
  }
  process.stdout.write(`Tradedeck browser mode: ${server.url}\n`)
  // Launch work (migrations) runs once the page can watch its progress; failures become the recovery screen.
  void core.start()

  const running = server
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await running.close()
    await core
      .shutdown()
      .catch((error: unknown) => process.stderr.write(`Stopping strategies failed: ${String(error)}\n`))
    core.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  return null
}

runEntryPoint(main, USAGE)
