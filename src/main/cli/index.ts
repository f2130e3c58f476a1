import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ZodError } from 'zod'
import { redactCredentials } from '../../shared/redact'
import { isBackupCommand, runBackupCommand } from './backup-commands'
import { runPgCommand } from './pg-commands'
import { runSyncCommand } from './sync-commands'
import { commandSchemas, runMigrationCommand, type MigrationCommand } from './migration-commands'
import { serve } from './serve'
import { dataDirArgument, describeSystemError } from './system-errors'
import { resolveDataDir } from '../core/data-dir'
import { USAGE, UsageError } from './usage'
import { errorMessage } from '../../shared/errors'

const OPTIONS = {
  'data-dir': { type: 'string' },
  pg: { type: 'string' },
  user: { type: 'string' },
  role: { type: 'string' },
  port: { type: 'string' },
  to: { type: 'string' },
  steps: { type: 'string' },
  version: { type: 'string' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

function isMigrationCommand(command: string): command is MigrationCommand {
  return Object.hasOwn(commandSchemas, command)
}

/** Returns the exit code, or null when the command keeps running (serve). */
async function main(argv: string[]): Promise<number | null> {
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
  const takesFile = command === 'restore' || command === 'verify'
  if (takesFile && rest.length === 0) throw new UsageError(`${command} needs the backup file: tradedeck ${command} <file>`)
  const hasSubcommand = command === 'pg' || command === 'sync'
  const extra = takesFile || hasSubcommand ? rest.slice(1) : rest
  if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra[0]}`)
  if (command === 'serve') {
    await serve(values, join(__dirname, '..', 'renderer'))
    return null
  }
  let output
  if (command === 'pg') output = await runPgCommand(rest[0], values)
  else if (command === 'sync') output = await runSyncCommand(rest[0], values)
  else if (isBackupCommand(command)) output = await runBackupCommand(command, { ...values, ...(takesFile ? { file: rest[0] } : {}) })
  else if (isMigrationCommand(command)) output = await runMigrationCommand(command, values)
  else throw new UsageError(`Unknown command: ${command}`)
  process.stdout.write((json ? JSON.stringify(output.json) : output.text) + '\n')
  return 0
}

function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const key = issue.path.join('.')
      if (issue.code === 'unrecognized_keys') return `${issue.keys.map((k) => `--${k}`).join(', ')} cannot be used with this command`
      return `${key ? `--${key}` : 'options'}: ${issue.message}`
    })
    .join('\n')
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== null) process.exitCode = code
  },
  (error: unknown) => {
    const wantsJson = process.argv.includes('--json')
    if (error instanceof UsageError || error instanceof ZodError) {
      const message = error instanceof ZodError ? describeZodError(error) : error.message
      process.stderr.write(`tradedeck: ${message}\n\n${USAGE}\n`)
      process.exitCode = 2
      return
    }
    const argv = process.argv.slice(2)
    const message = redactCredentials(describeSystemError(error, resolveDataDir(dataDirArgument(argv))) ?? (errorMessage(error)))
    const code = (error as { code?: unknown }).code
    if (wantsJson) process.stdout.write(JSON.stringify({ error: { code: typeof code === 'string' ? code : 'failed', message } }) + '\n')
    process.stderr.write(`tradedeck: ${message}\n`)
    process.exitCode = 1
  },
)
