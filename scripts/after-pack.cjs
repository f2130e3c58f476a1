'use strict'
// electron-builder's afterPack hook: flips Electron's fuses in the packaged
// binary before it is signed, so the shipped app cannot be turned into a plain
// Node runtime or started with a debugger, and loads only its own, checked asar.
const { join } = require('node:path')

// electron-builder's Arch.arm64, without loading electron-builder into the hook.
const ARCH_ARM64 = 3

/** The fuse settings every package ships with; tests/unit/packaging.test.ts pins them. */
function fuseSettings(FuseV1Options, FuseVersion) {
  return {
    version: FuseVersion.V1,
    // `ELECTRON_RUN_AS_NODE=1 Tradedeck` would otherwise be a Node.js with the app's entitlements.
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.EnableCookieEncryption]: true,
  }
}

/** Where electron-builder left the Electron binary for this platform. */
function packagedExecutable(context) {
  const name = context.packager.appInfo.productFilename
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(context.appOutDir, `${name}.app`)
    case 'win32':
      return join(context.appOutDir, `${name}.exe`)
    default:
      return join(context.appOutDir, context.packager.executableName)
  }
}

async function afterPack(context) {
  const { flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses')
  await flipFuses(packagedExecutable(context), {
    ...fuseSettings(FuseV1Options, FuseVersion),
    // macOS checks the signature afterwards; arm64 binaries must be re-signed ad hoc once the fuses change.
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === ARCH_ARM64,
  })
}

module.exports = afterPack
module.exports.default = afterPack
module.exports.fuseSettings = fuseSettings
module.exports.packagedExecutable = packagedExecutable
