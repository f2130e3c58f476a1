import { parseArgs } from 'node:util'
import { runEntryPoint, UsageError } from '../hosting/command-line'
import { runBacktestCommand } from './backtest-command'
import { isBackupCommand, runBackupCommand } from './backup-commands'
import { runDataCommand } from './data-commands'
import { runDoctorCommand } from './doctor-command'
import { runExchangeCommand } from './exchange-commands'
import { runImportCommand } from './import-command'
import { commandSchemas, runMigrationCommand, type MigrationCommand } from './migration-commands'
import { runPgCommand } from './pg-commands'
import { runPositionCommand } from './position-commands'
import { runSyncCommand } from './sync-commands'
import { USAGE } from './usage'

const OPTIONS = {
  'data-dir': { type: 'string' },
  pg: { type: 'string' },
  user: { type: 'string' },
  role: { type: 'string' },
  to: { type: 'string' },
  steps: { type: 'string' },
  version: { type: 'string' },
  kind: { type: 'string' },
  config: { type: 'string' },
  symbol: { type: 'string' },
  timeframe: { type: 'string' },
  from: { type: 'string' },
  csv: { type: 'string' },
  seed: { type: 'string' },
  candles: { type: 'string' },
  format: { type: 'string' },
  profile: { type: 'string' },
  exchange: { type: 'string' },
  environment: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'skip-invalid': { type: 'boolean' },
  trade: { type: 'boolean' },
  'i-understand-this-trades-real-money': { type: 'boolean' },
  id: { type: 'string' },
  percent: { type: 'string' },
  quantity: { type: 'string' },
  'stop-loss': { type: 'string' },
  'take-profit': { type: 'string' },
  distance: { type: 'string' },
  atr: { type: 'string' },
  'atr-period': { type: 'string' },
  'break-even-at': { type: 'string' },
  off: { type: 'boolean' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

function isMigrationCommand(command: string): command is MigrationCommand {
  return Object.hasOwn(commandSchemas, command)
}

async function main(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  const [command, ...rest] = parsed.positionals
  const { json, help, ...values } = parsed.values
  if (help) {
    process.stdout.write(USAGE + '\n')
    return 0
  }
  if (!command) throw new UsageError('No command given.')
  // bin/tradedeck.cjs hands `serve` to browser mode's own entry point; this one only sees it when run directly.
  if (command === 'serve') throw new UsageError('serve is browser mode: run it as `tradedeck serve`.')
  const takesFile = command === 'restore' || command === 'verify' || command === 'import'
  if (takesFile && rest.length === 0)
    throw new UsageError(
      command === 'import'
        ? 'import needs the file: tradedeck import <path>'
        : `${command} needs the backup file: tradedeck ${command} <file>`,
    )
  const hasSubcommand =
    command === 'pg' || command === 'sync' || command === 'data' || command === 'exchange' || command === 'position'
  const extra = takesFile || hasSubcommand ? rest.slice(1) : rest
  if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra[0]}`)
  let output
  let failed = false
  if (command === 'doctor') ({ failed, ...output } = await runDoctorCommand(values))
  else if (command === 'backtest') output = await runBacktestCommand(values)
  else if (command === 'import') output = await runImportCommand({ ...values, file: rest[0] })
  else if (command === 'pg') output = await runPgCommand(rest[0], values)
  else if (command === 'sync') output = await runSyncCommand(rest[0], values)
  else if (command === 'data') output = await runDataCommand(rest[0], values)
  else if (command === 'exchange') ({ failed, ...output } = await runExchangeCommand(rest[0], values))
  else if (command === 'position') output = await runPositionCommand(rest[0], values)
  else if (isBackupCommand(command))
    output = await runBackupCommand(command, { ...values, ...(takesFile ? { file: rest[0] } : {}) })
  else if (isMigrationCommand(command)) output = await runMigrationCommand(command, values)
  else throw new UsageError(`Unknown command: ${command}`)
  process.stdout.write((json ? JSON.stringify(output.json) : output.text) + '\n')
  return failed ? 1 : 0
}

runEntryPoint(main, USAGE)
