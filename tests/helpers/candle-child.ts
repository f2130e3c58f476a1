// Hands one closed candle to a profile's exchange broker in its own OS process, for the kill -9 tests: the parent
// kills it while the order the candle causes (a trailing stop taking over, say) is on its way.
import type { ExchangeId } from '../../src/shared/domain'
import { openChildDesk } from './child-desk'

async function main(): Promise<void> {
  const [dataDir, exchange, candle] = process.argv.slice(2) as [string, ExchangeId, string]
  const desk = await openChildDesk(dataDir)
  process.stderr.write('candle\n')
  await desk.trading.exchangeBrokerFor(desk.userId, exchange, 'testnet').onCandle(JSON.parse(candle))
  process.stderr.write('done\n')
  desk.close()
}

void main()
