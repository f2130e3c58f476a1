import Decimal from 'decimal.js'
import type { Position } from '../../platform/store/repositories/execution'
import type { Store } from '../../platform/store/store'
import type { FillEvent } from './broker'

/**
 * What every broker that keeps its orders and positions in the store shares: open
 * positions and the realised balance read back from it, the fill listeners, and
 * the last price seen per symbol.
 */
export abstract class StoredBroker {
  abstract readonly name: string
  abstract readonly environment: 'live' | 'testnet' | 'paper'
  private readonly listeners = new Set<(fill: FillEvent) => void>()
  protected readonly lastPrices = new Map<string, string>()

  constructor(
    private readonly storeOf: () => Store,
    protected readonly userId: string,
  ) {}

  getPositions(): Promise<Position[]> {
    return this.storeOf().positions.listOpen(this.userId, { broker: this.name, environment: this.environment })
  }

  async getBalance(): Promise<string> {
    const trades = await this.storeOf().trades.all(this.userId, { broker: this.name })
    return trades.reduce((sum, trade) => sum.plus(trade.realizedPnl).minus(trade.fees), new Decimal(0)).toString()
  }

  onFill(listener: (fill: FillEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  lastPrice(symbol: string): string | null {
    return this.lastPrices.get(symbol) ?? null
  }

  /** Tells the listeners of fills once they are committed. */
  protected announce(fills: readonly FillEvent[]): void {
    for (const fill of fills) for (const listener of this.listeners) listener(fill)
  }
}
