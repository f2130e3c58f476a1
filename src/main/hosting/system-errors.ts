import { errorMessage } from '../../shared/errors'
/**
 * The operating system's and SQLite's own words ("EEXIST", "attempt to write
 * a readonly database") turned into what went wrong with which path.
 */
export function describeSystemError(error: unknown, dataDir: string): string | null {
  const code = (error as { code?: unknown }).code
  const message = errorMessage(error)
  const path =
    typeof (error as { path?: unknown }).path === 'string' ? ((error as { path: string }).path as string) : dataDir
  if (code === 'EEXIST' || code === 'ENOTDIR')
    return `${dataDir} cannot be used as a data directory: ${path} is a file where a folder must be.`
  if (code === 'EACCES' || code === 'EPERM')
    return `Tradedeck may not use ${path}: permission denied. Choose a folder this user owns, or fix its permissions.`
  if (code === 'ENOSPC') return `The disk holding ${path} is full. Free some space and try again.`
  if (code === 'EROFS') return `${path} is on a read-only file system.`
  if (/attempt to write a readonly database/i.test(message))
    return `The database in ${dataDir} is read-only for this user (the file or its folder). Nothing was changed.`
  if (/unable to open database file/i.test(message))
    return `The database in ${dataDir} cannot be opened: the folder is missing, not a folder, or not writable for this user.`
  return null
}

/** --data-dir as given on the command line, for error messages written after parsing failed or never ran. */
export function dataDirArgument(argv: string[]): string | undefined {
  const index = argv.indexOf('--data-dir')
  if (index >= 0) return argv[index + 1]
  return argv.find((arg) => arg.startsWith('--data-dir='))?.slice('--data-dir='.length)
}
