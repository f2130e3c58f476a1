'use strict'
// `npm start`: build, then the desktop app; browser mode when Electron cannot run here.
const { spawn, spawnSync } = require('node:child_process')
const { existsSync } = require('node:fs')
const { join } = require('node:path')
const { electronBinary, displayAvailable } = require('./electron-binary.cjs')

const root = join(__dirname, '..')
const args = process.argv.slice(2)

function build() {
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    { cwd: root, encoding: 'utf8' },
  )
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr)
    process.stderr.write('Tradedeck: the build failed (see above).\n')
    process.exit(1)
  }
}

function ensureElectronSqlite() {
  if (existsSync(join(root, '.electron-native', 'better_sqlite3.node'))) return true
  const result = spawnSync(process.execPath, [join(__dirname, 'rebuild-electron.cjs')], { cwd: root, stdio: 'inherit' })
  return result.status === 0
}

function startBrowserMode(reason) {
  console.log(`Tradedeck: ${reason}; starting browser mode instead.`)
  process.argv = [process.argv[0], join(root, 'bin', 'tradedeck.cjs'), 'serve', ...args]
  require(join(root, 'bin', 'tradedeck.cjs'))
}

build()
const binary = electronBinary()
if (!binary) {
  startBrowserMode('the Electron binary is not installed (it could not be downloaded)')
} else if (!displayAvailable()) {
  startBrowserMode('no display is available (DISPLAY/WAYLAND_DISPLAY is not set)')
} else if (!ensureElectronSqlite()) {
  startBrowserMode('better-sqlite3 could not be built for Electron (npm run rebuild:electron)')
} else {
  const dataDir = args.indexOf('--data-dir')
  const electronArgs = [join(root, 'out', 'main', 'index.js')]
  if (dataDir !== -1 && args[dataDir + 1]) electronArgs.push(`--data-dir=${args[dataDir + 1]}`)
  const child = spawn(binary, electronArgs, { cwd: root, stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code) => process.exit(code ?? 0))
}
