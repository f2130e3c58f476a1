import { spawn } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { acquireInstanceLock, DataDirLockedError } from '../../src/main/core/platform/files/instance-lock'
import { makeTempDir } from '../helpers/temp-dir'

const holdLockScript = (dir: string) => `
  const Database = require('better-sqlite3');
  const db = new Database(${JSON.stringify(dir + '/tradedeck.lock')});
  db.pragma('locking_mode = EXCLUSIVE');
  db.exec('CREATE TABLE IF NOT EXISTS owner (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL)');
  db.prepare('INSERT OR REPLACE INTO owner VALUES (1, ?)').run(process.pid);
  process.stdout.write('locked\\n');
  setInterval(() => {}, 1000);
`

describe('data directory lock', () => {
  const dirs: ReturnType<typeof makeTempDir>[] = []
  afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()))

  it('lets one owner in and tells the second who holds it', () => {
    const dir = makeTempDir()
    dirs.push(dir)
    const first = acquireInstanceLock(dir.path, 'browser')
    try {
      expect(() => acquireInstanceLock(dir.path, 'cli')).toThrow(DataDirLockedError)
      expect(() => acquireInstanceLock(dir.path, 'cli')).toThrow(new RegExp(`in use by browser \\(pid ${process.pid}`))
    } finally {
      first.release()
    }
    acquireInstanceLock(dir.path, 'cli').release()
  })

  it('is free again after its owner is killed with SIGKILL', async () => {
    const dir = makeTempDir()
    dirs.push(dir)
    const child = spawn(process.execPath, ['-e', holdLockScript(dir.path)], { stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
    expect(() => acquireInstanceLock(dir.path, 'cli')).toThrow(DataDirLockedError)
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    const lock = acquireInstanceLock(dir.path, 'cli')
    lock.release()
  })
})
