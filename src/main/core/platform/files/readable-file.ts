import { statSync } from 'node:fs'

/**
 * Why a path given for reading cannot be read as a file, in words; null when it can.
 * A device such as /dev/zero or /dev/urandom never ends, a pipe may never end and a
 * folder is not data, so each is refused before a byte is read.
 */
export function whyNotAFile(path: string, name: string, maxBytes: number): string | null {
  let stats
  try {
    stats = statSync(path)
  } catch {
    return `${name} cannot be found or opened.`
  }
  if (stats.isDirectory()) return `${name} is a folder, not a file.`
  if (!stats.isFile())
    return `${name} is not a regular file (a device, pipe or socket never ends), so it cannot be read.`
  if (stats.size > maxBytes)
    return `${name} is ${sizeInWords(stats.size)}, larger than the ${sizeInWords(maxBytes)} this reader takes; split it into several files.`
  return null
}

export function sizeInWords(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${+(bytes / 1024 ** 3).toFixed(1)} GiB`
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MiB`
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`
  return `${bytes} bytes`
}
