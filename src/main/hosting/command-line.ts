import { z, ZodError } from 'zod'
import { errorMessage } from '../../shared/errors'
import { redactCredentials } from '../../shared/redact'
import { DataDirError, resolveDataDir } from '../core/platform/files/data-dir'
import { dataDirArgument, describeSystemError } from './system-errors'

/** A mistake in how the command was typed: exit code 2 and the usage text. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** Plain decimal digits only: '', ' ', 0x2, 1e3 and -1 are typing mistakes, not numbers. */
export const wholeNumber = (what: string, min = 0) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `must be ${what} written as plain digits, like ${Math.max(min, 7)}`)
    .transform(Number)
    .refine((value) => value >= min, `must be ${min} or more`)

function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const key = issue.path.join('.')
      if (issue.code === 'unrecognized_keys')
        return `${issue.keys.map((k) => `--${k}`).join(', ')} cannot be used with this command`
      return `${key ? `--${key}` : 'options'}: ${issue.message}`
    })
    .join('\n')
}

/**
 * Runs a command-line entry point and turns its outcome into an exit code:
 * 0 done, 1 failed (in words, credentials redacted; as JSON with --json),
 * 2 typed wrong. `main` resolves to null when it keeps running (browser mode).
 */
export function runEntryPoint(main: (argv: string[]) => Promise<number | null>, usage: string): void {
  const argv = process.argv.slice(2)
  main(argv).then(
    (code) => {
      if (code !== null) process.exitCode = code
    },
    (error: unknown) => {
      if (error instanceof UsageError || error instanceof ZodError) {
        const message = error instanceof ZodError ? describeZodError(error) : error.message
        process.stderr.write(`tradedeck: ${message}\n\n${usage}\n`)
        process.exitCode = 2
        return
      }
      const message = redactCredentials(
        (error instanceof DataDirError ? null : describeSystemError(error, resolveDataDir(dataDirArgument(argv)))) ??
          errorMessage(error),
      )
      const code = (error as { code?: unknown }).code
      if (argv.includes('--json'))
        process.stdout.write(
          JSON.stringify({ error: { code: typeof code === 'string' ? code : 'failed', message } }) + '\n',
        )
      process.stderr.write(`tradedeck: ${message}\n`)
      process.exitCode = 1
    },
  )
}
