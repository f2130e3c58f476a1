import type { Exchange } from 'ccxt'
import type { ExchangeEnvironment } from '../exchange-client'
import type { KeyPermissions } from '../exchange-definition'

/**
 * What a Binance key may do, from its API restrictions, on spot and USD-M alike (`trading` names the flag
 * for the market's trading right). Binance answers this on its live API only, not on its testnets.
 */
export async function binanceKeyPermissions(
  exchange: Exchange,
  environment: ExchangeEnvironment,
  trading: 'enableSpotAndMarginTrading' | 'enableFutures',
): Promise<KeyPermissions> {
  if (environment !== 'live')
    return { unreadable: "Binance's testnets do not say what a key may do. Make sure the live key cannot withdraw." }
  const restrictions =
    (await (
      exchange as unknown as {
        sapiGetAccountApiRestrictions(params: Record<string, unknown>): Promise<Record<string, unknown>>
      }
    ).sapiGetAccountApiRestrictions({})) ?? {}
  return {
    canTrade: restrictions[trading] === true,
    canWithdraw: restrictions.enableWithdrawals === true,
    accountId: null,
  }
}

/** Binance's one ccxt class reaches spot and futures; neither Binance market Tradedeck trades needs the margin pairs, so their list is never fetched. */
export function withoutMarginPairs(exchange: Exchange): void {
  exchange.options['fetchMargins'] = false
}
