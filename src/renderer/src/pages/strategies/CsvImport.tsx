import { useState } from 'react'
import { CANDLE_TIMEFRAMES } from '../../../../shared/contract'
import { ProgressBar } from '../../components/ProgressBar'
import {
  picksFilesInMainProcess,
  useCandleImportStore,
  type CandleImportRequest,
  type ImportProgress,
} from '../../stores/candle-import-store'

/** The file naming every wrong line, when there were more than the message can show. */
const problemReport = (text: string) => /candle-import-problems-[0-9TZ]+\.txt/.exec(text)?.[0] ?? null

const PHASE_LABEL: Record<ImportProgress['phase'], string> = {
  uploading: 'Uploading',
  checking: 'Checking every line',
  importing: 'Importing',
  done: 'Imported',
  failed: 'Stopped',
}

/** Candles from a CSV file, for strategies and backtests to run on. Nothing is imported if any line is wrong. */
export function CsvImport() {
  const [symbol, setSymbol] = useState('BTC-USD')
  const [timeframe, setTimeframe] = useState<CandleImportRequest['timeframe']>('1m')
  const { progress, message, pickAndImport, upload } = useCandleImportStore()
  const busy = progress !== null
  return (
    <section className="panel" aria-label="Import candles from CSV">
      <h2>Import candles (CSV)</h2>
      <p className="muted">
        A header with timestamp, open, high, low, close and volume, then one candle per line. Nothing is imported if any
        line is wrong.
      </p>
      <div className="field-row">
        <div className="field">
          <label htmlFor="csv-symbol">Instrument</label>
          <input id="csv-symbol" value={symbol} onChange={(event) => setSymbol(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="csv-timeframe">Candle length</label>
          <select
            id="csv-timeframe"
            value={timeframe}
            onChange={(event) => setTimeframe(event.target.value as CandleImportRequest['timeframe'])}
          >
            {CANDLE_TIMEFRAMES.map((option) => (
              <option key={option}>{option}</option>
            ))}
          </select>
        </div>
        <div className="field">
          {picksFilesInMainProcess ? (
            <button
              className="button"
              type="button"
              disabled={busy}
              onClick={() => void pickAndImport({ symbol, timeframe })}
            >
              Choose CSV file…
            </button>
          ) : (
            <>
              <label htmlFor="csv-file">CSV file</label>
              <input
                id="csv-file"
                type="file"
                accept=".csv,text/csv"
                disabled={busy}
                onChange={(event) => {
                  const file = event.target.files?.[0]
                  event.target.value = ''
                  if (file) void upload(file, { symbol, timeframe })
                }}
              />
            </>
          )}
        </div>
      </div>
      {progress && (
        <div className="outcome progress" aria-label="Import progress">
          <ProgressBar label="Import" fraction={progress.fraction} style={{ flex: 1 }} />
          <span>
            {PHASE_LABEL[progress.phase]} {Math.round(progress.fraction * 100)}%
            {'candles' in progress && progress.candles > 0
              ? `, ${progress.candles.toLocaleString('en-US')} candles`
              : ''}
          </span>
        </div>
      )}
      {message && (
        <div className={`outcome ${message.tone}`} role="status">
          {message.text}
          {!picksFilesInMainProcess && problemReport(message.text) && (
            <>
              {' '}
              <a href={`/exports/${problemReport(message.text)}`} download>
                Download the list
              </a>
            </>
          )}
          {message.lines.length > 0 && (
            <ul>
              {message.lines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  )
}
