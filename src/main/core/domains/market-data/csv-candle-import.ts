import { once } from 'node:events'
import { createWriteStream, statSync, type WriteStream } from 'node:fs'
import { basename, join } from 'node:path'
import { humanActor, type CsvImportResult } from '../../../../shared/domain'
import { Refusal } from '../../platform/calls/refusal'
import type { CoreContext } from '../../platform/context'
import { CANDLE_PROBLEMS_PREFIX, EXPORTS_DIR_NAME } from '../../platform/files/data-dir'
import { makePrivateDir, PRIVATE_FILE_MODE } from '../../platform/files/private-files'
import type { Candle } from '../../platform/store/repositories/market-snapshots'
import { boundedLines } from '../../platform/files/bounded-lines'
import { whyNotAFile } from '../../platform/files/readable-file'
import { CandleCsvReader, MAX_CANDLE_FILE_BYTES, MAX_LINE_CHARS, type CsvLineError } from './csv-candle-lines'

export interface CandleCsvImport {
  userId: string
  path: string
  symbol: string
  timeframe: string
  /** Chosen by the caller, so its progress events can be told apart from another import's. */
  importId: string
}

const MAX_ERRORS = 50
const ROWS_PER_BATCH = 2_000
const PROGRESS_EVERY_BYTES = 1024 * 1024

interface Pass {
  /** 'stop' ends the pass: nothing more of the file can be read as candles. */
  onLine(line: string, lineNo: number): Promise<'stop' | void> | 'stop' | void
  onProgress(bytesRead: number): void
}

/**
 * Every problem of a file with more than can be shown, one line each, in the
 * exports folder (browser mode hands it out like any export).
 */
class ProblemReport {
  private out: WriteStream | null = null
  readonly path: string

  constructor(dataDir: string) {
    const folder = join(dataDir, EXPORTS_DIR_NAME)
    makePrivateDir(folder)
    this.path = join(folder, `${CANDLE_PROBLEMS_PREFIX}${new Date().toISOString().replace(/[-:.]/g, '')}.txt`)
  }

  async add(problem: CsvLineError): Promise<void> {
    this.out ??= createWriteStream(this.path, { mode: PRIVATE_FILE_MODE })
    if (!this.out.write(`line ${problem.line}: ${problem.message}\n`)) await once(this.out, 'drain')
  }

  async close(): Promise<void> {
    if (!this.out) return
    this.out.end()
    await once(this.out, 'close')
  }
}

/** Streams the file line by line; memory stays flat whatever its size, and whatever the length of a line. */
async function readLines(path: string, pass: Pass): Promise<void> {
  let reported = 0
  let bytesRead = 0
  for await (const line of boundedLines(path, MAX_LINE_CHARS, (bytes) => (bytesRead = bytes))) {
    if ((await pass.onLine(line.text, line.number)) === 'stop') return
    if (bytesRead - reported >= PROGRESS_EVERY_BYTES) {
      reported = bytesRead
      pass.onProgress(bytesRead)
    }
  }
}

function refusal(errors: CsvLineError[], total: number, report: string | null = null): Refusal {
  const first = errors[0]!
  const count = total === 1 ? 'one line has a problem' : `${total.toLocaleString('en-US')} lines have problems`
  const everyOne = report ? ` Every one is listed in ${report}.` : ''
  return new Refusal(
    'invalid_input',
    `Nothing was imported: ${count}. First: line ${first.line}: ${first.message}${everyOne}`,
    errors.map((error) => ({ path: [`line ${error.line}`], message: error.message })),
  )
}

/**
 * Imports a candle CSV of any size in two streamed passes: the first checks
 * every line and names each wrong one (nothing is written if any is wrong);
 * the second writes the candles in one transaction, checking each line again
 * in case the file changed in between.
 */
export async function importCandleCsvFile(
  ctx: Pick<CoreContext, 'store' | 'events' | 'dataDir'>,
  job: CandleCsvImport,
): Promise<CsvImportResult> {
  const unreadable = whyNotAFile(job.path, basename(job.path), MAX_CANDLE_FILE_BYTES)
  if (unreadable) throw new Refusal('invalid_input', `Nothing was imported: ${unreadable}`)
  const bytes = statSync(job.path).size
  const progress = (phase: 'checking' | 'importing' | 'done' | 'failed', bytesRead: number, candles: number) =>
    ctx.events.emit('marketData:importProgress', { importId: job.importId, phase, bytesRead, bytes, candles })

  try {
    const errors: CsvLineError[] = []
    let report: ProblemReport | null = null
    let problems = 0
    let candles = 0
    let first: string | null = null
    let last: string | null = null
    const checker = new CandleCsvReader(job.symbol, job.timeframe)
    await readLines(job.path, {
      async onLine(line, lineNo) {
        const outcome = checker.read(line)
        if (outcome === null) return
        if ('error' in outcome) {
          problems++
          const problem = { line: lineNo, message: outcome.error }
          // Without its header line no line of the file can be read as a candle: the rest is not read.
          if (!checker.sawHeader) {
            errors.push(problem)
            return 'stop'
          }
          if (errors.length < MAX_ERRORS) return void errors.push(problem)
          if (!report) {
            report = new ProblemReport(ctx.dataDir)
            for (const earlier of errors) await report.add(earlier)
          }
          await report.add(problem)
          return
        }
        candles++
        first ??= outcome.candle.ts
        last = outcome.candle.ts
      },
      onProgress: (bytesRead) => progress('checking', bytesRead, candles),
    })
    if (problems === 0 && candles === 0) {
      errors.push(
        checker.sawHeader
          ? { line: 2, message: 'The file has a header but no candles.' }
          : { line: 1, message: 'The file is empty.' },
      )
      problems = 1
    }
    // Assigned inside the line callback, which the compiler cannot follow.
    const problemReport = report as ProblemReport | null
    await problemReport?.close()
    if (problems > 0) throw refusal(errors, problems, problemReport?.path ?? null)

    const imported = await ctx.store.transaction(async (tx) => {
      const writer = new CandleCsvReader(job.symbol, job.timeframe)
      let batch: Candle[] = []
      let inserted = 0
      let written = 0
      const flush = async () => {
        inserted += await tx.marketSnapshots.insertMany(batch)
        written += batch.length
        batch = []
      }
      await readLines(job.path, {
        async onLine(line, lineNo) {
          const outcome = writer.read(line)
          if (outcome === null) return
          if ('error' in outcome)
            throw refusal(
              [{ line: lineNo, message: `${outcome.error} (the file changed while it was being imported)` }],
              1,
            )
          batch.push(outcome.candle)
          if (batch.length >= ROWS_PER_BATCH) await flush()
        },
        onProgress: (bytesRead) => progress('importing', bytesRead, written),
      })
      await flush()
      if (written !== candles)
        throw new Refusal(
          'conflict',
          'Nothing was imported: the file changed while it was being imported. Import it again.',
        )
      await tx.auditLog.record({
        userId: job.userId,
        actor: humanActor(job.userId),
        subject: 'settings',
        action: 'import_candles',
        details: { symbol: job.symbol, timeframe: job.timeframe, candles, inserted, bytes },
      })
      return inserted
    })
    progress('done', bytes, candles)
    return {
      symbol: job.symbol,
      timeframe: job.timeframe,
      imported,
      alreadyStored: candles - imported,
      first: first!,
      last: last!,
    }
  } catch (error) {
    progress('failed', 0, 0)
    throw error
  }
}
