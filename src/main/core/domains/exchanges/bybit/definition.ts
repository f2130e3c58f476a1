import type { Exchange } from 'ccxt'
import type { ExchangeDefinition } from '../exchange-definition'
import { BYBIT } from './capabilities'
import { bybitVenue } from './venue'

/** What a Bybit key may do, from the key's own record (user/query-api). */
async function bybitPermissions(
  exchange: Exchange,
): Promise<{ userId: string | null; canTrade: boolean; canWithdraw: boolean }> {
  const response =
    (await (
      exchange as unknown as {
        privateGetV5UserQueryApi(
          params: Record<string, unknown>,
        ): Promise<{ result?: { readOnly?: number; userID?: number; permissions?: Record<string, string[]> } }>
      }
    ).privateGetV5UserQueryApi({})) ?? {}
  const record = response.result ?? {}
  const permissions = record.permissions ?? {}
  const trades = ['ContractTrade', 'Derivatives', 'Spot'].some((group) => (permissions[group] ?? []).length > 0)
  return {
    userId: record.userID === undefined ? null : String(record.userID),
    canTrade: record.readOnly === 0 && trades,
    canWithdraw: (permissions.Wallet ?? []).includes('Withdraw'),
  }
}

export const bybit: ExchangeDefinition = {
  capabilities: BYBIT,
  async readKeyPermissions(exchange) {
    const { userId, canTrade, canWithdraw } = await bybitPermissions(exchange)
    return { canTrade, canWithdraw, accountId: userId }
  },
  tradeRight: 'it is read-only, or has no trading permission',
  withdrawRight: 'the Wallet permission Withdraw',
  openVenue: bybitVenue,
  // Bybit's orderLinkId: at most 36 characters.
  clientIdMaxLength: 36,
  // Bybit's system-generated keys: an 18-character API key and a 36-character HMAC secret (an RSA key's secret is longer).
  keyLengths: { apiKey: 18, secret: 36 },
}
