import { createReadStream } from 'node:fs'

export interface BoundedLine {
  /** The line without its ending; a line past the limit is cut to `maxChars + 1` characters, so the caller sees that it was too long. */
  text: string
  number: number
}

/**
 * A text file's lines, streamed. Unlike readline, which holds a whole line in memory
 * before handing it over, this keeps at most `maxChars + 1` characters of any line and
 * skips the rest of a longer one: a 600 MB file with no line break costs a few KB.
 */
export async function* boundedLines(
  path: string,
  maxChars: number,
  onBytesRead?: (bytesRead: number) => void,
): AsyncGenerator<BoundedLine> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 })
  let pending = ''
  let overflowing = false
  let number = 0
  const finish = (text: string): BoundedLine => {
    number++
    return { text: text.endsWith('\r') ? text.slice(0, -1) : text, number }
  }
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      let start = 0
      for (;;) {
        const end = chunk.indexOf('\n', start)
        const piece = end === -1 ? chunk.slice(start) : chunk.slice(start, end)
        if (!overflowing) {
          pending += piece
          if (pending.length > maxChars + 1) {
            pending = pending.slice(0, maxChars + 1)
            overflowing = true
          }
        }
        if (end === -1) break
        yield finish(pending)
        pending = ''
        overflowing = false
        start = end + 1
      }
      onBytesRead?.(stream.bytesRead)
    }
    if (pending !== '' || overflowing) yield finish(pending)
  } finally {
    stream.destroy()
  }
}
