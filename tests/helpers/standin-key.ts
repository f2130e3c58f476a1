/**
 * A key and secret as long as the exchanges issue (64 characters, Binance's length and
 * past every other's minimum), ending in the readable tag the tests and labels name.
 */
export function standinKey(apiKeyTag: string, secretTag: string): { apiKey: string; secret: string } {
  const full = (tag: string, fill: string) => fill.repeat(Math.max(0, 64 - tag.length)) + tag
  return { apiKey: full(apiKeyTag, 'K'), secret: full(secretTag, 's') }
}
