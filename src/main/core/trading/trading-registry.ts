import type { CoreEvents } from '../events'
import type { Store } from '../store/store'
import { paperTrading } from './paper-trading'

type Wiring = ReturnType<typeof paperTrading>

/**
 * One trading service and paper broker per user, created on first use. Fills
 * are announced as events so every window refreshes its queue and account.
 */
export class TradingRegistry {
  private readonly wirings = new Map<string, Wiring>()

  constructor(
    private readonly store: () => Store,
    private readonly events: CoreEvents,
  ) {}

  for(userId: string): Wiring {
    let wiring = this.wirings.get(userId)
    if (!wiring) {
      wiring = paperTrading(this.store(), userId, { events: this.events })
      wiring.broker.onFill((fill) => {
        this.events.emit('ideas:changed', { ideaId: fill.tradeIdeaId })
        this.events.emit('account:changed', {})
      })
      this.wirings.set(userId, wiring)
    }
    return wiring
  }

  /** After a restore the store is new; services built on the old one must go. */
  reset(): void {
    this.wirings.clear()
  }
}
