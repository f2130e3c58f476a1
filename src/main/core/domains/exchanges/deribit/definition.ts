import { createHmac, randomBytes } from 'node:crypto'
import type { Exchange } from 'ccxt'
import type { ExchangeDefinition } from '../exchange-definition'
import { DERIBIT } from './capabilities'
import type { ExchangeKey } from '../exchange-client'
import { deribitVenue } from './venue'

/** Deribit's key scope, asked with a signed client_signature grant so the secret never travels. */
async function deribitScope(exchange: Exchange, key: ExchangeKey): Promise<string> {
  const timestamp = Date.now()
  const nonce = randomBytes(8).toString('hex')
  const signature = createHmac('sha256', key.secret).update(`${timestamp}\n${nonce}\n`).digest('hex')
  const response =
    (await (
      exchange as unknown as {
        publicGetAuth(params: Record<string, unknown>): Promise<{ result?: { scope?: string } }>
      }
    ).publicGetAuth({
      grant_type: 'client_signature',
      client_id: key.apiKey,
      timestamp,
      nonce,
      signature,
      data: '',
    })) ?? {}
  return response.result?.scope ?? ''
}

export const deribit: ExchangeDefinition = {
  capabilities: DERIBIT,
  async readKeyPermissions(exchange, key) {
    const scope = await deribitScope(exchange, key)
    return {
      canTrade: /\btrade:read_write\b/.test(scope),
      canWithdraw: /\bwallet:read_write\b/.test(scope),
      accountId: null,
    }
  },
  tradeRight: 'its scope lacks trade:read_write',
  withdrawRight: 'wallet:read_write',
  openVenue: deribitVenue,
  // Deribit's order label: at most 64 characters.
  clientIdMaxLength: 64,
  // Deribit's client ids are 8 characters; its client secrets 32 or more (API console; docs' public/auth example).
  keyLengths: { apiKey: 8, secret: 32 },
}
