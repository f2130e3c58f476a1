import { z } from 'zod'
import { candleDownloadSchema } from '../../shared/contract'
import { APP_VERSION } from '../core/platform/app-version'
import { resolveDataDir } from '../core/platform/files/data-dir'
import { EXCHANGES } from '../core/domains/exchanges/registry'
import { requireCurrentSchema, withMaintenanceCore } from '../core/wiring/maintenance'
import { downloadCandles } from '../core/domains/market-data/exchange-candles'
import { UsageError } from '../hosting/command-line'
import type { CommandOutput } from './migration-commands'

/** `tradedeck data download`: an instrument's candle history from an exchange, into the desk's market data for backtests. */
export async function runDataCommand(
  subcommand: string | undefined,
  raw: Record<string, unknown>,
): Promise<CommandOutput> {
  if (subcommand !== 'download')
    throw new UsageError(
      subcommand
        ? `Unknown data command: ${subcommand}`
        : 'data needs a command: tradedeck data download --exchange E --symbol S --timeframe T --from ISO',
    )
  const { 'data-dir': dataDir, ...rest } = z
    .object({ 'data-dir': z.string().min(1).optional() })
    .passthrough()
    .parse(raw)
  const request = candleDownloadSchema.parse(rest)
  const result = await withMaintenanceCore(
    { dataDir: resolveDataDir(dataDir), appVersion: APP_VERSION },
    async ({ context }) => {
      requireCurrentSchema(context)
      // Progress goes to stderr, so --json output stays one object on stdout.
      return downloadCandles(context, {
        ...request,
        onProgress: (progress) =>
          process.stderr.write(
            `progress: ${progress.received} candles, ${Math.round((progress.done / Math.max(progress.total, 1)) * 100)}%\n`,
          ),
      })
    },
  )
  return {
    json: result,
    text: `${result.received.toLocaleString('en-US')} ${result.timeframe} candles of ${result.symbol} from ${EXCHANGES[result.exchange].label}, ${result.from} to ${result.to}: ${result.inserted.toLocaleString('en-US')} new, ${(result.received - result.inserted).toLocaleString('en-US')} already stored (${result.requests} requests, ${result.retries} retried).`,
  }
}
