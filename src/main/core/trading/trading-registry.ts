import type { CoreEvents } from '../events'
import type { Store } from '../store/store'
import { announceLater } from '../notifications/notifier'
import type { FillEvent } from './broker'
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
        void this.announceFill(fill)
      })
      this.wirings.set(userId, wiring)
    }
    return wiring
  }

  private async announceFill(fill: FillEvent): Promise<void> {
    const order = await this.store().orders.get(fill.userId, fill.orderId).catch(() => null)
    const what = order ? `${order.side} ${fill.quantity} ${order.symbol}` : `${fill.quantity}`
    announceLater(this.store(), this.events, fill.userId, { event: 'fill', title: `Filled: ${what} at ${fill.price}`, body: `Fee ${fill.fee}.`, ideaId: fill.tradeIdeaId })
  }

  /** After a restore the store is new; services built on the old one must go. */
  reset(): void {
    this.wirings.clear()
  }
}
