import { Worker } from 'node:worker_threads'
import { nativeBindingInUse } from '../db/sqlite'
import { BACKUP_WORKER_SOURCE } from './worker-source'

export interface TaskProgress {
  done: number
  total: number
  step: string
}

interface Reply {
  id: number
  value?: unknown
  error?: string
  progress?: TaskProgress
}

interface Pending {
  resolve: (value: unknown) => void
  reject: (error: Error) => void
  onProgress?: (progress: TaskProgress) => void
}

/**
 * One backup worker thread. It holds the event loop open only while a task is
 * in flight, so a kept-alive worker never keeps a finished CLI process running.
 */
export class BackupWorker {
  private readonly worker: Worker
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private exited = false

  constructor() {
    this.worker = new Worker(BACKUP_WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), nativeBinding: nativeBindingInUse() },
    })
    this.worker.unref()
    this.worker.on('message', (reply: Reply) => this.settle(reply))
    this.worker.on('error', (error) => this.failAll(error))
    this.worker.on('exit', (code) => {
      this.exited = true
      this.failAll(new Error(`The backup worker stopped unexpectedly (exit code ${code}).`))
    })
  }

  get alive(): boolean {
    return !this.exited
  }

  run<T>(task: string, input: Record<string, unknown> = {}, onProgress?: (progress: TaskProgress) => void): Promise<T> {
    if (this.exited) return Promise.reject(new Error('The backup worker has stopped.'))
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress })
      if (this.pending.size === 1) this.worker.ref()
      this.worker.postMessage({ id, task, input })
    })
  }

  terminate(): Promise<number> {
    return this.worker.terminate()
  }

  private settle(reply: Reply): void {
    const pending = this.pending.get(reply.id)
    if (!pending) return
    if (reply.progress) {
      pending.onProgress?.(reply.progress)
      return
    }
    this.pending.delete(reply.id)
    if (this.pending.size === 0) this.worker.unref()
    if (reply.error !== undefined) pending.reject(new Error(reply.error))
    else pending.resolve(reply.value)
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error)
    this.pending.clear()
    this.worker.unref()
  }
}

// Two stay warm: a verified backup uses one to hold the snapshot and check it while the
// other copies. Starting a worker and loading SQLite into it costs tens of milliseconds.
const KEEP_WARM = 2
const idle: BackupWorker[] = []

/** Lends a worker for a sequence of tasks that share its state (a snapshot session). */
export async function withBackupWorker<T>(use: (worker: BackupWorker) => Promise<T>): Promise<T> {
  const worker = idle.pop() ?? new BackupWorker()
  try {
    return await use(worker)
  } finally {
    if (worker.alive && idle.length < KEEP_WARM) idle.push(worker)
    else void worker.terminate()
  }
}

export function runBackupTask<T>(
  task: string,
  input: Record<string, unknown>,
  onProgress?: (progress: TaskProgress) => void,
): Promise<T> {
  return withBackupWorker((worker) => worker.run<T>(task, input, onProgress))
}

/** Stops the warm workers (app shutdown, tests that count threads). */
export async function stopBackupWorkers(): Promise<void> {
  await Promise.all(idle.splice(0).map((worker) => worker.terminate()))
}
