import { createWriteStream } from 'node:fs'
import { once } from 'node:events'

export const CANDLE_CSV_HEADER = 'timestamp,open,high,low,close,volume'

function candleLine(index: number, start: number): string {
  const price = 100 + Math.sin(index / 50) * 5
  return `${new Date(start + index * 60_000).toISOString()},${price.toFixed(4)},${(price + 0.5).toFixed(4)},${(price - 0.5).toFixed(4)},${(price + 0.1).toFixed(4)},${(index % 97) + 1}`
}

/** One-minute candles as CSV text, one per line after the header. */
export function candleCsv(count: number, start = Date.UTC(2025, 0, 1)): string {
  const lines = [CANDLE_CSV_HEADER]
  for (let i = 0; i < count; i++) lines.push(candleLine(i, start))
  return lines.join('\n') + '\n'
}

/** The same, written straight to a file, for sizes that should never sit in the test's memory. */
export async function writeCandleCsvFile(
  path: string,
  count: number,
  options: { start?: number; badLineAt?: number } = {},
): Promise<void> {
  const out = createWriteStream(path)
  out.write(CANDLE_CSV_HEADER + '\n')
  for (let i = 0; i < count; i++) {
    const line = i === options.badLineAt ? 'not-a-time,1,1,1,1,1' : candleLine(i, options.start ?? Date.UTC(2020, 0, 1))
    if (!out.write(line + '\n')) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}
