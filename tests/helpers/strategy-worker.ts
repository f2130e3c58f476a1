import { resolve } from 'node:path'
import type { WorkerEntry } from '../../src/main/core/domains/strategies/worker-entry'

/** The worker straight from source, through a bootstrap that registers tsx inside the thread. */
export const sourceWorkerEntry: WorkerEntry = {
  path: resolve(__dirname, 'strategy-worker-bootstrap.cjs'),
  execArgv: [],
}
