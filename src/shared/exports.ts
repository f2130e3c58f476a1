/**
 * The files Tradedeck writes to the data folder's exports/ and hands out as downloads in
 * browser mode: its own names, with a UTC stamp. Nothing else there is ever served.
 */
export const EXPORT_FILE_NAME =
  /^(decisions-[0-9TZ]+\.csv|candle-import-problems-[0-9TZ]+\.txt|backtest-trades-[0-9TZ]+\.csv|backtest-stats-[0-9TZ]+\.json)$/

/** The browser-mode address of an export, from the path the core wrote it to. */
export function exportDownloadPath(path: string): string {
  const name = path.split(/[\\/]/).at(-1) ?? ''
  return `/exports/${encodeURIComponent(name)}`
}
