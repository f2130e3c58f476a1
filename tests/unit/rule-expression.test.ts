import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CANDLE_FIELDS,
  conjunctsOf,
  evaluate,
  indicatorsOf,
  parseCondition,
  printRule,
  valuesIn,
  type RuleInputs,
} from '../../src/shared/rules/expression'

/*
 * The rule language: what it reads, what it refuses (in words, at the position), and that its evaluation agrees with a
 * reference written independently, on random expressions and random candles, without ever running the text as code.
 */

const ruleOf = (text: string) => {
  const parsed = parseCondition(text)
  if (!parsed.ok) throw new Error(`${text}: ${parsed.message} at ${parsed.position}`)
  return parsed.rule
}

const inputs = (close: number, indicators: Record<string, number | null> = {}): RuleInputs => ({
  candle: { open: close - 1, high: close + 2, low: close - 2, close, volume: 10 },
  indicators,
  previous: null,
})

describe('the rule language', () => {
  it('reads conditions over fields and indicators, and says which indicators they need', () => {
    const rule = ruleOf('ema(12) > ema(26) and rsi(14) < 70 and close > sma(200)')
    expect([...indicatorsOf(rule).keys()].sort()).toEqual(['ema_12', 'ema_26', 'rsi_14', 'sma_200'])
    const values = { ema_12: 101, ema_26: 100, rsi_14: 55, sma_200: 90 }
    expect(evaluate(rule, inputs(100, values))).toBe(true)
    expect(evaluate(rule, inputs(100, { ...values, rsi_14: 75 }))).toBe(false)
    // An indicator still warming up leaves the rule unknown, which does not hold.
    expect(evaluate(rule, inputs(100, { ...values, sma_200: null }))).toBeNull()
    expect(conjunctsOf(rule).map((part) => printRule(part))).toEqual([
      'ema(12) > ema(26)',
      'rsi(14) < 70',
      'close > sma(200)',
    ])
    expect(valuesIn(conjunctsOf(rule)[2]!, inputs(100, values), (value) => value.toFixed(1))).toEqual([
      'close 100.0',
      'sma(200) 90.0',
    ])
    expect(indicatorsOf(ruleOf('macd() > macd_signal() and macd_hist(8, 21, 5) > 0')).size).toBe(3)
  })

  it('crossings compare the candle with the one before', () => {
    const rule = ruleOf('crosses_above(ema(5), ema(13))')
    const at = (fast: number, slow: number, before: [number, number] | null): RuleInputs => ({
      ...inputs(100, { ema_5: fast, ema_13: slow }),
      previous: before ? { candle: inputs(99).candle, indicators: { ema_5: before[0], ema_13: before[1] } } : null,
    })
    expect(evaluate(rule, at(101, 100, [99, 100]))).toBe(true)
    expect(evaluate(rule, at(101, 100, [101, 100]))).toBe(false)
    expect(evaluate(rule, at(101, 100, null))).toBeNull()
  })

  it.each([
    ['close >', 'Expected expression after >.', 7],
    ['(close > 1', 'Unclosed (.', 10],
    ['foo(3) > 1', 'Unknown function “foo”', 0],
    ['close > 1 and volum > 3', 'Unknown name “volum”', 14],
    ['close > 3 3', 'Two expressions stand side by side here', 10],
    ['not close > 1', '“not” goes before a condition in brackets', 0],
    ['ema > 1', 'ema is an indicator: give its period', 0],
    ['ema(0) > 1', "ema's period is a whole number of candles from 1 to 500.", 4],
    ['sma(close) > 1', "sma's period is a whole number of candles from 1 to 500.", 4],
    ['close', 'This is a number, not a condition', 0],
    ['close > 1 and 2', '“and” joins two conditions', 0],
    ['macd(26, 12, 9) > 0', "macd's fast period must be shorter than its slow one.", 0],
    ['close.constructor > 1', 'Dots and brackets cannot be used in a rule', 0],
    ["'text' == 'text'", 'is not a number; text has no place in a rule.', 0],
    ['close = 1', 'Unexpected "="', 6],
  ])('refuses %s in words, at its position', (text, message, position) => {
    const parsed = parseCondition(text)
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.message).toContain(message)
    expect(parsed.position).toBe(position)
  })

  it('never runs the text as code: what would reach a global, a constructor or a function call is refused', () => {
    for (const text of [
      "constructor.constructor('return process')() > 0",
      'process.exit(1) > 0',
      'globalThis.x > 1',
      'this > 1',
      '[1, 2] > 1',
      'close > 1 ? true : false',
      '(() => 1)() > 0',
      'eval(1) > 0',
    ])
      expect(parseCondition(text).ok, text).toBe(false)
  })

  it('every input ends in a rule or a refusal, never an exception, and a rule always evaluates to true, false or unknown', () => {
    const alphabet = fc.constantFrom(
      ...'ema(12) sma rsi atr macd close open high low volume and or not < > = ! + - * / ( ) , . 0 1 9 e crosses_above'.split(
        ' ',
      ),
      ' ',
    )
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), fc.string({ maxLength: 30 }), (tokens, noise) => {
        for (const text of [tokens.join(''), tokens.join(' '), noise]) {
          const parsed = parseCondition(text)
          if (!parsed.ok) {
            expect(parsed.position).toBeGreaterThanOrEqual(0)
            expect(parsed.message.length).toBeGreaterThan(0)
            continue
          }
          const value = evaluate(parsed.rule, inputs(100, { ema_12: 1, sma_14: 2, rsi_14: 3, atr_14: 4 }))
          expect([true, false, null]).toContain(value)
        }
      }),
      { numRuns: 500 },
    )
    // Bounded: a text too long, too deep or too large is refused before anything is evaluated.
    expect(parseCondition(`${'-('.repeat(30)}close${')'.repeat(30)} > 1`)).toMatchObject({
      ok: false,
      message: 'The expression is nested deeper than 24 levels.',
    })
    const balanced = (leaves: number): string =>
      leaves === 1 ? '1' : `(${balanced(leaves / 2)}+${balanced(leaves / 2)})`
    expect(parseCondition(`${balanced(128)} > 1`)).toMatchObject({
      ok: false,
      message: 'The expression has more than 200 parts.',
    })
    expect(parseCondition('close > 1 '.repeat(200)).ok).toBe(false)
  })

  /** A random expression as text, with its value computed by a reference written apart from the evaluator. */
  type Generated = { text: string; ref: (env: Env) => number | boolean | null }
  type Env = { candle: Record<string, number>; indicators: Record<string, number | null> }
  const numberLeaf: fc.Arbitrary<Generated> = fc.oneof(
    fc.constantFrom(...CANDLE_FIELDS).map((field) => ({ text: field, ref: (env: Env) => env.candle[field]! })),
    fc.integer({ min: 0, max: 200 }).map((value) => ({ text: String(value), ref: () => value })),
    fc
      .constantFrom('ema', 'sma', 'rsi', 'atr')
      .chain((name) => fc.integer({ min: 2, max: 50 }).map((period) => ({ name, period })))
      .map(({ name, period }) => ({
        text: `${name}(${period})`,
        ref: (env: Env) => env.indicators[`${name}_${period}`] ?? null,
      })),
  )
  const { condition } = fc.letrec<{ number: Generated; condition: Generated }>((tie) => ({
    number: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      numberLeaf,
      fc.tuple(tie('number'), fc.constantFrom('+', '-', '*', '/'), tie('number')).map(([left, operator, right]) => ({
        text: `(${left.text} ${operator} ${right.text})`,
        ref: (env: Env) => {
          const [a, b] = [left.ref(env), right.ref(env)]
          if (typeof a !== 'number' || typeof b !== 'number') return null
          const value = operator === '+' ? a + b : operator === '-' ? a - b : operator === '*' ? a * b : a / b
          return Number.isFinite(value) ? value : null
        },
      })),
    ),
    condition: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc
        .tuple(tie('number'), fc.constantFrom('<', '<=', '>', '>=', '==', '!='), tie('number'))
        .map(([left, operator, right]) => ({
          text: `${left.text} ${operator} ${right.text}`,
          ref: (env: Env) => {
            const [a, b] = [left.ref(env), right.ref(env)]
            if (typeof a !== 'number' || typeof b !== 'number') return null
            return { '<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b, '==': a === b, '!=': a !== b }[operator]!
          },
        })),
      fc.tuple(tie('condition'), fc.constantFrom('and', 'or'), tie('condition')).map(([left, operator, right]) => ({
        text: `(${left.text}) ${operator} (${right.text})`,
        ref: (env: Env) => {
          const [a, b] = [left.ref(env), right.ref(env)]
          // Three-valued: false decides an "and", true an "or", whatever the other side is.
          if (operator === 'and') return a === false || b === false ? false : a === null || b === null ? null : true
          return a === true || b === true ? true : a === null || b === null ? null : false
        },
      })),
      tie('condition').map((inner) => ({
        text: `not (${inner.text})`,
        ref: (env: Env) => {
          const value = inner.ref(env)
          return value === null ? null : !value
        },
      })),
    ),
  }))
  const candles = fc.record({
    candle: fc.record(
      Object.fromEntries(CANDLE_FIELDS.map((field) => [field, fc.integer({ min: 0, max: 200 })])) as Record<
        (typeof CANDLE_FIELDS)[number],
        fc.Arbitrary<number>
      >,
    ),
    indicators: fc.dictionary(
      fc
        .constantFrom('ema', 'sma', 'rsi', 'atr')
        .chain((name) => fc.integer({ min: 2, max: 50 }).map((period) => `${name}_${period}`)),
      fc.option(fc.integer({ min: 0, max: 200 }), { nil: null }),
    ),
  })

  it('gives the same result as a reference implementation, on random expressions and random candles', () => {
    fc.assert(
      fc.property(condition, fc.array(candles, { minLength: 1, maxLength: 5 }), (generated, envs) => {
        const rule = ruleOf(generated.text)
        // The printed rule reads back as the same rule.
        expect(ruleOf(printRule(rule))).toEqual(rule)
        for (const env of envs)
          expect(
            evaluate(rule, { candle: env.candle as RuleInputs['candle'], indicators: env.indicators, previous: null }),
          ).toBe(generated.ref(env))
      }),
      { numRuns: 500 },
    )
  })
})
