import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { boundedLines } from '../../src/main/core/platform/files/bounded-lines'
import { whyNotAFile } from '../../src/main/core/platform/files/readable-file'
import {
  JsonShapeScanner,
  MAX_JSON_DEPTH,
  MAX_JSON_RECORDS,
  MAX_JSON_STRING_CHARS,
  readBoundedJsonText,
} from '../../src/main/core/domains/imports/json-limits'
import { makeTempDir } from '../helpers/temp-dir'

const temp = makeTempDir()
afterAll(() => temp.remove())
let files = 0
const fileWith = (content: string | Buffer) => {
  const path = join(temp.path, `file-${++files}`)
  writeFileSync(path, content)
  return path
}

async function linesOf(path: string, maxChars: number): Promise<string[]> {
  const lines: string[] = []
  for await (const line of boundedLines(path, maxChars)) lines.push(line.text)
  return lines
}

/** What readline gives for the same text (crlfDelay: Infinity): the reference for lines within the limit. */
function referenceLines(text: string): string[] {
  if (text === '') return []
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
  if (text.endsWith('\n')) lines.pop()
  return lines
}

describe('the bounded line reader', () => {
  it('gives the same lines as readline for any text whose lines are within the limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.string({ unit: 'binary', maxLength: 40 }).map((line) => line.replace(/[\r\n]/g, '')),
          {
            maxLength: 30,
          },
        ),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        async (lines, ending, finalEnding) => {
          const text = lines.join(ending) + (finalEnding && lines.length > 0 ? ending : '')
          expect(await linesOf(fileWith(text), 64)).toEqual(referenceLines(text))
        },
      ),
      { numRuns: 60 },
    )
  })

  it('cuts a longer line to one character past the limit and carries on with the next, holding no more of it', async () => {
    const path = fileWith(`short\n${'x'.repeat(100_000)}\nafter\n${'y'.repeat(50)}`)
    expect(await linesOf(path, 10)).toEqual(['short', 'x'.repeat(11), 'after', 'y'.repeat(11)])
  })
})

describe('the JSON shape scanner', () => {
  it('passes every JSON document within the limits, in any chunking, and never throws on any text', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'small', maxDepth: 6 }), fc.integer({ min: 1, max: 50 }), (json, chunk) => {
        const scanner = new JsonShapeScanner()
        let problem: string | null = null
        for (let start = 0; start < json.length && problem === null; start += chunk)
          problem = scanner.feed(json.slice(start, start + chunk))
        expect(problem).toBeNull()
      }),
    )
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const result = new JsonShapeScanner().feed(text)
        expect(result === null || typeof result === 'string').toBe(true)
      }),
    )
  })

  it('stops at the depth, text and record limits, before the document is held', () => {
    expect(new JsonShapeScanner().feed('['.repeat(MAX_JSON_DEPTH))).toBeNull()
    expect(new JsonShapeScanner().feed('['.repeat(MAX_JSON_DEPTH + 1))).toMatch(/nested more than 16 levels/)
    expect(new JsonShapeScanner().feed(`["${'a'.repeat(MAX_JSON_STRING_CHARS + 1)}"]`)).toMatch(/text field is longer/)
    expect(new JsonShapeScanner().feed(`[${'0,'.repeat(MAX_JSON_RECORDS)}0]`)).toMatch(/more than 200,000 records/)
    expect(new JsonShapeScanner().feed(`{"trades": [${'{},'.repeat(MAX_JSON_RECORDS)}{}]}`)).toMatch(/records/)
    // A record's own lists are fields, not records.
    expect(new JsonShapeScanner().feed(`[{"tags": [${'0,'.repeat(MAX_JSON_RECORDS)}0]}]`)).toBeNull()
    expect(new JsonShapeScanner().feed(`[${'9'.repeat(100)}]`)).toMatch(/no number is/)
  })

  it('refuses a 100 MB list of zeros after reading its first megabyte, naming the line and the limit', async () => {
    const path = fileWith(Buffer.alloc(100 * 1024 * 1024, '0,'))
    writeFileSync(path, '[', { flag: 'r+' })
    await expect(readBoundedJsonText(path, 'trades_history.json')).rejects.toThrow(
      /^trades_history\.json, line 1: nothing was imported: it holds more than 200,000 records; split it into several files\.$/,
    )
  })
})

describe('files that are not files', () => {
  it('refuses devices, folders and missing paths in words, and a file past the limit with both sizes', () => {
    expect(whyNotAFile('/dev/zero', 'zero', 1024)).toMatch(/not a regular file/)
    expect(whyNotAFile('/dev/urandom', 'urandom', 1024)).toMatch(/not a regular file/)
    expect(whyNotAFile(temp.path, 'it', 1024)).toBe('it is a folder, not a file.')
    expect(whyNotAFile(join(temp.path, 'nothing'), 'nothing', 1024)).toMatch(/cannot be found/)
    expect(whyNotAFile(fileWith('x'.repeat(2048)), 'big.csv', 1024)).toBe(
      'big.csv is 2 KiB, larger than the 1 KiB this reader takes; split it into several files.',
    )
  })
})
