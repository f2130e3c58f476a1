import { test } from '@playwright/test'
import { startBrowserMode, type RunningBrowserMode } from '../helpers/browser-mode'
import { makeTempDir } from '../helpers/temp-dir'

export interface BrowserModeSuite {
  /** The running app; a test that kills and restarts it assigns the new one here. */
  app: RunningBrowserMode
  dataDir: string
}

/** Browser mode on a fresh data directory for the enclosing describe block, stopped and removed after it. */
export function browserModeSuite(
  start: (dataDir: string) => Promise<RunningBrowserMode> = startBrowserMode,
): BrowserModeSuite {
  const suite = {} as BrowserModeSuite
  let temp: ReturnType<typeof makeTempDir> | undefined
  test.beforeAll(async () => {
    temp = makeTempDir()
    suite.dataDir = temp.path
    suite.app = await start(temp.path)
  })
  test.afterAll(async () => {
    await suite.app?.stop()
    temp?.remove()
  })
  return suite
}
