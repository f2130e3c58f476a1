'use strict'
// Builds a copy of better-sqlite3 for Electron's ABI into .electron-native/,
// leaving node_modules built for Node so tests and the CLI keep working.
// Packaging copies .electron-native/better_sqlite3.node to resources/native/.
const { spawnSync } = require('node:child_process')
const { cpSync, mkdirSync, mkdtempSync, copyFileSync, rmSync } = require('node:fs')
const { tmpdir } = require('node:os')
const { join, dirname } = require('node:path')

const root = join(__dirname, '..')
const electronVersion = require('electron/package.json').version
const nodeGyp =
  process.env.npm_config_node_gyp ||
  join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')
const work = mkdtempSync(join(tmpdir(), 'tradedeck-electron-sqlite-'))

try {
  cpSync(join(root, 'node_modules', 'better-sqlite3'), work, {
    recursive: true,
    filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`),
  })
  const env = { ...process.env }
  // A user-level nodedir would point node-gyp at Node's headers instead of Electron's.
  for (const key of Object.keys(env)) if (key.toLowerCase() === 'npm_config_nodedir') delete env[key]
  const result = spawnSync(
    process.execPath,
    [
      nodeGyp,
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      '--runtime=electron',
      '--dist-url=https://electronjs.org/headers',
      '--nodedir=',
    ],
    { cwd: work, env, stdio: 'inherit' },
  )
  if (result.status !== 0) {
    console.error(
      `Could not build better-sqlite3 for Electron ${electronVersion} (Electron's headers must be downloadable).`,
    )
    process.exit(1)
  }
  mkdirSync(join(root, '.electron-native'), { recursive: true })
  copyFileSync(
    join(work, 'build', 'Release', 'better_sqlite3.node'),
    join(root, '.electron-native', 'better_sqlite3.node'),
  )
  console.log(`better-sqlite3 built for Electron ${electronVersion} in .electron-native/.`)
} finally {
  rmSync(work, { recursive: true, force: true })
}
