import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

export interface RunningBrowserMode {
  url: string
  origin: string
  port: number
  token: string
  process: ChildProcess
  /** What the process has written to stderr so far (its log). */
  stderr(): string
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

const CLI = join(__dirname, '..', '..', 'bin', 'tradedeck.cjs')
const LINE = /^Tradedeck browser mode: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))$/m

/** Starts the built app's browser mode the way a user does, and reads its one URL line. */
export function startBrowserMode(dataDir: string, extraArgs: string[] = []): Promise<RunningBrowserMode> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env },
  })
  let stdout = ''
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`browser mode did not start in time.\nstdout: ${stdout}\nstderr: ${stderr}`)),
      30_000,
    )
    const exitedEarly = (code: number | null) => {
      clearTimeout(timer)
      reject(new Error(`browser mode exited with ${code}.\nstdout: ${stdout}\nstderr: ${stderr}`))
    }
    child.once('exit', exitedEarly)
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = LINE.exec(stdout)
      if (!match) return
      clearTimeout(timer)
      child.off('exit', exitedEarly)
      const port = Number(match[2])
      resolve({
        url: match[1] as string,
        origin: `http://127.0.0.1:${port}`,
        port,
        token: match[3] as string,
        process: child,
        stderr: () => stderr,
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null) child.kill(signal)
          return exited
        },
      })
    })
  })
}

/** Browser mode on a fresh data dir that already holds three ideas waiting for approval. */
export async function startSeededBrowserMode(dataDir: string): Promise<RunningBrowserMode> {
  execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'seed-ideas.ts'), dataDir], { stdio: 'inherit' })
  return startBrowserMode(dataDir)
}

/** Browser mode on a desk whose positions and trades carry float noise and twenty-digit fees (see seed-ideas.ts). */
export async function startAwkwardMoneyBrowserMode(dataDir: string): Promise<RunningBrowserMode> {
  execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'seed-ideas.ts'), dataDir, 'money'], {
    stdio: 'inherit',
  })
  return startBrowserMode(dataDir)
}

/** Browser mode holding one LIVE Bybit position (see seed-ideas.ts). */
export async function startLivePositionBrowserMode(dataDir: string): Promise<RunningBrowserMode> {
  execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'seed-ideas.ts'), dataDir, 'live-position'], {
    stdio: 'inherit',
  })
  return startBrowserMode(dataDir)
}

/** Browser mode whose queue holds a live idea, an idea about to expire, and a paper idea (see seed-ideas.ts). */
export async function startApprovalsBrowserMode(dataDir: string): Promise<RunningBrowserMode> {
  execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'seed-ideas.ts'), dataDir, 'approvals'], {
    stdio: 'inherit',
  })
  return startBrowserMode(dataDir)
}
