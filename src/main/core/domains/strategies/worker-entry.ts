import { join } from 'node:path'

/** Where the strategy worker's code is, and how Node must start it. */
export interface WorkerEntry {
  path: string
  execArgv: string[]
}

/** The worker bundled next to the host's entry file (out/main/strategy-worker.js). */
export function bundledWorkerEntry(hostDir: string): WorkerEntry {
  return { path: join(hostDir, 'strategy-worker.js'), execArgv: [] }
}
