// A desk in a child process, for the kill -9 tests: the same wiring as the app's (store, trading registry, sealed
// keys), without the rest of the core.
import { join } from 'node:path'
import { openSqlite } from '../../src/main/core/platform/db/sqlite'
import { CoreEvents } from '../../src/main/core/platform/events'
import { keyFileSecretBox } from '../../src/main/core/platform/central/secret-box'
import { sqliteStoreDb } from '../../src/main/core/platform/store/connection'
import { createStore } from '../../src/main/core/platform/store/store'
import { TradingRegistry } from '../../src/main/core/wiring/trading-registry'

export async function openChildDesk(dataDir: string) {
  const db = openSqlite(join(dataDir, 'tradedeck.sqlite'))
  const store = createStore(sqliteStoreDb(db))
  const user = await store.users.ensureDefault()
  const trading = new TradingRegistry(
    () => store,
    new CoreEvents(),
    () => keyFileSecretBox(dataDir),
  )
  return {
    store,
    userId: user.id,
    trading,
    close() {
      trading.reset()
      db.close()
    },
  }
}
