import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ZodError } from 'zod'
import { serve } from './serve'
import { USAGE, UsageError } from './usage'

const OPTIONS = {
  'data-dir': { type: 'string' },
  port: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const

async function main(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  const [command, ...rest] = parsed.positionals
  if (parsed.values.help || !command) {
    process.stdout.write(USAGE + '\n')
    return command || parsed.values.help ? 0 : 2
  }
  if (rest.length > 0) throw new UsageError(`Unexpected argument: ${rest[0]}`)
  const { json: _json, help: _help, ...values } = parsed.values
  switch (command) {
    case 'serve':
      await serve(values, join(__dirname, '..', 'renderer'))
      return -1
    default:
      throw new UsageError(`Unknown command: ${command}`)
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ZodError) {
      const message = error instanceof ZodError ? error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n') : error.message
      process.stderr.write(`tradedeck: ${message}\n\n${USAGE}\n`)
      process.exitCode = 2
      return
    }
    process.stderr.write(`tradedeck: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  },
)
