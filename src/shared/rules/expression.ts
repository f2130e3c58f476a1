import jsep, { type Expression } from 'jsep'

/*
 * The rule language of a rules strategy: conditions over named indicators and candle fields, such as
 * `ema(12) > ema(26) and rsi(14) < 70 and close > sma(200)`. jsep parses the text into an AST; Tradedeck checks the
 * AST against a whitelist of fields, functions and operators, and evaluates it itself. Nothing is passed to eval or
 * Function, and an expression is bounded in length, depth and size, so every evaluation ends after a fixed number
 * of steps. Shared by the main process (which runs rules) and the renderer (whose editor reports errors as you type).
 */

jsep.addBinaryOp('and', 2)
jsep.addBinaryOp('or', 1)
jsep.addUnaryOp('not')
for (const operator of ['&&', '||', '|', '&', '^', '<<', '>>', '>>>', '===', '!==', '%', '??'])
  jsep.removeBinaryOp(operator)
for (const operator of ['!', '~', '+', 'typeof', 'void', 'delete']) jsep.removeUnaryOp(operator)
jsep.removeLiteral('null')
jsep.removeLiteral('this')

export const MAX_EXPRESSION_CHARS = 1000
const MAX_DEPTH = 24
const MAX_NODES = 200
const MAX_PERIOD = 500

export const CANDLE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const
export type CandleField = (typeof CANDLE_FIELDS)[number]

/** The indicators a rule may name, with their arguments' meaning and defaults. */
export const INDICATOR_FUNCTIONS = {
  ema: { args: ['period'], defaults: null },
  sma: { args: ['period'], defaults: null },
  rsi: { args: ['period'], defaults: [14] },
  atr: { args: ['period'], defaults: [14] },
  macd: { args: ['fast', 'slow', 'signal'], defaults: [12, 26, 9] },
  macd_signal: { args: ['fast', 'slow', 'signal'], defaults: [12, 26, 9] },
  macd_hist: { args: ['fast', 'slow', 'signal'], defaults: [12, 26, 9] },
} as const
export type IndicatorName = keyof typeof INDICATOR_FUNCTIONS
const CROSSES = ['crosses_above', 'crosses_below'] as const

/** The checked tree Tradedeck evaluates: only these nodes exist in it. */
export type Rule =
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'field'; field: CandleField }
  | { kind: 'indicator'; name: IndicatorName; args: number[]; key: string }
  | { kind: 'cross'; direction: 'above' | 'below'; left: Rule; right: Rule }
  | { kind: 'negate'; operand: Rule }
  | { kind: 'not'; operand: Rule }
  | { kind: 'arithmetic'; operator: '+' | '-' | '*' | '/'; left: Rule; right: Rule }
  | { kind: 'compare'; operator: '<' | '<=' | '>' | '>=' | '==' | '!='; left: Rule; right: Rule }
  | { kind: 'logic'; operator: 'and' | 'or'; left: Rule; right: Rule }

export type ParsedRule = { ok: true; rule: Rule } | { ok: false; message: string; position: number }

class RuleError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message)
  }
}

/** The store key of an indicator's value: `ema_12`, `macd_hist_12_26_9`. */
export const indicatorKey = (name: IndicatorName, args: readonly number[]) => [name, ...args].join('_')

/** Where a name first stands in the text as a whole word; 0 when it cannot be found. */
function positionOfName(text: string, name: string): number {
  const found = new RegExp(`(^|[^A-Za-z0-9_])(${name.replace(/[^A-Za-z0-9_]/g, '')})(?![A-Za-z0-9_])`).exec(text)
  return found ? found.index + found[1]!.length : 0
}

/** Where the text's first token of a node stands, for an error about the node. */
function positionOf(text: string, node: Expression): number {
  if (node.type === 'Identifier') return positionOfName(text, String(node.name))
  if (node.type === 'CallExpression') return positionOf(text, node.callee as Expression)
  if (node.type === 'Literal') return Math.max(0, text.indexOf(String(node.raw)))
  if (node.type === 'BinaryExpression') return positionOf(text, node.left as Expression)
  if (node.type === 'UnaryExpression') return Math.max(0, text.indexOf(String(node.operator)))
  return 0
}

/** Two expressions side by side: where the second starts, found as the shortest start of the text that reads as two. */
function secondExpressionAt(text: string): number {
  for (let end = 1; end <= text.length; end++) {
    try {
      if (jsep(text.slice(0, end)).type === 'Compound') return end - 1
    } catch {
      // Not yet two expressions: read one character more.
    }
  }
  return 0
}

type Typed = { rule: Rule; type: 'number' | 'boolean' }

/** An indicator's argument: a whole number of candles written out, never a computed one. */
function period(text: string, functionName: string, arg: Expression, argName: string): number {
  const value = arg.type === 'Literal' ? arg.value : undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PERIOD)
    throw new RuleError(
      `${functionName}'s ${argName} is a whole number of candles from 1 to ${MAX_PERIOD}.`,
      positionOf(text, arg),
    )
  return value
}

function check(text: string, node: Expression, depth: number, counted: { nodes: number }): Typed {
  if (depth > MAX_DEPTH) throw new RuleError(`The expression is nested deeper than ${MAX_DEPTH} levels.`, 0)
  if (++counted.nodes > MAX_NODES) throw new RuleError(`The expression has more than ${MAX_NODES} parts.`, 0)
  const at = () => positionOf(text, node)
  switch (node.type) {
    case 'Literal': {
      if (typeof node.value === 'number' && Number.isFinite(node.value))
        return { rule: { kind: 'number', value: node.value }, type: 'number' }
      if (typeof node.value === 'boolean') return { rule: { kind: 'boolean', value: node.value }, type: 'boolean' }
      throw new RuleError(`${String(node.raw)} is not a number; text has no place in a rule.`, at())
    }
    case 'Identifier': {
      const name = String(node.name)
      if ((CANDLE_FIELDS as readonly string[]).includes(name))
        return { rule: { kind: 'field', field: name as CandleField }, type: 'number' }
      if (name in INDICATOR_FUNCTIONS)
        throw new RuleError(`${name} is an indicator: give its period, like ${name}(14).`, at())
      if (name === 'and' || name === 'or' || name === 'not')
        throw new RuleError(
          name === 'not' ? '“not” goes before a condition.' : `“${name}” needs a condition on each side.`,
          at(),
        )
      throw new RuleError(
        `Unknown name “${name}”: a rule reads ${CANDLE_FIELDS.join(', ')} and the indicators ${Object.keys(INDICATOR_FUNCTIONS).join(', ')}.`,
        at(),
      )
    }
    case 'CallExpression': {
      const callee = node.callee as Expression
      const name = callee.type === 'Identifier' ? String(callee.name) : ''
      const args = (node.arguments as Expression[]) ?? []
      if ((CROSSES as readonly string[]).includes(name)) {
        if (args.length !== 2) throw new RuleError(`${name} compares two values, like ${name}(ema(12), ema(26)).`, at())
        const [left, right] = args.map((arg) => check(text, arg, depth + 1, counted)) as [Typed, Typed]
        if (left.type !== 'number' || right.type !== 'number')
          throw new RuleError(`${name} compares two numbers, not conditions.`, at())
        return {
          rule: {
            kind: 'cross',
            direction: name === 'crosses_above' ? 'above' : 'below',
            left: left.rule,
            right: right.rule,
          },
          type: 'boolean',
        }
      }
      if (!(name in INDICATOR_FUNCTIONS))
        throw new RuleError(
          `Unknown function “${name || 'this'}”: a rule may call ${[...Object.keys(INDICATOR_FUNCTIONS), ...CROSSES].join(', ')}.`,
          at(),
        )
      const spec = INDICATOR_FUNCTIONS[name as IndicatorName]
      const values =
        args.length === 0 && spec.defaults
          ? [...spec.defaults]
          : args.length === spec.args.length
            ? args.map((arg, index) => period(text, name, arg, spec.args[index]!))
            : null
      if (!values)
        throw new RuleError(
          `${name} takes ${spec.args.length === 1 ? 'its period' : spec.args.join(', ')}, like ${name}(${(spec.defaults ?? [14]).join(', ')}).`,
          at(),
        )
      if (name.startsWith('macd') && values[0]! >= values[1]!)
        throw new RuleError(`${name}'s fast period must be shorter than its slow one.`, at())
      return {
        rule: {
          kind: 'indicator',
          name: name as IndicatorName,
          args: values,
          key: indicatorKey(name as IndicatorName, values),
        },
        type: 'number',
      }
    }
    case 'UnaryExpression': {
      const operand = check(text, node.argument as Expression, depth + 1, counted)
      if (node.operator === '-') {
        if (operand.type !== 'number') throw new RuleError('A minus sign goes before a number, not a condition.', at())
        return { rule: { kind: 'negate', operand: operand.rule }, type: 'number' }
      }
      if (operand.type !== 'boolean')
        throw new RuleError('“not” goes before a condition in brackets, like not (close > sma(200)).', at())
      return { rule: { kind: 'not', operand: operand.rule }, type: 'boolean' }
    }
    case 'BinaryExpression': {
      const operator = String(node.operator)
      const left = check(text, node.left as Expression, depth + 1, counted)
      const right = check(text, node.right as Expression, depth + 1, counted)
      if (operator === 'and' || operator === 'or') {
        if (left.type !== 'boolean' || right.type !== 'boolean')
          throw new RuleError(`“${operator}” joins two conditions, like close > open ${operator} rsi(14) < 70.`, at())
        return { rule: { kind: 'logic', operator, left: left.rule, right: right.rule }, type: 'boolean' }
      }
      if (left.type !== 'number' || right.type !== 'number')
        throw new RuleError(`“${operator}” takes two numbers; join conditions with and / or.`, at())
      if (['+', '-', '*', '/'].includes(operator))
        return {
          rule: { kind: 'arithmetic', operator: operator as '+', left: left.rule, right: right.rule },
          type: 'number',
        }
      if (['<', '<=', '>', '>=', '==', '!='].includes(operator))
        return {
          rule: { kind: 'compare', operator: operator as '<', left: left.rule, right: right.rule },
          type: 'boolean',
        }
      throw new RuleError(`“${operator}” is not an operator a rule knows.`, at())
    }
    case 'Compound': {
      // What is wrong inside a part is said first: in "close > and 3" and "close > 1 and", an "and" lacks a condition.
      for (const part of (node.body as Expression[] | undefined) ?? []) check(text, part, depth + 1, counted)
      throw new RuleError('Two expressions stand side by side here: join them with and / or.', secondExpressionAt(text))
    }
    default:
      throw new RuleError(
        `${node.type === 'MemberExpression' ? 'Dots and brackets' : 'This'} cannot be used in a rule; it reads fields, indicators, numbers and comparisons.`,
        at(),
      )
  }
}

/** Parses and checks a condition: a rule whose value is true or false. Errors say what is wrong and where. */
export function parseCondition(text: string): ParsedRule {
  if (text.length > MAX_EXPRESSION_CHARS)
    return {
      ok: false,
      message: `A rule is at most ${MAX_EXPRESSION_CHARS} characters.`,
      position: MAX_EXPRESSION_CHARS,
    }
  if (text.trim() === '') return { ok: false, message: 'The rule is empty.', position: 0 }
  let tree: Expression
  try {
    tree = jsep(text)
  } catch (error) {
    const { description, index } = error as { description?: string; index?: number }
    return { ok: false, message: `${description ?? 'Not readable'}.`, position: index ?? 0 }
  }
  try {
    const { rule, type } = check(text, tree, 0, { nodes: 0 })
    if (type !== 'boolean')
      return {
        ok: false,
        message: 'This is a number, not a condition: compare it, like close > sma(200).',
        position: 0,
      }
    return { ok: true, rule }
  } catch (error) {
    if (error instanceof RuleError) return { ok: false, message: error.message, position: error.position }
    throw error
  }
}

/** Every indicator a rule reads, by its store key. */
export function indicatorsOf(rule: Rule, into = new Map<string, Extract<Rule, { kind: 'indicator' }>>()) {
  if (rule.kind === 'indicator') into.set(rule.key, rule)
  else if (rule.kind === 'negate' || rule.kind === 'not') indicatorsOf(rule.operand, into)
  else if ('left' in rule) {
    indicatorsOf(rule.left, into)
    indicatorsOf(rule.right, into)
  }
  return into
}

/** What a rule is evaluated on: a closed candle and its indicators, and the previous candle's (for crossings). */
export interface RuleInputs {
  candle: Record<CandleField, number>
  indicators: Record<string, number | null | undefined>
  previous: { candle: Record<CandleField, number>; indicators: Record<string, number | null | undefined> } | null
}

type Value = number | boolean | null

/**
 * A rule's value on a candle. Null where it cannot be known yet: an indicator still warming up, a crossing on the
 * first candle, a division by zero. A condition that is null does not hold.
 */
export function evaluate(rule: Rule, inputs: RuleInputs): Value {
  switch (rule.kind) {
    case 'number':
    case 'boolean':
      return rule.value
    case 'field':
      return inputs.candle[rule.field]
    case 'indicator': {
      const value = inputs.indicators[rule.key]
      return typeof value === 'number' && Number.isFinite(value) ? value : null
    }
    case 'cross': {
      if (!inputs.previous) return null
      const before = { candle: inputs.previous.candle, indicators: inputs.previous.indicators, previous: null }
      const [left, right, leftBefore, rightBefore] = [
        evaluate(rule.left, inputs),
        evaluate(rule.right, inputs),
        evaluate(rule.left, before),
        evaluate(rule.right, before),
      ]
      if ([left, right, leftBefore, rightBefore].some((value) => typeof value !== 'number')) return null
      return rule.direction === 'above'
        ? (leftBefore as number) <= (rightBefore as number) && (left as number) > (right as number)
        : (leftBefore as number) >= (rightBefore as number) && (left as number) < (right as number)
    }
    case 'negate': {
      const value = evaluate(rule.operand, inputs)
      return typeof value === 'number' ? -value : null
    }
    case 'not': {
      const value = evaluate(rule.operand, inputs)
      return typeof value === 'boolean' ? !value : null
    }
    case 'arithmetic': {
      const left = evaluate(rule.left, inputs)
      const right = evaluate(rule.right, inputs)
      if (typeof left !== 'number' || typeof right !== 'number') return null
      const value =
        rule.operator === '+'
          ? left + right
          : rule.operator === '-'
            ? left - right
            : rule.operator === '*'
              ? left * right
              : left / right
      return Number.isFinite(value) ? value : null
    }
    case 'compare': {
      const left = evaluate(rule.left, inputs)
      const right = evaluate(rule.right, inputs)
      if (typeof left !== 'number' || typeof right !== 'number') return null
      switch (rule.operator) {
        case '<':
          return left < right
        case '<=':
          return left <= right
        case '>':
          return left > right
        case '>=':
          return left >= right
        case '==':
          return left === right
        case '!=':
          return left !== right
      }
      return null
    }
    case 'logic': {
      const left = evaluate(rule.left, inputs)
      const right = evaluate(rule.right, inputs)
      if (rule.operator === 'and') return left === false || right === false ? false : left && right
      return left === true || right === true ? true : left === null || right === null ? null : false
    }
  }
}

const PRECEDENCE: Record<string, number> = {
  or: 1,
  and: 2,
  '==': 6,
  '!=': 6,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
}

/** The rule written back as text, in one canonical form: what a rationale quotes. */
export function printRule(rule: Rule, outer = 0): string {
  switch (rule.kind) {
    case 'number':
    case 'boolean':
      return String(rule.value)
    case 'field':
      return rule.field
    case 'indicator':
      return `${rule.name}(${rule.args.join(', ')})`
    case 'cross':
      return `crosses_${rule.direction}(${printRule(rule.left)}, ${printRule(rule.right)})`
    case 'negate':
      return `-${printRule(rule.operand, 11)}`
    case 'not':
      return `not (${printRule(rule.operand)})`
    default: {
      const own = PRECEDENCE[rule.operator]!
      const text = `${printRule(rule.left, own)} ${rule.operator} ${printRule(rule.right, own + 1)}`
      return own < outer ? `(${text})` : text
    }
  }
}

/** A rule's top-level conditions joined by "and": each is said on its own in a rationale. */
export function conjunctsOf(rule: Rule): Rule[] {
  return rule.kind === 'logic' && rule.operator === 'and'
    ? [...conjunctsOf(rule.left), ...conjunctsOf(rule.right)]
    : [rule]
}

/** Every field and indicator a rule reads, each with its value on the candle: "ema(12) 101.25". */
export function valuesIn(rule: Rule, inputs: RuleInputs, format: (value: number) => string): string[] {
  const named = new Map<string, string>()
  const walk = (node: Rule) => {
    if (node.kind === 'field' || node.kind === 'indicator') {
      const value = evaluate(node, inputs)
      named.set(printRule(node), typeof value === 'number' ? format(value) : 'not known yet')
    } else if (node.kind === 'negate' || node.kind === 'not') walk(node.operand)
    else if ('left' in node) {
      walk(node.left)
      walk(node.right)
    }
  }
  walk(rule)
  return [...named].map(([name, value]) => `${name} ${value}`)
}
