import { readFreqtradeDatabase } from '../freqtrade-reader'
import type { HistoryBatch } from '../history-batch'
import { readOrdersJson } from '../orders-json-reader'
import { readRulesCsv, type RiskConfigRows, type StrategyRows } from '../rules-csv-reader'
import type { ReadJob } from './protocol'
import { readMarketEventsCsv, type MarketEventRows } from '../market-events-csv-reader'

export type ReadResult =
  | { kind: 'history'; batch: HistoryBatch }
  | { kind: 'rules'; rows: RiskConfigRows | StrategyRows }
  | { kind: 'events'; rows: MarketEventRows }

/** Reads and checks a file in the format it was given as; runs in the reader worker. */
export async function readImportFile(
  job: ReadJob,
  onProgress: (done: number, total: number) => void,
): Promise<ReadResult> {
  switch (job.format) {
    case 'freqtrade':
      return { kind: 'history', batch: await readFreqtradeDatabase(job.path, job.sha256, job.fileName, onProgress) }
    case 'orders-json':
      return { kind: 'history', batch: await readOrdersJson(job.path, job.sha256, job.fileName) }
    case 'rules-csv':
      return { kind: 'rules', rows: readRulesCsv(job.path, job.fileName) }
    case 'calendar-csv':
      return { kind: 'events', rows: readMarketEventsCsv(job.path, job.fileName, 'calendar') }
    case 'news-csv':
      return { kind: 'events', rows: readMarketEventsCsv(job.path, job.fileName, 'news') }
  }
}
