// Seeds a data dir with ideas waiting for approval, the way a strategy would propose them.
import { join } from 'node:path'
import { openSqlite } from '../../src/main/core/db/sqlite'
import { readManifestFromDisk } from '../../src/main/core/migrations/files'
import { sqliteMigrator } from '../../src/main/core/migrations/open'
import { sqliteStoreDb } from '../../src/main/core/store/connection'
import { createStore } from '../../src/main/core/store/store'
import { paperTrading } from '../../src/main/core/trading/paper-trading'

/**
 * The desk a trader meets at the approval queue with money at stake: a live
 * Deribit idea, one about to run out of time (the expiry check withdraws it
 * while the trader looks at it), and a paper one.
 */
async function seedApprovals(store: ReturnType<typeof createStore>, userId: string) {
  const { service } = paperTrading(store, userId)
  const live = await store.strategies.create(userId, {
    strategyName: 'ema_crossover',
    instrument: 'BTC-PERPETUAL',
    broker: 'deribit',
    environment: 'live',
    config: { timeframe: '1m' },
  })
  const later = new Date(Date.now() + 3_600_000).toISOString()
  const ideas = [
    {
      symbol: 'SOL-PERP',
      direction: 'long' as const,
      entryPrice: '142.1',
      stopLoss: '138.9',
      takeProfit: '150',
      size: '1',
      confidence: 0.66,
      rationale: 'Donchian 20 breakout on rising volume.',
      expiresAt: later,
    },
    {
      symbol: 'ETH-PERP',
      direction: 'short' as const,
      entryPrice: '3120.5',
      stopLoss: '3180',
      takeProfit: '3000',
      size: '0.8',
      confidence: 0.58,
      rationale: 'RSI 78 on the 1h with bearish divergence.',
      expiresAt: new Date(Date.now() + 2_000).toISOString(),
    },
    {
      strategyId: live.id,
      symbol: 'BTC-PERPETUAL',
      direction: 'long' as const,
      entryPrice: '67120',
      stopLoss: '66300',
      takeProfit: '69000',
      size: '0.1',
      confidence: 0.74,
      rationale: 'EMA 5 crossed above EMA 13 with RSI 56.',
      expiresAt: later,
    },
  ]
  for (const idea of ideas) {
    await service.propose(userId, idea)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
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
  if (scenario === 'approvals') {
    await seedApprovals(store, user.id)
    return db.close()
  }
  const { service } = paperTrading(store, user.id)
  const expiresAt = new Date(Date.now() + 3_600_000).toISOString()
  const ideas = [
    {
      symbol: 'ETH-PERP',
      direction: 'short' as const,
      entryPrice: '3120.5',
      stopLoss: '3180',
      takeProfit: '3000',
      size: '0.8',
      confidence: 0.58,
      rationale: 'RSI 78 on the 1h with bearish divergence; fading the spike into resistance.',
    },
    {
      symbol: 'SOL-PERP',
      direction: 'long' as const,
      entryPrice: '142.1',
      stopLoss: '138.9',
      takeProfit: '150',
      size: '1',
      confidence: 0.66,
      rationale: 'Donchian 20 breakout on rising volume.',
    },
    {
      symbol: 'BTC-PERP',
      direction: 'long' as const,
      entryPrice: '67120',
      stopLoss: '66300',
      takeProfit: '69000',
      size: '0.5',
      confidence: 0.74,
      rationale: 'EMA 12 crossed above EMA 26 with RSI 56; ATR stop 1.2×.',
    },
  ]
  for (const idea of ideas) {
    await service.propose(user.id, { ...idea, expiresAt })
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  db.close()
}

void main(process.argv[2] as string, process.argv[3])
