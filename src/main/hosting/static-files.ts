import { createReadStream, statSync, type ReadStream } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

/** Resolves a URL path inside `root`, or null when it escapes it or is missing. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '')
  const full = normalize(join(root, relative))
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return null
  try {
    return statSync(full).isFile() ? full : null
  } catch {
    return null
  }
}

export function sendFile(res: ServerResponse, path: string, headers: Record<string, string>): void {
  send(res, createReadStream(path), path, headers)
}

/** Sends a file already opened (and checked through its descriptor); the descriptor is closed when it is sent. */
export function sendOpenFile(res: ServerResponse, fd: number, name: string, headers: Record<string, string>): void {
  send(res, createReadStream('', { fd, autoClose: true }), name, headers)
}

function send(res: ServerResponse, stream: ReadStream, name: string, headers: Record<string, string>): void {
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
    'Cache-Control': name.endsWith('.html') ? 'no-store' : 'private, max-age=3600',
    ...headers,
  })
  // A file removed or unreadable between the stat and the read ends this response, not the process.
  stream.on('error', () => res.destroy())
  // A reader who goes away mid-file releases the file too.
  res.on('close', () => stream.destroy())
  stream.pipe(res)
}
