'use strict'
// Desktop packages: `npm run package` builds the app, rebuilds better-sqlite3 for
// Electron's ABI, then runs electron-builder with this configuration.
const { join } = require('node:path')

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'app.tradedeck.desktop',
  productName: 'Tradedeck',
  copyright: 'Copyright © Tradedeck',
  directories: { output: 'release', buildResources: 'resources' },
  // The built app only: sources, tests and benchmarks stay out of the package.
  files: ['out/**/*', 'package.json', '!**/*.map'],
  asar: true,
  // The renderer, migrations manifest and workers are bundled into out/; node_modules keeps better-sqlite3 for the CLI.
  asarUnpack: ['**/*.node'],
  // better-sqlite3 built for Electron by scripts/rebuild-electron.cjs; src/main/electron/native-binding.ts loads it from here.
  extraResources: [{ from: '.electron-native/better_sqlite3.node', to: 'native/better_sqlite3.node' }],
  // The Electron build of better-sqlite3 is made by rebuild:electron; node_modules stays built for Node.
  npmRebuild: false,
  afterPack: join(__dirname, 'scripts', 'after-pack.cjs'),
  linux: { target: ['AppImage', 'deb'], icon: 'resources/icon.png', category: 'Finance', maintainer: 'Tradedeck' },
  deb: { depends: ['libnss3', 'libgtk-3-0'] },
  mac: { target: ['dmg'], icon: 'resources/icon.icns', category: 'public.app-category.finance', hardenedRuntime: true },
  win: { target: ['nsis'], icon: 'resources/icon.ico' },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
}
