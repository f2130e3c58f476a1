import { closeSync, constants, fstatSync, lstatSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { EXPORTS_DIR_NAME } from '../core/platform/files/data-dir'
import { EXPORT_FILE_NAME } from '../../shared/exports'

/**
 * Opens an export for download only if it is what Tradedeck wrote there: a name of
 * its own, in the data folder's own exports/ (not a link to elsewhere), and a regular
 * file of this user's with a single name. A symbolic link named like an export, or a
 * hard link to the key file, is refused. The file is opened without following links
 * and checked through the open descriptor, so it cannot be swapped in between.
 */
export function openExport(dataDir: string, name: string): { fd: number; size: number } | null {
  if (!EXPORT_FILE_NAME.test(name)) return null
  const folder = join(dataDir, EXPORTS_DIR_NAME)
  let fd: number
  try {
    if (!lstatSync(folder).isDirectory()) return null
    fd = openSync(join(folder, name), constants.O_RDONLY | constants.O_NOFOLLOW)
  } catch {
    return null
  }
  const stats = fstatSync(fd)
  const ours = typeof process.getuid !== 'function' || stats.uid === process.getuid()
  if (!stats.isFile() || stats.nlink !== 1 || !ours) {
    closeSync(fd)
    return null
  }
  return { fd, size: stats.size }
}
