import { describe, expect, it } from 'vitest'
import { platformUserDataDir, resolveDataDir } from '../../src/main/core/platform/files/data-dir'

describe('data directory', () => {
  it('matches Electron userData for an app named Tradedeck', () => {
    expect(platformUserDataDir('linux', {}, '/home/t')).toBe('/home/t/.config/Tradedeck')
    expect(platformUserDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/t')).toBe('/xdg/Tradedeck')
    expect(platformUserDataDir('darwin', {}, '/Users/t')).toBe('/Users/t/Library/Application Support/Tradedeck')
    expect(platformUserDataDir('win32', { APPDATA: 'C:\\Users\\t\\AppData\\Roaming' }, 'C:\\Users\\t')).toContain(
      'Tradedeck',
    )
  })

  it('prefers the flag, then TRADEDECK_DATA_DIR, then the platform folder', () => {
    expect(resolveDataDir('/flag', { TRADEDECK_DATA_DIR: '/env' })).toBe('/flag')
    expect(resolveDataDir(undefined, { TRADEDECK_DATA_DIR: '/env' })).toBe('/env')
    expect(resolveDataDir(undefined, {}, () => '/platform')).toBe('/platform')
  })
})
