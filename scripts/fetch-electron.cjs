'use strict'
// Electron's own postinstall is disabled in package.json (allowScripts), because
// a failed download would fail the whole install on an offline machine. This
// runs the same download, and an offline machine just carries on without it.
const { spawnSync } = require('node:child_process')
const { join } = require('node:path')
const { electronBinary } = require('./electron-binary.cjs')

if (electronBinary() || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) process.exit(0)

let installer
try {
  installer = require.resolve('electron/install.js')
} catch {
  process.exit(0)
}
const result = spawnSync(process.execPath, [installer], {
  cwd: join(installer, '..'),
  stdio: ['ignore', 'ignore', 'pipe'],
  timeout: 5 * 60 * 1000,
})
if (result.status === 0 && electronBinary()) {
  console.log('Electron binary installed.')
} else {
  const reason = (result.stderr?.toString().match(/(ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN)[^\n]*/) ?? [
    result.error?.message ?? 'download failed',
  ])[0]
  console.log(
    `Electron binary could not be downloaded (${reason}); the desktop app is unavailable here, and npm start will use browser mode.`,
  )
}
