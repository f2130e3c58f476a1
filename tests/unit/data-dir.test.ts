import { existsSync, statSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { platformUserDataDir, resolveDataDir } from '../../src/main/core/platform/files/data-dir'
import { makePrivateDir } from '../../src/main/core/platform/files/private-files'
import { makeTempDir } from '../helpers/temp-dir'

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

  const temp = makeTempDir()
  afterAll(() => temp.remove())

  it('refuses a folder inside /proc, /sys or /dev in words, also through a link, and makes its own absolute', () => {
    for (const path of ['/proc/self/x', '/sys/kernel/tradedeck', '/dev/shm/tradedeck', '/proc'])
      expect(() => resolveDataDir(path, {})).toThrow(
        /is inside \/(proc|sys|dev), which holds the operating system's own entries, not data/,
      )
    const link = join(temp.path, 'looks-harmless')
    symlinkSync('/proc/self', link)
    expect(() => resolveDataDir(join(link, 'data'), {})).toThrow(/is inside \/proc/)
    expect(resolveDataDir('relative/data', {})).toBe(join(process.cwd(), 'relative/data'))
  })

  it('creates nested folders owner-only, and ends with an error where a parent takes no folders (recursive mkdir never returns under /proc)', () => {
    const nested = join(temp.path, 'a', 'b', 'c')
    makePrivateDir(nested)
    expect(existsSync(nested)).toBe(true)
    expect(statSync(nested).mode & 0o777).toBe(0o700)
    expect(() => makePrivateDir('/proc/self/tradedeck-data')).toThrow(/ENOENT/)
  })
})
