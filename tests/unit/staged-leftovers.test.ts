import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { removeLeftoverStaged, stageCopy } from '../../src/main/core/domains/imports/staged-imports'
import { makeTempDir } from '../helpers/temp-dir'

const temp = makeTempDir()
afterAll(() => temp.remove())

it('removes, as the core opens, stale offers, uploads that never got their note and every candle upload; keeps fresh offers', () => {
  const folder = join(temp.path, 'imports')
  mkdirSync(folder)
  const write = (name: string) => writeFileSync(join(folder, name), 'x')
  write('history-fresh.data')
  write('history-fresh.json')
  write('history-noteless.data')
  write('history-old.data')
  write('history-old.json')
  write('upload-3f1c.csv')
  const twoDaysAgo = (Date.now() - 2 * 86_400_000) / 1000
  for (const name of ['history-old.data', 'history-old.json']) utimesSync(join(folder, name), twoDaysAgo, twoDaysAgo)

  expect(removeLeftoverStaged(temp.path)).toBe(4)
  expect(readdirSync(folder).sort()).toEqual(['history-fresh.data', 'history-fresh.json'])
})

it('refuses to stage a device or a folder the desktop picker was given, copying nothing', () => {
  const dataDir = join(temp.path, 'desk')
  expect(() => stageCopy(dataDir, '/dev/zero', 'zero', 'profile')).toThrow(
    'zero is not a regular file (a device, pipe or socket never ends), so it cannot be read.',
  )
  expect(() => stageCopy(dataDir, temp.path, 'folder', 'profile')).toThrow('folder is a folder, not a file.')
  expect(existsSync(join(dataDir, 'imports'))).toBe(false)
})
