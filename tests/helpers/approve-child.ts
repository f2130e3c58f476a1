// Approves one idea in its own OS process, for the kill -9 tests: the parent kills it mid-order.
import { openChildDesk } from './child-desk'

async function main(): Promise<void> {
  const [dataDir, ideaId] = process.argv.slice(2) as [string, string]
  const desk = await openChildDesk(dataDir)
  process.stderr.write('approving\n')
  await desk.trading.for(desk.userId).service.approve(desk.userId, ideaId)
  process.stderr.write('approved\n')
  desk.close()
}

void main()
