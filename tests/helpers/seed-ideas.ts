// Seeds a data dir with ideas waiting for approval, the way a strategy would propose them.
import { join } from 'node:path'
import { openSqlite } from '../../src/main/core/platform/db/sqlite'
import { readManifestFromDisk } from '../../src/main/core/platform/migrations/files'
import { sqliteMigrator } from '../../src/main/core/platform/migrations/open'
import { sqliteStoreDb } from '../../src/main/core/platform/store/connection'
import { createStore } from '../../src/main/core/platform/store/store'
import { paperTrading } from '../../src/main/core/domains/trading/paper-trading'

type Proposal = Parameters<ReturnType<typeof paperTrading>['service']['propose']>[1]

const ETH_SHORT = {
  symbol: 'ETH-PERP',
  direction: 'short' as const,
  entryPrice: '3120.5',
  stopLoss: '3180',
  takeProfit: '3000',
  size: '0.8',
  confidence: 0.58,
  rationale: 'RSI 78 on the 1h with bearish divergence; fading the spike into resistance.',
}
const SOL_LONG = {
  symbol: 'SOL-PERP',
  direction: 'long' as const,
  entryPrice: '142.1',
  stopLoss: '138.9',
  takeProfit: '150',
  size: '1',
  confidence: 0.66,
  rationale: 'Donchian 20 breakout on rising volume.',
}

/** Proposed one after another, a few milliseconds apart, so the queue's newest-first order is theirs reversed. */
async function proposeInOrder(store: ReturnType<typeof createStore>, userId: string, ideas: Proposal[]) {
  const { service } = paperTrading(store, userId)
  for (const idea of ideas) {
    await service.propose(userId, idea)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString()

/** The queue a trader meets: three paper ideas waiting for approval. */
async function seedQueue(store: ReturnType<typeof createStore>, userId: string) {
  const expiresAt = inAnHour()
  await proposeInOrder(store, userId, [
    { ...ETH_SHORT, expiresAt },
    { ...SOL_LONG, expiresAt },
    {
      symbol: 'BTC-PERP',
      direction: 'long',
      entryPrice: '67120',
      stopLoss: '66300',
      takeProfit: '69000',
      size: '0.5',
      confidence: 0.74,
      rationale: 'EMA 12 crossed above EMA 26 with RSI 56; ATR stop 1.2×.',
      expiresAt,
    },
  ])
}

/**
 * The desk a trader meets at the approval queue with money at stake: a live
 * Deribit idea, one about to run out of time (the expiry check withdraws it
 * while the trader looks at it), and a paper one.
 */
async function seedApprovals(store: ReturnType<typeof createStore>, userId: string) {
  const live = await store.strategies.create(userId, {
    strategyName: 'ema_crossover',
    instrument: 'BTC-PERPETUAL',
    broker: 'deribit',
    environment: 'live',
    config: { timeframe: '1m' },
  })
  await proposeInOrder(store, userId, [
    { ...SOL_LONG, expiresAt: inAnHour() },
    { ...ETH_SHORT, expiresAt: new Date(Date.now() + 2_000).toISOString() },
    {
      strategyId: live.id,
      symbol: 'BTC-PERPETUAL',
      direction: 'long',
      entryPrice: '67120',
      stopLoss: '66300',
      takeProfit: '69000',
      size: '0.1',
      confidence: 0.74,
      rationale: 'EMA 5 crossed above EMA 13 with RSI 56.',
      expiresAt: inAnHour(),
    },
  ])
}

/**
 * A desk whose figures carry every kind of awkward value: a paper position with float noise in its price
 * and size, a paper trade whose P&L and fees run to twenty digits, and an imported trade as a float-minded
 * source would have stored it. The paper instance on BTC-USD rounds prices to 2 decimals.
 */
async function seedAwkwardMoney(
  store: ReturnType<typeof createStore>,
  userId: string,
  db: ReturnType<typeof openSqlite>,
) {
  const instance = await store.strategies.create(userId, {
    name: 'EMA crossover BTC-USD 15s',
    strategyName: 'ema_crossover',
    instrument: 'BTC-USD',
    environment: 'paper',
    config: { timeframe: '15s', priceDecimals: 2 },
  })
  const openedAt = new Date(Date.now() - 3_600_000).toISOString()
  await store.positions.open(userId, {
    strategyId: instance.id,
    broker: 'paper',
    environment: 'paper',
    symbol: 'BTC-USD',
    direction: 'long',
    quantity: '0.30000000000000004',
    averagePrice: '26843.123456789',
    stopLoss: '26000.100000000001',
    takeProfit: '28000.999999',
    openedAt,
  })
  await store.trades.record(userId, {
    strategyId: instance.id,
    positionId: null,
    tradeIdeaId: null,
    broker: 'paper',
    symbol: 'BTC-USD',
    direction: 'long',
    quantity: '1.0000000000000002',
    entryPrice: '107.10000000000001',
    exitPrice: '108.07999999999998',
    realizedPnl: '0.9799100000000034',
    fees: '1.1776600000000000045',
    exitReason: 'take_profit',
    openedAt,
    closedAt: new Date().toISOString(),
  })
  db.prepare(
    `INSERT INTO trades (id, user_id, broker, symbol, direction, quantity, entry_price, exit_price, realized_pnl, fees, exit_reason, metadata, opened_at, closed_at)
     VALUES ('00000000-0000-7000-8000-00000000c0de', ?, 'binance', 'ETH/USDT', 'short', '0.123456789012345', '3120.5000000000005', '3000.1', '14.864197530864', '0.7489000000000001', 'stop_loss', '{"source":{"file":"tradesv3.sqlite"}}', ?, ?)`,
  ).run(userId, openedAt, new Date().toISOString())
}

/** A LIVE position on Bybit, protected on the exchange: what a trader manages with real money at stake. */
async function seedLivePosition(store: ReturnType<typeof createStore>, userId: string) {
  await store.positions.open(userId, {
    strategyId: null,
    broker: 'bybit',
    environment: 'live',
    symbol: 'BTCUSDT',
    direction: 'long',
    quantity: '0.004',
    averagePrice: '60000',
    stopLoss: '59000',
    takeProfit: '62000',
    openedAt: new Date(Date.now() - 600_000).toISOString(),
    metadata: { entryFee: '0.13', exits: 'native' },
  })
}

async function main(dataDir: string, scenario = 'queue') {
  const dbPath = join(dataDir, 'tradedeck.sqlite')
  const db = openSqlite(dbPath)
  await sqliteMigrator(db, dataDir, {
    appVersion: 'seed',
    defs: readManifestFromDisk(join(__dirname, '..', '..', 'migrations')).sqlite,
    dbPath,
  }).migrate()
  const store = createStore(sqliteStoreDb(db))
  const user = await store.users.ensureDefault()
  if (scenario === 'money') await seedAwkwardMoney(store, user.id, db)
  else if (scenario === 'live-position') await seedLivePosition(store, user.id)
  else await (scenario === 'approvals' ? seedApprovals(store, user.id) : seedQueue(store, user.id))
  db.close()
}

void main(process.argv[2] as string, process.argv[3])
