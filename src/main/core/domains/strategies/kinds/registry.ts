import { z } from 'zod'
import { donchianBreakout } from './donchian-breakout'
import { emaCrossover } from './ema-crossover'
import { configSchemaOf, type AnyStrategyKind } from './kind'
import { rsiMeanReversion } from './rsi-mean-reversion'
import { rulesStrategy } from './rules-strategy'

export const BUILT_IN_KINDS: readonly AnyStrategyKind[] = [
  emaCrossover,
  rsiMeanReversion,
  donchianBreakout,
  rulesStrategy,
]

/** The kinds this runtime knows: the built-in ones plus any a host adds (tests add faulty ones). */
export class KindRegistry {
  private readonly kinds = new Map<string, AnyStrategyKind>()

  constructor(kinds: readonly AnyStrategyKind[] = BUILT_IN_KINDS) {
    for (const kind of kinds) this.kinds.set(kind.name, kind)
  }

  list(): AnyStrategyKind[] {
    return [...this.kinds.values()]
  }

  get(name: string): AnyStrategyKind | undefined {
    return this.kinds.get(name)
  }

  /** The kind's config schema as JSON Schema, which the UI renders as a form. */
  static jsonSchema(kind: AnyStrategyKind): Record<string, unknown> {
    return z.toJSONSchema(configSchemaOf(kind), { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
  }
}
