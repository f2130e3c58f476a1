import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

export interface Child {
  process: ChildProcess
  stdout(): string
  stderr(): string
  exited: Promise<number | null>
  waitForStderr(text: string): Promise<void>
}

/** Runs a TypeScript helper in a real OS process through tsx. */
export function runTsChild(script: string, args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, script), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  const waiters: { text: string; resolve(): void }[] = []
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
    for (const waiter of waiters.splice(0)) {
      if (stderr.includes(waiter.text)) waiter.resolve()
      else waiters.push(waiter)
    }
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return {
    process: child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForStderr: (text) =>
      new Promise<void>((resolve, reject) => {
        if (stderr.includes(text)) return resolve()
        waiters.push({ text, resolve })
        void exited.then(() => reject(new Error(`child exited before printing "${text}": ${stderr}`)))
      }),
  }
}
