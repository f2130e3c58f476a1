import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { backtestRequestSchema, CANDLE_TIMEFRAMES } from '../../shared/contract'
import type { BacktestStats } from '../../shared/domain'
import { APP_VERSION } from '../core/platform/app-version'
import { resolveDataDir } from '../core/platform/files/data-dir'
import { withMaintenanceCore } from '../core/wiring/maintenance'
import { UsageError, wholeNumber } from '../hosting/command-line'
import type { CommandOutput } from './migration-commands'
import { profileNamed, profileOption } from './profile-option'

const options = z
  .object({
    'data-dir': z.string().min(1).optional(),
    kind: z.string({ error: 'name the strategy kind with --kind, e.g. ema_crossover' }).min(1),
    config: z.string().min(1).optional(),
    symbol: z.string({ error: 'name the instrument with --symbol, e.g. BTC-USD' }).min(1),
    timeframe: z.enum(CANDLE_TIMEFRAMES, {
      error: `give the candle length with --timeframe: ${CANDLE_TIMEFRAMES.join(', ')}`,
    }),
    from: z.string().optional(),
    to: z.string().optional(),
    csv: z.string().min(1).optional(),
    seed: wholeNumber('a seed').optional(),
    candles: wholeNumber('a number of candles', 10).optional(),
    profile: profileOption,
  })
  .strict()

/** The config file: one JSON object of the kind's settings (what the Strategies form holds). */
function readConfig(path: string | undefined): Record<string, unknown> {
  if (!path) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new UsageError(`--config ${path} is not a readable JSON file: ${(error as Error).message}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UsageError(`--config ${path} must hold one JSON object of settings.`)
  return parsed as Record<string, unknown>
}

const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`)
const number = (value: number | null, digits = 2) => (value === null ? '—' : value.toFixed(digits))

function statsText(stats: BacktestStats): string {
  return [
    `Net P&L         ${stats.netPnl} (${stats.returnPct.toFixed(2)}% of ${stats.startingEquity})`,
    `Trades          ${stats.tradeCount}, win rate ${percent(stats.winRate)}, profit factor ${number(stats.profitFactor)}`,
    `Average         win ${stats.averageWin ?? '—'}, loss ${stats.averageLoss ?? '—'}`,
    `Max drawdown    ${stats.maxDrawdown} (${stats.maxDrawdownPct.toFixed(2)}%), longest ${stats.longestDrawdownCandles} candles`,
    `Sharpe/Sortino  ${number(stats.sharpe)} / ${number(stats.sortino)} (annualised)`,
    `Exposure        ${percent(stats.exposure)} of candles in the market`,
  ].join('\n')
}

/**
 * `tradedeck backtest`: a strategy over a synthetic market (--seed, --candles),
 * stored candles (--from, --to) or a CSV file (--csv), stored as a run the
 * Backtests page shows too.
 */
export async function runBacktestCommand(raw: Record<string, unknown>): Promise<CommandOutput> {
  const parsed = options.parse(raw)
  const source =
    parsed.csv || parsed.seed !== undefined || parsed.candles !== undefined || !(parsed.from || parsed.to)
      ? 'synthetic'
      : 'stored'
  const request = backtestRequestSchema.parse({
    runId: randomUUID(),
    kind: parsed.kind,
    config: readConfig(parsed.config),
    symbol: parsed.symbol,
    timeframe: parsed.timeframe,
    source,
    ...(parsed.seed !== undefined ? { seed: parsed.seed } : {}),
    ...(parsed.candles !== undefined ? { candles: parsed.candles } : {}),
    ...(parsed.from ? { from: parsed.from } : {}),
    ...(parsed.to ? { to: parsed.to } : {}),
  })
  return withMaintenanceCore(
    { dataDir: resolveDataDir(parsed['data-dir']), appVersion: APP_VERSION },
    async ({ context, services, events }) => {
      const user = await profileNamed(context.store, parsed.profile)
      const unsubscribe = events.subscribe((event, payload) => {
        if (event === 'backtests:progress' && (payload as { phase: string }).phase === 'running')
          process.stderr.write(`backtest: ${(payload as { message: string }).message}\n`)
      })
      try {
        const run = await services.backtests.run(user.id, {
          ...request,
          ...(parsed.csv ? { csvPath: parsed.csv } : {}),
        })
        const json = {
          id: run.id,
          name: run.name,
          kind: run.kind,
          symbol: run.symbol,
          timeframe: run.timeframe,
          source: run.source,
          seed: run.seed,
          from: run.dataFrom,
          to: run.dataTo,
          candles: run.candles,
          durationMs: run.durationMs,
          trades: run.stats.tradeCount,
          stats: run.stats,
        }
        const speed =
          run.durationMs > 0
            ? ` (${Math.round(run.candles / (run.durationMs / 1000)).toLocaleString('en-US')} candles/s)`
            : ''
        return {
          json,
          text: `${run.name}: ${run.candles.toLocaleString('en-US')} candles from ${run.dataFrom} to ${run.dataTo} in ${run.durationMs} ms${speed}.\n${statsText(run.stats)}\nStored as run ${run.id}.`,
        }
      } finally {
        unsubscribe()
      }
    },
  )
}
