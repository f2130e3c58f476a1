import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { z } from 'zod'
import { defineKind } from '../../src/main/core/domains/strategies/kinds/kind'

/** Loaded by the core (for validation) and by every worker (to run them). */
export const TEST_KINDS_MODULE = resolve(__dirname, 'test-kinds.ts')

const none = () => ({ update: () => ({}) })

/** Proposes a long idea every `every` candles: a steady producer to compare the faulty ones against. */
const steady = defineKind({
  name: 'test_steady',
  label: 'Steady test producer',
  description: 'Proposes a long idea every N candles.',
  params: { every: z.number().int().min(1).default(50), band: z.number().positive().max(0.5).default(0.01) },
  // Counts its candles in an indicator, so the count survives a restart the way indicators do.
  indicators: () => {
    let seen = 0
    return { update: () => ({ seen: ++seen }) }
  },
  decide: ({ candle, indicators, config }) =>
    (indicators.seen ?? 0) % config.every === 0
      ? [
          {
            direction: 'long',
            entry: candle.close,
            stopLoss: candle.close * (1 - config.band),
            takeProfit: candle.close * (1 + config.band),
            confidence: 0.9,
            rationale: `Every ${config.every} candles.`,
          },
        ]
      : [],
})

const throwing = defineKind({
  name: 'test_throws',
  label: 'Always throws',
  description: 'Throws on every candle.',
  params: {},
  indicators: none,
  decide: () => {
    throw new Error('the strategy blew up on purpose')
  },
})

/** Throws while a marker file exists: a fault that a test can clear. */
const flaky = defineKind({
  name: 'test_flaky',
  label: 'Fails while a file exists',
  description: 'Throws on every candle while the marker file exists.',
  params: { markerFile: z.string() },
  indicators: none,
  decide: ({ config }) => {
    if (existsSync(config.markerFile)) throw new Error('the marker file is still there')
    return []
  },
})

let spun = false
/** Spins its thread for `busyMs` on its first candle: a strategy stuck in a loop. */
const busy = defineKind({
  name: 'test_busy',
  label: 'Busy loop',
  description: 'Blocks its thread on the first candle.',
  params: { busyMs: z.number().int().min(1).default(10_000) },
  indicators: none,
  decide: ({ config }) => {
    if (!spun) {
      spun = true
      const until = Date.now() + config.busyMs
      while (Date.now() < until) {
        // Deliberately blocking.
      }
    }
    return []
  },
})

export const kinds = [steady, throwing, flaky, busy]
