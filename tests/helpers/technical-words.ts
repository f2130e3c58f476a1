/** What no page may show: a channel name, a field path, a terminal flag or a system error code. */
export const TECHNICAL_WORDS: RegExp[] = [
  /\b[a-z]+:[a-z][A-Za-z]+\b/, // risk:update
  /\b[a-z]+[A-Z][A-Za-z]*\.[a-z]+[A-Z]?\w*\b|\bpatch\.\w+/, // patch.minConfidenceThreshold
  /(^|\s)--[a-z]/, // --format
  /\bE[A-Z]{4,}\b/, // ENOTFOUND
]
