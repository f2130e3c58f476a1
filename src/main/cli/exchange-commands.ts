import { z } from 'zod'
import { EXCHANGE_IDS, UNTRADED_CERTIFICATION } from '../../shared/domain'
import { APP_VERSION } from '../core/platform/app-version'
import { resolveDataDir } from '../core/platform/files/data-dir'
import { certifyExchange } from '../core/domains/exchanges/certification'
import { EXCHANGES } from '../core/domains/exchanges/registry'
import { requireCurrentSchema, withMaintenanceCore } from '../core/wiring/maintenance'
import { UsageError } from '../hosting/command-line'
import type { CommandOutput } from './migration-commands'
import { profileNamed, profileOption } from './profile-option'

const certifyOptions = z
  .object({
    'data-dir': z.string().min(1).optional(),
    exchange: z.enum(EXCHANGE_IDS, { message: `--exchange must be one of ${EXCHANGE_IDS.join(', ')}` }),
    symbol: z.string().trim().min(1, '--symbol needs the instrument, e.g. BTCUSDT').max(64),
    environment: z.enum(['testnet', 'live']).default('testnet'),
    trade: z.boolean().default(false),
    'i-understand-this-trades-real-money': z.boolean().default(false),
    profile: profileOption,
  })
  .strict()

/**
 * `tradedeck exchange certify`: the steps a trader runs on testnet before going live, with the profile's key,
 * each printed as it ends (stderr), then all of them; exit code 1 when a step failed.
 */
export async function runExchangeCommand(
  subcommand: string | undefined,
  raw: Record<string, unknown>,
): Promise<CommandOutput & { failed: boolean }> {
  if (subcommand !== 'certify')
    throw new UsageError(
      subcommand
        ? `Unknown exchange command: ${subcommand}`
        : 'exchange needs a command: tradedeck exchange certify --exchange E --symbol S',
    )
  const parsed = certifyOptions.safeParse(raw)
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('; '))
  const options = parsed.data
  const result = await withMaintenanceCore(
    { dataDir: resolveDataDir(options['data-dir']), appVersion: APP_VERSION },
    async ({ context }) => {
      requireCurrentSchema(context)
      const user = await profileNamed(context.store, options.profile)
      return certifyExchange(context, user.id, {
        exchange: options.exchange,
        environment: options.environment,
        instrument: options.symbol,
        trade: options.trade,
        understandsRealMoney: options['i-understand-this-trades-real-money'],
        onStep: (step) => process.stderr.write(`${step.ok ? 'ok  ' : 'FAIL'}  ${step.name}\n`),
      })
    },
  )
  const label = `${EXCHANGES[result.exchange].label} ${result.environment}`
  const lines = result.steps.map((step) => `${step.ok ? 'ok  ' : 'FAIL'}  ${step.name}: ${step.detail}`)
  lines.push(
    result.passed
      ? `${label}: every step passed${result.traded ? '' : `; ${UNTRADED_CERTIFICATION}: add --trade for a round trip with its stop`}.`
      : `${label}: a step failed; nothing after it was tried.`,
  )
  return { json: result, text: lines.join('\n'), failed: !result.passed }
}
