import { expect, test } from '@playwright/test'
import { startBrowserMode } from '../helpers/browser-mode'
import { LINEAR_BTC, startDeribitStandin, type DeribitStandin } from '../helpers/deribit-standin'
import { browserModeSuite } from './browser-mode-suite'
import { useStandinTiming } from '../helpers/standin-timing'
import { standinKey } from '../helpers/standin-key'

const KEY = standinKey('e2e-trading-key-5511', 'e2e-trading-secret-stays-in-main')

test.describe('trading on an exchange', () => {
  let standin: DeribitStandin | undefined
  let restoreTiming: (() => void) | undefined
  // Browser mode reaches the local Deribit stand-in (its JSON-RPC over HTTP) through the endpoint override.
  const suite = browserModeSuite(async (dataDir) => {
    standin = await startDeribitStandin({
      keys: [{ clientId: KEY.apiKey, clientSecret: KEY.secret, scope: 'account:read trade:read_write wallet:read' }],
    })
    process.env.TRADEDECK_EXCHANGE_URL_DERIBIT_TESTNET = standin.url
    restoreTiming = useStandinTiming()
    return startBrowserMode(dataDir)
  })
  test.afterAll(async () => {
    restoreTiming?.()
    delete process.env.TRADEDECK_EXCHANGE_URL_DERIBIT_TESTNET
    await standin?.close()
  })

  test('add a Deribit testnet key, run an instance on it, approve its first idea, see it filled on the exchange and in Tradedeck, then flatten and halt', async ({
    page,
  }) => {
    test.setTimeout(240_000)
    await page.goto(suite.app.url)
    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    const exchanges = page.getByRole('region', { name: 'Exchanges' })
    const form = exchanges.getByRole('form', { name: 'Add an exchange key' })
    await form.getByLabel('API key').fill(KEY.apiKey)
    await form.getByLabel('Secret').fill(KEY.secret)
    await form.getByRole('button', { name: 'Save key' }).click()
    await expect(form.getByRole('status')).toContainText('Saved, sealed')
    await exchanges.getByRole('list', { name: 'Exchange keys' }).getByRole('button', { name: 'Test' }).click()
    await expect(exchanges.getByRole('status', { name: 'Key test' })).toContainText('Can trade: yes.')

    // An instance on Deribit testnet, on the USDC-margined perpetual, with short averages so it proposes soon.
    await page.getByRole('button', { name: 'Strategies', exact: true }).click()
    const create = page.getByRole('form', { name: 'New strategy instance' })
    await create.getByLabel('Strategy kind').selectOption({ label: 'EMA crossover' })
    await create.getByLabel('Instrument').fill(LINEAR_BTC)
    await create.getByLabel('Venue').selectOption({ label: 'Deribit live (real money)' })
    await expect(create.getByLabel(`Type “deribit ${LINEAR_BTC}” to confirm live trading`)).toBeVisible()
    await create.getByLabel('Venue').selectOption({ label: 'Deribit testnet' })
    await expect(create.getByText('Takes its candles from Deribit testnet')).toBeVisible()
    await create.getByLabel('Candle length').selectOption('1m')
    await create.getByLabel('Fast EMA period').fill('2')
    await create.getByLabel('Slow EMA period').fill('3')
    await create.getByLabel('Size of each idea').fill('0.002')
    await create.getByLabel('Decimals prices are rounded to').fill('1')
    await create.getByLabel(/Candles of history/).fill('60')
    await create.getByRole('button', { name: 'Create instance' }).click()
    const instances = page.getByRole('table', { name: 'Strategy instances' })
    await expect(instances).toContainText('Deribit')
    await instances.getByRole('button', { name: `Start EMA crossover ${LINEAR_BTC} 1m` }).click()
    await expect(instances).toContainText('active')
    await page.screenshot({ path: 'test-results/exchange-instance.png', fullPage: true })

    // Its first idea comes from the last closed minute on the exchange; approving sends it to the exchange once.
    await page.getByRole('button', { name: 'Trade Ideas', exact: true }).click()
    // The trader picks the idea: nothing selects one for them, and an idea the market already left waits greyed.
    const waiting = page.getByTestId('queue').locator('.queue-row:not(.departed)')
    await expect(waiting.first()).toContainText(LINEAR_BTC, { timeout: 150_000 })
    await waiting.first().click()
    await page.getByRole('button', { name: /Approve/ }).click()
    await expect(page.getByRole('alert')).toContainText(`Approved:`)
    await expect
      .poll(
        () =>
          standin!.orders().filter((order) => order.label.startsWith('td-') && order.order_state === 'filled').length,
      )
      .toBe(1)
    const [placed] = standin!.orders()

    await page.getByRole('button', { name: 'Overview', exact: true }).click()
    const positions = page.getByRole('table', { name: 'Open positions' })
    await expect(positions).toContainText(LINEAR_BTC)
    // At the market's tick (0.5 on the stand-in's BTC_USDC-PERPETUAL: one decimal), thousands grouped.
    await expect(positions).toContainText(
      Number(placed!.average_price).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    )
    await expect(positions).toContainText('deribit · testnet')
    // The stop-loss and take-profit wait on the exchange as reduce-only trigger orders.
    await expect
      .poll(() =>
        standin!
          .orders()
          .filter((order) => order.order_state === 'untriggered')
          .map((order) => order.order_type)
          .sort(),
      )
      .toEqual(['stop_market', 'take_market'])
    await page.screenshot({ path: 'test-results/exchange-filled.png', fullPage: true })

    // Manage the position: close half of it, then move its stop by typing; each asks once more, naming the position.
    await positions.getByRole('button', { name: /^Manage / }).click()
    const manage = page.getByRole('region', { name: 'Manage position' })
    await manage.getByLabel('Percent').fill('50')
    await manage.getByRole('button', { name: 'Close part…' }).click()
    const confirm = manage.getByRole('group', { name: 'Confirm the position action' })
    await expect(confirm).toContainText(`Close 50% of the`)
    await expect(confirm).toContainText(`0.002 ${LINEAR_BTC} at market?`)
    await confirm.getByRole('button', { name: 'Yes' }).click()
    await expect(manage.getByRole('status')).toContainText('Part closed.')
    await expect.poll(() => standin!.positions().map((position) => Math.abs(position.size))).toEqual([0.001])
    await expect(positions).toContainText('0.001')
    const stopNow = () =>
      standin!
        .orders()
        .filter((order) => order.order_state === 'untriggered' && order.order_type === 'stop_market')
        .map((order) => [order.amount, order.trigger_price])
    await expect.poll(() => stopNow().map(([amount]) => amount)).toEqual([0.001])
    const direction = placed!.direction
    const oldStop = Number(stopNow()[0]![1])
    const newStop = String(direction === 'buy' ? oldStop + 10 : oldStop - 10)
    await manage.getByLabel('Stop-loss').fill(newStop)
    await manage.getByRole('button', { name: 'Move…' }).click()
    await expect(confirm).toContainText(`to stop ${newStop}`)
    await page.screenshot({ path: 'test-results/position-manage.png', fullPage: true })
    await confirm.getByRole('button', { name: 'Yes' }).click()
    await expect(manage.getByRole('status')).toContainText('Moved.')
    await expect.poll(stopNow).toEqual([[0.001, Number(newStop)]])

    // Or drag the stop line on the position's chart toward the price: the same question, then the same move.
    const chart = manage.getByTestId('position-chart')
    // The chart drawn with the moved stop, not the one before it (it is drawn again once the move is read back).
    await expect.poll(async () => Number(await chart.getAttribute('data-stop'))).toBe(Number(newStop))
    const stopY = Number(await chart.getAttribute('data-stop-y'))
    // The press goes where the line is on screen: the chart is scrolled into view first (typing in the form below it
    // may have scrolled its top out of the window), and measured after.
    await chart.hover({ position: { x: 200, y: stopY } })
    await page.mouse.down()
    const box = (await chart.boundingBox())!
    // Toward the price: down for a short's stop above it, up for a long's below it. A few pixels only: the stand-in's
    // price swings by a fifth of a percent each minute, and a longer drag could carry the stop past it.
    await page.mouse.move(box.x + 200, box.y + stopY + (direction === 'buy' ? -4 : 4), { steps: 4 })
    await page.mouse.up()
    await expect(confirm).toContainText('to stop ')
    const dragged = Number((await confirm.textContent())!.match(/to stop ([\d.]+)/)![1])
    expect(direction === 'buy' ? dragged > Number(newStop) : dragged < Number(newStop)).toBe(true)
    await confirm.getByRole('button', { name: 'Yes' }).click()
    await expect(manage.getByRole('status')).toContainText('Moved.')
    await expect.poll(stopNow).toEqual([[0.001, dragged]])

    // A trail on the position: on Deribit, a trail alone is handed to the exchange's own trailing stop once a close
    // tightens the stop.
    await manage.getByLabel('Trailing stop').selectOption('distance')
    await manage.getByLabel('Distance').fill('150')
    await manage.getByRole('button', { name: 'Set trail…' }).click()
    await expect(confirm).toContainText('trail the stop 150 behind the price?')
    await confirm.getByRole('button', { name: 'Yes' }).click()
    await expect(manage.getByRole('status')).toContainText(
      'Trail set: the stop follows it from the next closed candle.',
    )
    await expect(manage).toContainText(
      "Trail: trailing 150 behind the price, by Tradedeck's watcher until a close tightens it, then on the exchange's own trailing stop.",
    )
    await page.screenshot({ path: 'test-results/position-trail.png', fullPage: true })

    // Each is in Decision History, as the person's.
    await page.getByRole('button', { name: 'Decision History', exact: true }).click()
    const history = page.getByTestId('history-rows')
    await expect(history).toContainText('position closed')
    await expect(history).toContainText('levels moved')
    await expect(history).toContainText('trailing 150 behind the price')
    await page.screenshot({ path: 'test-results/position-history.png', fullPage: true })
    await page.getByRole('button', { name: 'Overview', exact: true }).click()

    await page.getByRole('button', { name: 'Flatten and halt…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Flatten and halt' })
    await expect(dialog).toContainText(
      "Tradedeck's own open orders on every exchange this profile has a key for are cancelled; orders you placed yourself stay.",
    )
    await expect(dialog).toContainText(
      'its stop and target are cancelled once the close has filled, so a close that fails leaves the position protected.',
    )
    await dialog.getByLabel('Reason').fill('end of the session')
    await dialog.getByRole('button', { name: 'Flatten and halt now' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Trading is halted.' })).toContainText(
      'deribit testnet: 2 orders cancelled, 1 position closed',
    )
    await expect(page.getByTestId('halt-banner')).toContainText('Flatten and halt: end of the session')
    const book = page.getByRole('region', { name: 'Positions and trades' })
    await expect(book).toContainText('No open positions.')
    await expect(book.getByRole('table', { name: 'Recent trades' })).toContainText(
      new RegExp(`${LINEAR_BTC}(long|short)0\\.001`),
    )
    expect(standin!.positions()).toEqual([])
    await page.screenshot({ path: 'test-results/exchange-flattened.png', fullPage: true })
    expect(await page.content()).not.toContain(KEY.secret)
  })
})
