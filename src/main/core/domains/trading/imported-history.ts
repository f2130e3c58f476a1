import Decimal from 'decimal.js'
import type { ImportedHistoryView } from '../../../../shared/contract'
import type { Repositories } from '../../platform/store/store'
import { quoteCurrencyOf } from '../../../../shared/money'

const CURVE_POINTS = 500

/** Imported trades' realised P&L net of fees, per source file and as a running total; kept apart from the paper account they never traded in. */
export async function importedHistoryOf(store: Repositories, userId: string): Promise<ImportedHistoryView> {
  const trades = await store.trades.imported(userId)
  let net = new Decimal(0)
  let fees = new Decimal(0)
  const sources = new Map<string, { trades: number; net: Decimal }>()
  const running: { at: string; equity: string }[] = []
  const currencies = new Set(trades.map((trade) => quoteCurrencyOf(trade.symbol)))
  for (const trade of trades) {
    const tradeNet = new Decimal(trade.realizedPnl).minus(trade.fees)
    net = net.plus(tradeNet)
    fees = fees.plus(trade.fees)
    const file = trade.source ?? 'unknown source'
    const source = sources.get(file) ?? { trades: 0, net: new Decimal(0) }
    sources.set(file, { trades: source.trades + 1, net: source.net.plus(tradeNet) })
    running.push({ at: trade.closedAt, equity: net.toString() })
  }
  const stride = Math.max(1, Math.ceil(running.length / CURVE_POINTS))
  return {
    trades: trades.length,
    currency: currencies.size === 1 ? ([...currencies][0] as string) : null,
    netPnl: net.toString(),
    fees: fees.toString(),
    sources: [...sources].map(([file, source]) => ({ file, trades: source.trades, netPnl: source.net.toString() })),
    curve: running.filter((_, index) => index % stride === 0 || index === running.length - 1),
  }
}
