import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { FuseV1Options, FuseVersion } from '@electron/fuses'
import { describe, expect, it } from 'vitest'

// Packaging needs the Electron binary, which this machine cannot download; these pin what a package would be built with.
const ROOT = join(__dirname, '..', '..')
const load = createRequire(__filename)
const config = load(join(ROOT, 'electron-builder.config.cjs'))
const afterPack = load(join(ROOT, 'scripts', 'after-pack.cjs'))

describe('desktop packaging', () => {
  it('builds AppImage and deb, dmg and nsis from the built app in an asar, with the Electron build of better-sqlite3', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.mac.target).toEqual(['dmg'])
    expect(config.win.target).toEqual(['nsis'])
    expect(config.asar).toBe(true)
    expect(config.files).toContain('out/**/*')
    expect(config.npmRebuild).toBe(false)
    expect(config.extraResources).toEqual([
      { from: '.electron-native/better_sqlite3.node', to: 'native/better_sqlite3.node' },
    ])
    // The app looks for it exactly there once packaged.
    expect(readFileSync(join(ROOT, 'src', 'main', 'electron', 'native-binding.ts'), 'utf8')).toContain(
      "join(process.resourcesPath, 'native', 'better_sqlite3.node')",
    )
    expect(existsSync(config.afterPack)).toBe(true)
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.package).toContain('rebuild:electron')
  })

  it('has an icon in every format, made from the one SVG', () => {
    const magic = (file: string, bytes: number) => readFileSync(join(ROOT, file)).subarray(0, bytes)
    expect(magic(config.linux.icon, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    expect(magic(config.mac.icon, 4).toString('latin1')).toBe('icns')
    expect(magic(config.win.icon, 4)).toEqual(Buffer.from([0, 0, 1, 0]))
    expect(readFileSync(join(ROOT, 'src', 'renderer', 'public', 'favicon.svg'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'resources', 'icon.svg'), 'utf8'),
    )
  })

  it('flips the fuses: no running as Node, no NODE_OPTIONS, no inspector, asar only and integrity-checked, cookies encrypted', () => {
    expect(afterPack.fuseSettings(FuseV1Options, FuseVersion)).toEqual({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableCookieEncryption]: true,
    })
  })

  it('finds the packaged binary on every platform', () => {
    const context = (platform: string) => ({
      electronPlatformName: platform,
      appOutDir: '/out',
      packager: { appInfo: { productFilename: 'Tradedeck' }, executableName: 'tradedeck' },
    })
    expect(afterPack.packagedExecutable(context('linux'))).toBe(join('/out', 'tradedeck'))
    expect(afterPack.packagedExecutable(context('win32'))).toBe(join('/out', 'Tradedeck.exe'))
    expect(afterPack.packagedExecutable(context('darwin'))).toBe(join('/out', 'Tradedeck.app'))
  })
})
