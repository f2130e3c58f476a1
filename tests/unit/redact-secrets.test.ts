import { describe, expect, it } from 'vitest'
import { errorMessage, redactSecrets, redactSecretsWithin } from '../../src/shared/errors'
import { keyLabel } from '../../src/main/core/domains/exchanges/exchange-keys'

const KEY = 'Ab1!key-that-must-not-leave'

describe('secrets in messages', () => {
  it('redacts the key, the signature and the secret from the request an exchange error quotes, on every exchange', () => {
    const quoted = [
      // ccxt's timeout on Deribit's public/auth quotes the whole URL, client_id and signature included.
      `deribit GET http://127.0.0.1:40123/api/v2/public/auth?grant_type=client_signature&client_id=${KEY}&timestamp=1&nonce=ab12&signature=9f3e&data= request timed out (2000 ms)`,
      // Binance signs its query string; Bybit and Binance send the key in a header.
      `binanceusdm POST https://fapi.binance.com/fapi/v1/order?symbol=BTCUSDT&timestamp=1&signature=9f3e 400 Bad Request X-MBX-APIKEY: ${KEY}`,
      `bybit {"retCode":10003,"retMsg":"API key is invalid."} X-BAPI-API-KEY: ${KEY} X-BAPI-SIGN: 9f3e`,
      `{"apiKey":"${KEY}","secret":"${KEY}","password":"${KEY}"}`,
      `https://127.0.0.1:7000/?token=${KEY}`,
    ]
    for (const text of quoted) {
      const redacted = redactSecrets(text)
      expect(redacted, text).not.toContain(KEY)
      expect(redacted, text).not.toContain('9f3e')
      expect(redacted).toContain('[redacted]')
      expect(errorMessage(new Error(text))).toBe(redacted)
    }
  })

  it('leaves messages that only name a secret as they are', () => {
    for (const text of [
      'Deribit refused the key: check the key and its secret.',
      'Signature for this request is not valid.',
      'browser mode: refused GET /: missing token',
    ])
      expect(redactSecrets(text)).toBe(text)
  })

  it('labels a key by at most its last four characters, and never by more than a quarter of it', () => {
    expect(keyLabel('orders-key-0042')).toBe('key …042')
    expect(keyLabel('e2e-venues-key-3141')).toBe('key …3141')
    expect(keyLabel('Ab1!')).toBe('key …!')
    expect(keyLabel('abc')).toBe('key')
    for (const key of ['a', 'ab', 'abcd', 'abcdefgh', KEY]) {
      const shown = keyLabel(key).replace(/^key( …)?/, '')
      expect(shown.length * 4).toBeLessThanOrEqual(key.length)
      expect(shown.length).toBeLessThanOrEqual(4)
    }
  })

  it('redacts the texts inside an audit row or a log context, keeping its keys and other values', () => {
    expect(
      redactSecretsWithin({
        password: 'changed',
        attempts: 2,
        error: 'GET https://x/public/auth?client_id=AbCdEfGh&grant_type=client_credentials timed out',
        steps: [{ note: 'signature=0123abcd' }, null],
      }),
    ).toEqual({
      password: 'changed',
      attempts: 2,
      error: 'GET https://x/public/auth?client_id=[redacted]&grant_type=client_credentials timed out',
      steps: [{ note: 'signature=[redacted]' }, null],
    })
  })
})
