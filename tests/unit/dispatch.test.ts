import { describe, expect, it, vi } from 'vitest'
import { buildApi, createClient, methodName } from '../../src/shared/api'
import { channelNames } from '../../src/shared/channels'
import { contract } from '../../src/shared/contract'
import { ApiError } from '../../src/shared/errors'
import { dispatch } from '../../src/main/core/wiring/dispatch'
import type { HandlerTable } from '../../src/main/core/platform/calls/handler-table'

function handlers(overrides: Partial<HandlerTable> = {}): HandlerTable {
  const unused = () => {
    throw new Error('not called in this test')
  }
  const table = Object.fromEntries(channelNames.map((channel) => [channel, unused])) as unknown as HandlerTable
  return { ...table, 'system:status': vi.fn(() => ({ schemaVersion: 1 }) as never), ...overrides }
}

describe('IPC contract and dispatch', () => {
  it('defines every channel name in the contract', () => {
    expect(Object.keys(contract).sort()).toEqual([...channelNames].sort())
  })

  it('validates channel input before the handler runs', async () => {
    const table = handlers()
    const envelope = await dispatch(table, 'startup:restore-backup', { file: '../../etc/passwd' })
    expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: ['file'] }] } })
  })

  it('refuses an unknown channel without calling anything', async () => {
    const table = handlers()
    const envelope = await dispatch(table, 'fs:delete-everything', {})
    expect(envelope).toMatchObject({ ok: false, error: { code: 'unknown_channel' } })
    expect(table['system:status']).not.toHaveBeenCalled()
  })

  it('returns invalid_input with issues and changes nothing', async () => {
    const table = handlers()
    const envelope = await dispatch(table, 'system:status', { unexpected: true })
    expect(envelope.ok).toBe(false)
    if (envelope.ok) return
    expect(envelope.error.code).toBe('invalid_input')
    expect(envelope.error.issues?.length).toBeGreaterThan(0)
    // In words: what was wrong, never the channel's name.
    expect(envelope.error.message).toBe('The request has a field Tradedeck does not know.')
    expect(table['system:status']).not.toHaveBeenCalled()
  })

  it('turns a thrown error into a structured error', async () => {
    const table = handlers({
      'system:status': () => {
        throw new ApiError({ code: 'conflict', message: 'busy' })
      },
    })
    expect(await dispatch(table, 'system:status', {})).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'busy' },
    })
  })

  it('returns a service’s refusal (a domain error) in its words, and anything else as internal', async () => {
    const { Refusal } = await import('../../src/main/core/platform/calls/refusal')
    const { TradingError } = await import('../../src/main/core/domains/trading/trading-error')
    const throwing = (error: Error) => handlers({ 'system:status': () => Promise.reject(error) })
    expect(
      await dispatch(throwing(new Refusal('not_found', 'There is no such profile.')), 'system:status', {}),
    ).toEqual({ ok: false, error: { code: 'not_found', message: 'There is no such profile.' } })
    const refused = new TradingError('refused_by_risk', 'The approval was refused: trading is halted.', [
      { code: 'halted_by_risk', message: 'Trading is halted.' },
    ])
    expect(await dispatch(throwing(refused), 'system:status', {})).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: 'The approval was refused: trading is halted.',
        issues: [{ path: ['halted_by_risk'], message: 'Trading is halted.' }],
      },
    })
    expect(await dispatch(throwing(new TypeError('x is undefined')), 'system:status', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'x is undefined' },
    })
  })

  it('builds one method per channel and rejects with ApiError through the client', async () => {
    expect(methodName('system:status')).toBe('systemStatus')
    const table = handlers()
    const api = buildApi({ call: (channel, input) => dispatch(table, channel, input), subscribe: () => () => {} })
    expect(Object.keys(api).sort()).toEqual(['on', 'useProfile', ...channelNames.map(methodName)].sort())
    const client = createClient(api)
    await expect(client.systemStatus()).resolves.toEqual({ schemaVersion: 1 })
    await expect(client.systemStatus({ bad: 1 } as never)).rejects.toMatchObject({ code: 'invalid_input' })
    expect(() => api.on('nope' as never, () => {})).toThrow(/Unknown event/)
  })
})
