// npm run bench:queue: how long a person has. For BENCH_STARTS Starts of a paper instance on the synthetic
// market (each at another time, so each meets another market), it measures the time from Start to the first
// idea in the queue and how long each idea stays approvable, with the new-instance form's defaults, walked
// through the feed, strategy, live-edge rule, entry range, deadline and staleness code the desk runs
// (see simulate.ts). The same run measures the settings before this change (1 m candles, EMA 12/26, a
// quarter-R entry range) as the baseline the ratios are against.
import { FORM_TIMEFRAME } from '../../src/shared/timeframes'
import { simulateStart, type Ending, type QueueScenario } from './simulate'

const STARTS = Number(process.env.BENCH_STARTS ?? 400)
const HORIZON_MS = Number(process.env.BENCH_HORIZON_MIN ?? 30) * 60_000
const json = process.argv.includes('--json')
const log = (line: string) => {
  if (!json) process.stdout.write(`${line}\n`)
}

const SCENARIOS: Record<'formDefaults' | 'before', QueueScenario> = {
  formDefaults: { kind: 'ema_crossover', config: { timeframe: FORM_TIMEFRAME.paper }, horizonMs: HORIZON_MS },
  before: {
    kind: 'ema_crossover',
    config: { timeframe: '1m', fastPeriod: 12, slowPeriod: 26, entryToleranceR: 0.25 },
    horizonMs: HORIZON_MS,
  },
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null
}

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10)

function measure(scenario: QueueScenario) {
  const firsts: number[] = []
  const lifetimes: number[] = []
  const endings: Partial<Record<Ending, number>> = {}
  let withoutIdea = 0
  // Starts spread over months, none on a round minute, as a trader's clicks are.
  const origin = Date.parse('2026-12-01T00:00:00.000Z')
  for (let start = 0; start < STARTS; start++) {
    const outcome = simulateStart(scenario, origin + start * 7_919_113)
    if (outcome.firstIdeaMs === null) withoutIdea++
    else firsts.push(outcome.firstIdeaMs)
    for (const idea of outcome.ideas) {
      endings[idea.ending] = (endings[idea.ending] ?? 0) + 1
      if (idea.ending !== 'still waiting') lifetimes.push(idea.lifetimeMs)
    }
  }
  firsts.sort((a, b) => a - b)
  lifetimes.sort((a, b) => a - b)
  const within = (ms: number) => Math.round((firsts.filter((first) => first <= ms).length / STARTS) * 1000) / 10
  return {
    starts: STARTS,
    firstIdea: {
      p50S: seconds(percentile(firsts, 50)),
      p90S: seconds(percentile(firsts, 90)),
      within3MinPct: within(180_000),
      noneWithinHorizon: withoutIdea,
    },
    approvable: {
      ideas: lifetimes.length,
      p25S: seconds(percentile(lifetimes, 25)),
      p50S: seconds(percentile(lifetimes, 50)),
      p75S: seconds(percentile(lifetimes, 75)),
    },
    endings,
  }
}

function main() {
  log(`bench:queue: ${STARTS} Starts of the EMA crossover on the synthetic market, ${HORIZON_MS / 60_000} min each`)
  const now = measure(SCENARIOS.formDefaults)
  const before = measure(SCENARIOS.before)
  const ratio = (a: number | null, b: number | null) =>
    a === null || b === null || b === 0 ? null : Math.round((a / b) * 100) / 100
  const result = {
    formDefaults: now,
    before,
    ratios: {
      firstIdeaP50: ratio(now.firstIdea.p50S, before.firstIdea.p50S),
      approvableP50: ratio(now.approvable.p50S, before.approvable.p50S),
    },
  }
  for (const [name, run] of [
    ['form defaults (15 s candles, EMA 5/13, 0.75 R)', now],
    ['before (1 m candles, EMA 12/26, 0.25 R)', before],
  ] as const) {
    log(`  ${name}:`)
    log(
      `    first idea after Start: p50 ${run.firstIdea.p50S} s, p90 ${run.firstIdea.p90S} s; within 3 min in ${run.firstIdea.within3MinPct}% of Starts; none in ${run.firstIdea.noneWithinHorizon}`,
    )
    log(
      `    approvable: p25 ${run.approvable.p25S} s, p50 ${run.approvable.p50S} s, p75 ${run.approvable.p75S} s over ${run.approvable.ideas} ideas`,
    )
    log(
      `    how they ended: ${Object.entries(run.endings)
        .map(([ending, count]) => `${ending} ${count}`)
        .join(', ')}`,
    )
  }
  log(
    `  ratios (form defaults / before): first idea p50 ${result.ratios.firstIdeaP50}, approvable p50 ${result.ratios.approvableP50}`,
  )
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`)
}

main()
