import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { resolveStaticPath } from '../../src/main/hosting/static-files'
import { makeTempDir } from '../helpers/temp-dir'

describe('static file resolution', () => {
  const dir = makeTempDir()
  const root = join(dir.path, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<html>')
  writeFileSync(join(root, 'assets', 'app.js'), '')
  writeFileSync(join(dir.path, 'secret.txt'), 'secret')
  afterAll(() => dir.remove())

  it('serves files inside the renderer folder', () => {
    expect(resolveStaticPath(root, '/')).toBe(join(root, 'index.html'))
    expect(resolveStaticPath(root, '/assets/app.js')).toBe(join(root, 'assets', 'app.js'))
  })

  it('never escapes the renderer folder', () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/../../secret.txt',
      '/%00',
      '/%E0%A4%A',
      '/assets',
    ]) {
      expect(resolveStaticPath(root, path)).toBeNull()
    }
  })
})
