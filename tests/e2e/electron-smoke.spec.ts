import { _electron as electron, expect, test } from '@playwright/test'
import { join } from 'node:path'
import { makeTempDir } from '../helpers/temp-dir'
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { electronBinary, displayAvailable } = require('../../scripts/electron-binary.cjs') as {
  electronBinary(): string | null
  displayAvailable(): boolean
}

const binary = electronBinary()
const skipReason = !binary
  ? 'the Electron binary is not installed (it could not be downloaded on this machine)'
  : !displayAvailable()
    ? 'no display is available (set DISPLAY or run under xvfb-run)'
    : null

test('desktop app opens the Overview with the database status', async () => {
  if (skipReason) {
    console.log(`Electron smoke test skipped: ${skipReason}.`)
    test.skip(true, skipReason)
  }
  const dataDir = makeTempDir()
  const app = await electron.launch({
    executablePath: binary as string,
    args: [join(__dirname, '..', '..', 'out', 'main', 'index.js'), `--data-dir=${dataDir.path}`],
  })
  try {
    const window = await app.firstWindow()
    await expect(window.getByTestId('quick-check')).toHaveText('Integrity ok')
    await window.screenshot({ path: 'test-results/electron-overview.png' })
  } finally {
    await app.close()
    dataDir.remove()
  }
})
