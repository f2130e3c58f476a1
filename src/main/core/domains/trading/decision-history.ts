import { once } from 'node:events'
import { createWriteStream, renameSync } from 'node:fs'
import { join } from 'node:path'
import type { DecisionContext, ExportResult } from '../../../../shared/contract'
import type { DecisionFilter } from '../../../../shared/domain'
import { EXPORTS_DIR_NAME } from '../../platform/files/data-dir'
import { makePrivateDir, PRIVATE_FILE_MODE } from '../../platform/files/private-files'
import type { Repositories } from '../../platform/store/store'
import { candlesAround } from './snapshot-candles'
import { TradingError } from './trading-error'

// A decision's chart shows what the strategy saw and what came after.
const DETAIL_CANDLES_BEFORE = 90
const DETAIL_CANDLES_AFTER = 30

/** What a decision was about: its idea, its order and fills, and the candles around the moment. */
export async function decisionContext(
  store: Repositories,
  userId: string,
  decisionId: string,
): Promise<DecisionContext> {
  const decision = await store.decisions.get(userId, decisionId)
  if (!decision) throw new TradingError('not_found', 'No such decision.')
  const idea = decision.tradeIdeaId ? await store.tradeIdeas.get(userId, decision.tradeIdeaId) : null
  const order = decision.orderId ? await store.orders.get(userId, decision.orderId) : null
  const fills = order ? await store.orders.fills(userId, order.id) : []
  const snapshotId = decision.snapshotId ?? idea?.snapshotId ?? null
  const strategyId = decision.strategyId ?? idea?.strategyId ?? null
  const strategy = strategyId ? await store.strategies.get(userId, strategyId) : null
  const priceDecimals = Number(strategy?.config.priceDecimals)
  return {
    precision: Number.isInteger(priceDecimals) ? { price: priceDecimals, quantity: null } : null,
    idea,
    order: order && {
      id: order.id,
      side: order.side,
      quantity: order.quantity,
      status: order.status,
      createdAt: order.createdAt,
      fills: fills.map(({ price, quantity, fee, filledAt }) => ({ price, quantity, fee, filledAt })),
    },
    candles: snapshotId
      ? await candlesAround(
          store,
          decision.symbol ?? idea?.symbol ?? '',
          snapshotId,
          DETAIL_CANDLES_BEFORE,
          DETAIL_CANDLES_AFTER,
        )
      : null,
  }
}

/** Streams the matching history to a CSV in exports/, owner-only, under its final name only once complete. */
export async function exportDecisionsCsv(
  store: Repositories,
  dataDir: string,
  userId: string,
  filter: DecisionFilter,
): Promise<ExportResult> {
  const dir = join(dataDir, EXPORTS_DIR_NAME)
  makePrivateDir(dir)
  const path = join(dir, `decisions-${new Date().toISOString().replace(/[-:]/g, '').replace('.', '')}.csv`)
  const partial = `${path}.partial`
  const out = createWriteStream(partial, { mode: PRIVATE_FILE_MODE })
  const rows = await store.decisions.exportCsv(userId, filter, out)
  out.end()
  await once(out, 'close')
  renameSync(partial, path)
  return { path, rows }
}
