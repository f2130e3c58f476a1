import { createReadStream } from 'node:fs'
import { sizeInWords } from '../../platform/files/readable-file'
import { ImportFileError } from './history-batch'

/*
 * An order-history JSON file is checked chunk by chunk, before it is parsed, so that no
 * file can make the parser build more than these limits allow: JSON.parse of a 100 MB
 * list of zeros builds 50 million values, a nesting 100,000 deep overflows the stack
 * when the record is written, and a 200 MB string is a 400 MB string in memory.
 */

/** The largest order-history file the old desk wrote was a few MB; this is a decade of busy trading. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024
/** Records are objects in a list, perhaps under a key, with a few nested fields: 16 levels is far beyond any. */
export const MAX_JSON_DEPTH = 16
/** A text field (a symbol, a tag, a note) longer than this is not order history. */
export const MAX_JSON_STRING_CHARS = 64 * 1024
/** A number with more characters than this is no price or quantity. */
export const MAX_JSON_NUMBER_CHARS = 64
/** Records in one file; more would be held in memory at once while they are checked. */
export const MAX_JSON_RECORDS = 200_000

/** Follows a JSON text's strings and nesting without building any value; `feed` answers the first limit crossed. */
export class JsonShapeScanner {
  private depth = 0
  /** The container at each level: true for a list. */
  private readonly lists: boolean[] = []
  private inString = false
  private escaped = false
  private stringChars = 0
  private scalarChars = 0
  private records = 0
  line = 1

  feed(chunk: string): string | null {
    for (let index = 0; index < chunk.length; index++) {
      const char = chunk.charCodeAt(index)
      if (char === 10) this.line++
      if (this.inString) {
        if (this.escaped) this.escaped = false
        else if (char === 92) this.escaped = true
        else if (char === 34) this.inString = false
        if (++this.stringChars > MAX_JSON_STRING_CHARS)
          return `a text field is longer than ${MAX_JSON_STRING_CHARS.toLocaleString('en-US')} characters`
        continue
      }
      switch (char) {
        case 34: // "
          this.inString = true
          this.stringChars = 0
          this.scalarChars = 0
          break
        case 91: // [
        case 123: // {
          this.scalarChars = 0
          this.lists.push(char === 91)
          if (++this.depth > MAX_JSON_DEPTH) return `the data is nested more than ${MAX_JSON_DEPTH} levels deep`
          if (char === 91 && this.depth <= 2) this.records++
          break
        case 93: // ]
        case 125: // }
          this.scalarChars = 0
          this.lists.pop()
          this.depth--
          break
        case 44: // ,
          this.scalarChars = 0
          if (this.lists[this.depth - 1] && this.depth <= 2 && ++this.records > MAX_JSON_RECORDS)
            return `it holds more than ${MAX_JSON_RECORDS.toLocaleString('en-US')} records; split it into several files`
          break
        case 32:
        case 9:
        case 10:
        case 13:
        case 58: // :
          this.scalarChars = 0
          break
        default:
          if (++this.scalarChars > MAX_JSON_NUMBER_CHARS)
            return `a value is longer than ${MAX_JSON_NUMBER_CHARS} characters, which no number is`
      }
    }
    return null
  }
}

/** The file's text, refused as soon as a chunk crosses a limit; only a file within every limit is held whole. */
export async function readBoundedJsonText(path: string, fileName: string): Promise<string> {
  const scanner = new JsonShapeScanner()
  const chunks: string[] = []
  let bytes = 0
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 })
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      bytes = stream.bytesRead
      if (bytes > MAX_JSON_BYTES)
        throw new ImportFileError(
          `${fileName} is larger than ${sizeInWords(MAX_JSON_BYTES)}, the most one order-history file may hold; split it into several files.`,
        )
      const problem = scanner.feed(chunk)
      if (problem) throw new ImportFileError(`${fileName}, line ${scanner.line}: nothing was imported: ${problem}.`)
      chunks.push(chunk)
    }
  } finally {
    stream.destroy()
  }
  return chunks.join('')
}
