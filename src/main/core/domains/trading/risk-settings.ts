import { humanActor } from '../../../../shared/domain'
import type { CoreEvents } from '../../platform/events'
import type { RiskConfig, RiskConfigPatch } from '../../platform/store/repositories/risk-config'
import type { Repositories, Store } from '../../platform/store/store'
import { announceLater } from '../notifications/notifier'
import { TradingError } from './trading-error'

export interface RiskSettingsOptions {
  now?: () => Date
  /** Where committed changes are announced to every window; none in tests that watch the store alone. */
  events?: Pick<CoreEvents, 'emit'> | undefined
}

/** A profile's risk config and its halt: read, changed by a person (audited field by field), halted and resumed with their decision rows. */
export class RiskSettings {
  private readonly now: () => Date

  constructor(
    private readonly store: Store,
    private readonly options: RiskSettingsOptions = {},
  ) {
    this.now = options.now ?? (() => new Date())
  }

  async config(userId: string, tx: Repositories): Promise<RiskConfig> {
    const config = await tx.riskConfig.get(userId)
    if (!config) throw new TradingError('not_found', 'This user has no risk configuration.')
    return config
  }

  /** Halts inside a caller's transaction (the risk engine halting on a proposal), with its decision row. */
  async haltWithin(
    tx: Repositories,
    userId: string,
    reason: string,
    actor: 'risk' | `human:${string}`,
    cause: { symbol: string; tradeIdeaId: string; strategyId: string | null } | null,
  ): Promise<void> {
    await tx.riskConfig.update(userId, { halted: true, lastHaltReason: reason, haltedAt: this.now().toISOString() })
    await tx.decisions.append(userId, {
      action: 'ai_halted',
      actor,
      rationale: reason,
      occurredAt: this.now().toISOString(),
      ...(cause ?? {}),
    })
  }

  async halt(userId: string, reason: string): Promise<RiskConfig> {
    await this.store.transaction((tx) => this.haltWithin(tx, userId, reason, humanActor(userId), null))
    this.options.events?.emit('trading:halted', { reason })
    announceLater(this.store, this.options.events, userId, { event: 'halt', title: 'Trading halted', body: reason })
    return this.config(userId, this.store)
  }

  /** Resuming needs a person, and records who and why. */
  async resume(userId: string, why: string): Promise<RiskConfig> {
    const config = await this.store.transaction(async (tx) => {
      const current = await this.config(userId, tx)
      if (!current.halted) throw new TradingError('not_halted', 'Trading is not halted.')
      await tx.riskConfig.update(userId, { halted: false, haltedAt: null })
      await tx.decisions.append(userId, {
        action: 'ai_resumed',
        actor: humanActor(userId),
        rationale: why,
        occurredAt: this.now().toISOString(),
      })
      return this.config(userId, tx)
    })
    this.options.events?.emit('trading:resumed', { reason: why, by: humanActor(userId) })
    return config
  }

  /** A person changes the risk config; the change and who made it, field by field, commit together. */
  async update(userId: string, patch: RiskConfigPatch): Promise<RiskConfig> {
    return this.store.transaction(async (tx) => {
      const before = await this.config(userId, tx)
      const after = (await tx.riskConfig.update(userId, patch)) as RiskConfig
      const changedKeys = Object.keys(patch) as (keyof RiskConfigPatch)[]
      await tx.auditLog.record({
        userId,
        actor: humanActor(userId),
        subject: 'risk_config',
        action: 'update',
        details: Object.fromEntries(changedKeys.map((key) => [key, { from: before[key], to: after[key] }])),
      })
      return after
    })
  }
}
