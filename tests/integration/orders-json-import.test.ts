import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importHistory } from '../../src/main/core/domains/imports/history-import'
import { humanActor } from '../../src/shared/domain'
import { importDesks } from '../helpers/import-desks'
import { sha256Of } from '../helpers/sha256'
import { tableChecksums } from '../helpers/table-checksums'

const TRADES_HISTORY = [
  {
    order_id: '240301000123',
    tradingsymbol: 'RELIANCE',
    exchange: 'NSE',
    transaction_type: 'BUY',
    quantity: 10,
    average_price: 2950.5,
    order_timestamp: '2024-03-01 09:15:02',
    product: 'CNC',
    charges: 12.4,
    broker_note: 'kept',
  },
  {
    order_id: '240301000456',
    symbol: 'INFY',
    exchange: 'NSE',
    side: 'sell',
    qty: '5',
    price: '1620.25',
    timestamp: '2024-03-01T10:00:00+05:30',
  },
  // No order id: keyed by the file and its record number.
  { symbol: 'TCS', exchange: 'NSE', side: 'BUY', quantity: 2, price: 4100, timestamp: 1709265600 },
  { order_id: 'bad-1', symbol: 'HDFCBANK', side: 'HOLD', quantity: 0, price: 1500, timestamp: 'yesterday' },
]

const PENDING = {
  pending_orders: [
    {
      order_id: 'amo-1',
      symbol: 'SBIN',
      exchange: 'NSE',
      transaction_type: 'BUY',
      quantity: 100,
      price: 760,
      order_type: 'LIMIT',
      variety: 'amo',
      placed_at: '2024-03-01 18:30:00',
      status: 'AMO REQ RECEIVED',
    },
    {
      order_id: 'amo-2',
      symbol: 'ITC',
      exchange: 'NSE',
      transaction_type: 'SELL',
      quantity: 50,
      order_type: 'MARKET',
      placed_at: '2024-03-01 19:00:00',
    },
  ],
}

const PAPER = {
  balance: 1000000,
  positions: [
    {
      symbol: 'NIFTY24MARFUT',
      quantity: -50,
      average_price: 22100,
      opened_at: '2024-03-01 11:00:00',
      stop_loss: 22300,
    },
    { symbol: 'RELIANCE', quantity: 20, average_price: 2940 },
    { symbol: 'BAD', quantity: 0, average_price: 1 },
  ],
  orders: [
    {
      order_id: 'paper-9',
      symbol: 'RELIANCE',
      side: 'BUY',
      quantity: 20,
      price: 2940,
      timestamp: '2024-03-01 09:20:00',
      broker: 'paper',
    },
  ],
}

describe('importing order history from JSON', () => {
  const { desk, write, importInto, rows } = importDesks()

  it('reads trades_history.json under any of its field names, times in IST, names bad records and extra fields, and imports each order once', async () => {
    const { core, dataDir, user } = await desk()
    const file = write('trades_history.json', TRADES_HISTORY)
    const before = tableChecksums(join(dataDir, 'tradedeck.sqlite'))

    const dry = await importInto(core, user, file, true)
    expect(dry).toMatchObject({
      format: 'orders-json',
      sha256: sha256Of(file),
      tables: { orders: { new: 3, duplicate: 0, invalid: 1 }, fills: { new: 3, duplicate: 0, invalid: 1 } },
      issueCount: 3,
    })
    expect(dry.tables.trades).toBeUndefined()
    expect(dry.issues.map((issue) => `${issue.where} ${issue.field}`)).toEqual([
      'trades_history.json, record 4 side',
      'trades_history.json, record 4 quantity',
      'trades_history.json, record 4 timestamp',
    ])
    expect(dry.skipped).toEqual([
      expect.objectContaining({ unit: 'field', reason: expect.stringContaining('broker_note') }),
    ])
    expect(tableChecksums(join(dataDir, 'tradedeck.sqlite'))).toEqual(before)

    // Record 4 is invalid: the real run writes nothing unless told to leave it out.
    await expect(importInto(core, user, file, false)).rejects.toThrow(
      /^trades_history\.json has 2 invalid records, so nothing was imported: trades_history\.json, record 4, side: /,
    )
    expect(tableChecksums(join(dataDir, 'tradedeck.sqlite'))).toEqual(before)
    const real = await importInto(core, user, file, false, undefined, true)
    expect(real.backupFile).toMatch(/^tradedeck-/)
    const orders = rows<{
      broker_order_id: string
      broker: string
      symbol: string
      side: string
      status: string
      environment: string
      metadata: string
    }>(dataDir, 'SELECT * FROM orders ORDER BY created_at')
    expect(
      orders.map((order) => [
        order.broker_order_id,
        order.broker,
        order.symbol,
        order.side,
        order.status,
        order.environment,
      ]),
    ).toEqual([
      ['240301000123', 'nse', 'RELIANCE', 'buy', 'filled', 'live'],
      ['trades_history.json#3', 'nse', 'TCS', 'buy', 'filled', 'live'],
      ['240301000456', 'nse', 'INFY', 'sell', 'filled', 'live'],
    ])
    expect(JSON.parse(orders[0]!.metadata)).toMatchObject({
      product: 'CNC',
      extra: { broker_note: 'kept' },
      source: { kind: 'trades_history', record: 1 },
    })
    const fills = rows<{ price: string; quantity: string; fee: string; filled_at: string }>(
      dataDir,
      'SELECT price, quantity, fee, filled_at FROM fills ORDER BY filled_at',
    )
    // 09:15:02 IST is 03:45:02 UTC; epoch 1709265600 is 04:00 UTC.
    expect(fills).toEqual([
      { price: '2950.5', quantity: '10', fee: '12.4', filled_at: '2024-03-01T03:45:02.000Z' },
      { price: '4100', quantity: '2', fee: '0', filled_at: '2024-03-01T04:00:00.000Z' },
      { price: '1620.25', quantity: '5', fee: '0', filled_at: '2024-03-01T04:30:00.000Z' },
    ])
    const decisions = rows<{ action: string; rationale: string }>(
      dataDir,
      "SELECT action, rationale FROM decision_history WHERE action = 'imported'",
    )
    expect(decisions).toHaveLength(1)
    expect(decisions[0]!.rationale).toContain(sha256Of(file))
    expect(decisions[0]!.rationale).toContain('orders: 3 new, 0 already here, 1 invalid')

    // The same file under another name adds nothing.
    const again = await importInto(core, user, file, false, 'copy of trades_history.json', true)
    expect(again.tables.orders).toMatchObject({ new: 1, duplicate: 2 })
  })

  it('keeps pending after-market orders pending, off the risk engine, and imports paper positions without handing them to the paper broker', async () => {
    const { core, dataDir, user } = await desk()
    const pending = await importInto(core, user, write('pending_orders.json', PENDING), false)
    expect(pending.tables).toEqual({ orders: { new: 2, duplicate: 0, invalid: 0 } })
    const amo = rows<{ status: string; type: string; limit_price: string | null; metadata: string }>(
      dataDir,
      'SELECT status, type, limit_price, metadata FROM orders ORDER BY broker_order_id',
    )
    expect(amo.map((order) => [order.status, order.type, order.limit_price])).toEqual([
      ['pending', 'limit', '760'],
      ['pending', 'market', null],
    ])
    expect(JSON.parse(amo[0]!.metadata)).toMatchObject({
      afterMarket: true,
      sourceStatus: 'AMO REQ RECEIVED',
      variety: 'amo',
    })
    expect(rows(dataDir, 'SELECT * FROM fills')).toHaveLength(0)

    const paper = await importInto(core, user, write('paper_trading.json', PAPER), false, undefined, true)
    expect(paper.tables).toEqual({
      orders: { new: 1, duplicate: 0, invalid: 0 },
      fills: { new: 1, duplicate: 0, invalid: 0 },
      positions: { new: 2, duplicate: 0, invalid: 1 },
    })
    expect(paper.skipped.map((skipped) => skipped.unit)).toContain('balance')
    const positions = rows<{
      symbol: string
      direction: string
      quantity: string
      broker: string
      environment: string
      stop_loss: string | null
    }>(dataDir, 'SELECT symbol, direction, quantity, broker, environment, stop_loss FROM positions ORDER BY symbol')
    expect(positions).toEqual([
      {
        symbol: 'NIFTY24MARFUT',
        direction: 'short',
        quantity: '50',
        broker: 'imported',
        environment: 'paper',
        stop_loss: '22300',
      },
      {
        symbol: 'RELIANCE',
        direction: 'long',
        quantity: '20',
        broker: 'imported',
        environment: 'paper',
        stop_loss: null,
      },
    ])
    expect(rows<{ broker: string }>(dataDir, "SELECT broker FROM orders WHERE broker_order_id = 'paper-9'")).toEqual([
      { broker: 'imported-paper' },
    ])

    // None of it occupies the desk's paper account or the risk limits.
    const { service } = core.services.trading.for(user)
    expect((await service.book.account(user)).openPositions).toBe(0)
    const risk = await core.context.store.transaction((tx) => service.riskStateWithin(tx, user))
    expect(risk.exposure).toEqual([])

    const again = await importInto(core, user, write('paper_trading.json', PAPER), true)
    expect(again.tables.positions).toMatchObject({ new: 0, duplicate: 2 })
  })

  it('refuses a file that is not JSON or holds no list, changing nothing', async () => {
    const { core, dataDir, user } = await desk()
    const before = tableChecksums(join(dataDir, 'tradedeck.sqlite'))
    await expect(importInto(core, user, write('trades_history.json', '[{"symbol": "X",'), false)).rejects.toThrow(
      /trades_history.json is not valid JSON/,
    )
    await expect(importInto(core, user, write('trades_history.json', { trades: 'none' }), false)).rejects.toThrow(
      /"trades" must be a list of records/,
    )
    await expect(
      importHistory(core.context, core.services.backups, {
        path: write('weird.json', '"text"'),
        format: 'orders-json',
        userId: user,
        actor: humanActor(user),
        dryRun: false,
      }),
    ).rejects.toThrow(/must hold a list of records/)
    await expect(importInto(core, user, write('notes.txt', 'just words'), false)).rejects.toThrow(
      /the format could not be told from the file/,
    )
    expect(tableChecksums(join(dataDir, 'tradedeck.sqlite'))).toEqual(before)
  })
})
