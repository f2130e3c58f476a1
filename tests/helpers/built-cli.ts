import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect } from 'vitest'

/** The built command line, as a trader runs it (`npm run build` makes it). */
export const CLI_BIN = join(__dirname, '..', '..', 'bin', 'tradedeck.cjs')

export function expectCliBuilt(): void {
  expect(existsSync(join(__dirname, '..', '..', 'out', 'main', 'cli.js')), 'run `npm run build` first').toBe(true)
}

/** Runs the built CLI to its end: its exit code and what it printed, whether it passed or failed. */
export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI_BIN, ...args])
    return { code: 0, stdout, stderr }
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string }
  }
}
