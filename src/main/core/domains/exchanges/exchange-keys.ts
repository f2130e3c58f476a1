import type { Actor, ExchangeId, ExchangeKeyTest, ExchangeKeyView } from '../../../../shared/domain'
import { errorMessage } from '../../../../shared/errors'
import { Refusal } from '../../platform/calls/refusal'
import type { CoreContext } from '../../platform/context'
import type { CredentialInfo } from '../../platform/store/repositories/credentials'
import { EXCHANGE_DEFINITIONS, EXCHANGE_IDS, EXCHANGES, openExchange } from './registry'
import { ccxtLibrary, type ExchangeEnvironment, type ExchangeKey } from './exchange-client'

const view = (info: CredentialInfo): ExchangeKeyView => ({
  id: info.id,
  exchange: info.broker as ExchangeId,
  environment: info.environment as ExchangeEnvironment,
  label: info.label,
  createdAt: info.createdAt,
})

const isExchangeKey = (info: CredentialInfo) =>
  (EXCHANGE_IDS as readonly string[]).includes(info.broker) && info.environment !== 'paper'

export async function listExchangeKeys(ctx: CoreContext, userId: string): Promise<ExchangeKeyView[]> {
  return (await ctx.store.credentials.list(userId)).filter(isExchangeKey).map(view)
}

/**
 * Seals a key (the platform's secret storage on the desktop, the key file
 * elsewhere) and keeps one per profile, exchange and environment: a new key
 * replaces the old in the same transaction, with an audit row that names the
 * exchange and never the key.
 */
/**
 * How a key is told apart in the list: its last characters, at most four and never more than a quarter of
 * it, so the label (stored, backed up and shown) never gives away enough of a short key to matter.
 */
export function keyLabel(apiKey: string): string {
  const shown = Math.min(4, Math.floor(apiKey.length / 4))
  return shown > 0 ? `key …${apiKey.slice(-shown)}` : 'key'
}

/** A key or secret shorter than the exchange ever issues is refused in words, naming neither. */
function refuseShortKey(input: { exchange: ExchangeId; apiKey: string; secret: string }): void {
  const { keyLengths, capabilities } = EXCHANGE_DEFINITIONS[input.exchange]
  const issues = (['apiKey', 'secret'] as const)
    .filter((field) => input[field].length < keyLengths[field])
    .map((field) => ({
      path: [field],
      message: `${capabilities.label} ${field === 'apiKey' ? 'API keys' : 'secrets'} have at least ${keyLengths[field]} characters; this one has ${input[field].length}. Copy the whole ${field === 'apiKey' ? 'key' : 'secret'} from ${capabilities.label}.`,
    }))
  if (issues.length > 0)
    throw new Refusal('invalid_input', `Nothing was saved: ${issues.map((issue) => issue.message).join(' ')}`, issues)
}

export async function saveExchangeKey(
  ctx: CoreContext,
  userId: string,
  actor: Actor,
  input: { exchange: ExchangeId; environment: ExchangeEnvironment; apiKey: string; secret: string },
): Promise<ExchangeKeyView> {
  refuseShortKey(input)
  const sealed = Buffer.from(
    ctx.secrets.encrypt(JSON.stringify({ apiKey: input.apiKey, secret: input.secret })),
    'utf8',
  )
  const label = keyLabel(input.apiKey)
  const saved = await ctx.store.transaction(async (tx) => {
    for (const old of await tx.credentials.list(userId))
      if (old.broker === input.exchange && old.environment === input.environment)
        await tx.credentials.delete(userId, old.id)
    const info = await tx.credentials.save(userId, {
      broker: input.exchange,
      environment: input.environment,
      label,
      secretCiphertext: sealed,
    })
    await tx.auditLog.record({
      userId,
      actor,
      subject: 'credentials',
      action: 'save',
      details: { exchange: input.exchange, environment: input.environment, label },
    })
    return info
  })
  return view(saved)
}

export async function deleteExchangeKey(ctx: CoreContext, userId: string, actor: Actor, id: string): Promise<void> {
  const info = (await ctx.store.credentials.list(userId)).find(
    (candidate) => candidate.id === id && isExchangeKey(candidate),
  )
  if (!info) throw new Refusal('not_found', 'This profile has no such exchange key.')
  await ctx.store.transaction(async (tx) => {
    await tx.credentials.delete(userId, id)
    await tx.auditLog.record({
      userId,
      actor,
      subject: 'credentials',
      action: 'delete',
      details: { exchange: info.broker, environment: info.environment, label: info.label },
    })
  })
}

/** The key itself, unsealed for one call to the exchange; it never leaves the main process. */
export async function unsealedKey(
  ctx: Pick<CoreContext, 'store' | 'secrets'>,
  userId: string,
  id: string,
): Promise<{ info: CredentialInfo; key: ExchangeKey }> {
  const info = (await ctx.store.credentials.list(userId)).find(
    (candidate) => candidate.id === id && isExchangeKey(candidate),
  )
  const sealed = info ? await ctx.store.credentials.ciphertext(userId, id) : null
  if (!info || !sealed) throw new Refusal('not_found', 'This profile has no such exchange key.')
  return { info, key: JSON.parse(ctx.secrets.decrypt(sealed.toString('utf8'))) as ExchangeKey }
}

/** The profile's key for an exchange and environment; null when it has none. */
export async function keyFor(
  ctx: Pick<CoreContext, 'store' | 'secrets'>,
  userId: string,
  exchange: ExchangeId,
  environment: ExchangeEnvironment,
): Promise<ExchangeKey | null> {
  const info = (await ctx.store.credentials.list(userId)).find(
    (candidate) => candidate.broker === exchange && candidate.environment === environment,
  )
  return info ? (await unsealedKey(ctx, userId, info.id)).key : null
}

/** An exchange's refusal or silence, in words, without the request that carried the key. */
export async function exchangeFailure(exchange: ExchangeId, error: unknown): Promise<Refusal> {
  if (error instanceof Refusal) return error
  const ccxt = await ccxtLibrary()
  const label = EXCHANGES[exchange].label
  if (error instanceof ccxt.AuthenticationError || error instanceof ccxt.PermissionDenied)
    return new Refusal(
      'invalid_input',
      `${label} refused the key: check the key and its secret, and that it is for this environment.`,
    )
  if (error instanceof ccxt.DDoSProtection)
    return new Refusal('unavailable', `${label} is limiting requests; try again in a minute.`)
  if (error instanceof ccxt.InvalidNonce)
    return new Refusal(
      'unavailable',
      `${label} refused a request signed by this machine's clock, which is further off the exchange's than it accepts. Turn on automatic (network) time and try again.`,
    )
  if (error instanceof ccxt.NetworkError)
    return new Refusal('unavailable', `${label} could not be reached: ${errorMessage(error).slice(0, 200)}`)
  if (error instanceof ccxt.BadSymbol)
    return new Refusal('invalid_input', `${label} has no such instrument: ${errorMessage(error).slice(0, 200)}`)
  return new Refusal('unavailable', `${label} answered with an error: ${errorMessage(error).slice(0, 300)}`)
}

/** "Test": the account, its balances, and what the key may do, asked of the exchange. */
export async function testExchangeKey(ctx: CoreContext, userId: string, id: string): Promise<ExchangeKeyTest> {
  const { info, key } = await unsealedKey(ctx, userId, id)
  const exchangeId = info.broker as ExchangeId
  const exchange = await openExchange(exchangeId, info.environment as ExchangeEnvironment, key)
  try {
    const balance = await exchange.fetchBalance()
    const totals = (balance.total ?? {}) as unknown as Record<string, number | undefined>
    const free = (balance.free ?? {}) as unknown as Record<string, number | undefined>
    const balances = Object.entries(totals)
      .filter(([, total]) => typeof total === 'number' && total !== 0)
      .map(([currency, total]) => ({
        currency,
        total: String(total),
        free: free[currency] === undefined ? null : String(free[currency]),
      }))
    const raw = (balance.info ?? {}) as Record<string, unknown>
    const accountId =
      raw.id !== undefined
        ? String(raw.id)
        : raw.uid !== undefined
          ? String(raw.uid)
          : typeof raw.username === 'string'
            ? raw.username
            : null
    const warnings: string[] = []
    const definition = EXCHANGE_DEFINITIONS[exchangeId]
    const permissions = await definition.readKeyPermissions(exchange, key, info.environment as ExchangeEnvironment)
    const canTrade = 'unreadable' in permissions ? null : permissions.canTrade
    const canWithdraw = 'unreadable' in permissions ? null : permissions.canWithdraw
    const account = accountId ?? ('unreadable' in permissions ? null : permissions.accountId)
    if ('unreadable' in permissions)
      warnings.push(
        `Tradedeck cannot read this key's permissions on ${EXCHANGES[exchangeId].label} ${info.environment}: ${permissions.unreadable}`,
      )
    else if (!canTrade)
      warnings.push(`This key cannot trade (${definition.tradeRight}): Tradedeck could watch but not place orders.`)
    if (canWithdraw)
      warnings.push(
        `This key can also withdraw funds (${definition.withdrawRight}). A trading desk never needs that: make a key without withdrawal rights.`,
      )
    return { accountId: account, balances, canTrade, canWithdraw, warnings, checkedAt: new Date().toISOString() }
  } catch (error) {
    throw await exchangeFailure(exchangeId, error)
  }
}
