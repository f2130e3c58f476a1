// Hands one closed candle to a profile's exchange broker in its own OS process, for the kill -9 tests: the parent
// kills it while the order the candle causes (a trailing stop taking over, say) is on its way.
import { join } from 'node:path'
import { openSqlite } from '../../src/main/core/platform/db/sqlite'
import { CoreEvents } from '../../src/main/core/platform/events'
import { keyFileSecretBox } from '../../src/main/core/platform/central/secret-box'
import { sqliteStoreDb } from '../../src/main/core/platform/store/connection'
import { createStore } from '../../src/main/core/platform/store/store'
import { TradingRegistry } from '../../src/main/core/wiring/trading-registry'
import type { ExchangeId } from '../../src/shared/domain'

async function main(): Promise<void> {
  const [dataDir, exchange, candle] = process.argv.slice(2) as [string, ExchangeId, string]
  const db = openSqlite(join(dataDir, 'tradedeck.sqlite'))
  const store = createStore(sqliteStoreDb(db))
  const user = await store.users.ensureDefault()
  const trading = new TradingRegistry(
    () => store,
    new CoreEvents(),
    () => keyFileSecretBox(dataDir),
  )
  process.stderr.write('candle\n')
  await trading.exchangeBrokerFor(user.id, exchange, 'testnet').onCandle(JSON.parse(candle))
  process.stderr.write('done\n')
  trading.reset()
  db.close()
}

void main()
