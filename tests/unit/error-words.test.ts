import { describe, expect, it } from 'vitest'
import { issuesInWords, fieldInWords } from '../../src/main/core/platform/calls/issues-in-words'
import { contract } from '../../src/shared/contract'
import { messageForPage } from '../../src/shared/error-words'
import { TECHNICAL_WORDS as TECHNICAL } from '../helpers/technical-words'

const refusedWith = (channel: keyof typeof contract, input: unknown) => {
  const parsed = contract[channel].input.safeParse(input)
  if (parsed.success) throw new Error(`${channel} accepted ${JSON.stringify(input)}`)
  return issuesInWords(parsed.error.issues)
}

describe('errors in words', () => {
  it('names a refused field in words and says what it must be', () => {
    expect(refusedWith('risk:update', { patch: { minConfidenceThreshold: 2 } }).message).toBe(
      'Minimum confidence threshold must be between 0 and 1.',
    )
    expect(refusedWith('decisions:query', { filter: { actions: ['nonsense'] } }).message).toMatch(
      /^Actions \(item 1\) must be one of: ai_proposed/,
    )
    const unknown = refusedWith('system:status', { extra: 1 })
    expect(unknown.message).toBe('The request has a field Tradedeck does not know.')
    expect(refusedWith('strategies:create', { instrument: 'BTC-USD' }).message).toBe('Strategy name is missing.')
    expect(fieldInWords(['patch', 'maxOrderNotional'])).toBe('Maximum order notional')
  })

  it('turns system error codes into what happened and what to do', () => {
    expect(messageForPage('getaddrinfo ENOTFOUND api.example.com')).toBe(
      'Cannot find the host api.example.com: check the address and the network',
    )
    expect(messageForPage('Could not reach the central database: connect ECONNREFUSED 127.0.0.1:5432')).toBe(
      'Could not reach the central database: Nothing answers at 127.0.0.1:5432: check that the server runs and that the address and port are right',
    )
    expect(messageForPage("ENOENT: no such file or directory, open '/tmp/trades.csv'")).toBe(
      'There is no file or folder at /tmp/trades.csv',
    )
  })

  it('leaves out channel names and terminal flags, keeping what the page offers', () => {
    expect(messageForPage('Invalid input for exchanges:saveKey: the secret is too short')).toBe(
      'Invalid input: the secret is too short',
    )
    expect(
      messageForPage(
        'a.json has 1 invalid record, so nothing was imported: line 3. Fix the file, or import it again leaving out the 1 invalid record (tradedeck import --skip-invalid; on the page, tick "Leave out the 1 invalid record").',
      ),
    ).toBe(
      'a.json has 1 invalid record, so nothing was imported: line 3. Fix the file, or import it again leaving out the 1 invalid record (tick "Leave out the 1 invalid record").',
    )
    expect(
      messageForPage(
        'x.bin: the format could not be told from the file. Tradedeck imports …; name the format with --format.',
      ),
    ).toBe('x.bin: the format could not be told from the file. Tradedeck imports …; choose the format by name.')
    expect(
      messageForPage(
        'Migrate the central database to this version: Database → Central → Migrate, or tradedeck pg migrate --pg URL. Replication waits until the schemas match.',
      ),
    ).toBe(
      'Migrate the central database to this version: Database → Central → Migrate. Replication waits until the schemas match.',
    )
    for (const shown of [
      messageForPage('getaddrinfo ENOTFOUND api.example.com'),
      messageForPage(
        'Rolling back 18 loses data. A backup is taken first, but confirm with --force. Nothing was changed.',
      ),
    ])
      for (const pattern of TECHNICAL) expect(shown).not.toMatch(pattern)
  })
})
