import { z } from 'zod'
import { openCore } from '../core/app'
import { APP_VERSION } from '../core/app-version'
import { resolveDataDir } from '../core/data-dir'
import { bundledWorkerEntry } from '../core/strategies/worker-entry'
import { startBrowserServer } from '../server/browser-server'
import { wholeNumber } from './migration-commands'

export const serveOptions = z.object({
  port: wholeNumber('a port number')
    .refine((port) => port <= 65535, 'must be 65535 or less')
    .default(0),
  'data-dir': z.string().min(1).optional(),
})

export async function serve(raw: z.input<typeof serveOptions>, rendererDir: string): Promise<void> {
  const options = serveOptions.parse(raw)
  const core = openCore({ dataDir: resolveDataDir(options['data-dir']), host: 'browser', appVersion: APP_VERSION, strategies: { worker: bundledWorkerEntry(__dirname) } })
  let server
  try {
    server = await startBrowserServer({ core, rendererDir, port: options.port })
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
    await core.shutdown().catch((error: unknown) => process.stderr.write(`Stopping strategies failed: ${String(error)}\n`))
    core.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
