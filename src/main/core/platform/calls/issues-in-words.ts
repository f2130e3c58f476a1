import type { z } from 'zod'
import type { ApiIssue } from '../../../../shared/errors'
import { fieldInWords } from '../../../../shared/error-words'

export { fieldInWords }

/** zod's own wording starts like this; a message the schema chose (a refine, a custom text) is kept as written. */
const ZOD_DEFAULT = /^(Invalid|Too (small|big)|Unrecognized|Expected)/

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  string: 'text',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a set of fields',
  int: 'a whole number',
}

const bound = (value: unknown) => (typeof value === 'bigint' ? value.toString() : String(value))

/** One zod issue as the rest of a sentence that starts with the field's name. */
function problemInWords(issue: z.core.$ZodIssue): string {
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message
  switch (issue.code) {
    case 'invalid_type':
      return /received undefined/.test(issue.message)
        ? 'is missing'
        : `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`
    case 'too_small':
      return issue.origin === 'string'
        ? Number(issue.minimum) <= 1
          ? 'must not be empty'
          : `must be at least ${bound(issue.minimum)} characters`
        : issue.origin === 'array'
          ? `must have at least ${bound(issue.minimum)} item${Number(issue.minimum) === 1 ? '' : 's'}`
          : `must be ${issue.inclusive ? 'at least' : 'more than'} ${bound(issue.minimum)}`
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${bound(issue.maximum)} characters`
        : issue.origin === 'array'
          ? `must have at most ${bound(issue.maximum)} items`
          : `must be ${issue.inclusive ? 'at most' : 'less than'} ${bound(issue.maximum)}`
    case 'unrecognized_keys':
      // The unknown names themselves are whatever was sent, not words; the issue's path keeps them for a developer.
      return `has ${issue.keys.length === 1 ? 'a field' : `${issue.keys.length} fields`} Tradedeck does not know`
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`
    case 'invalid_format':
      return issue.format === 'uuid' ? 'must be an id Tradedeck gave' : `is not a valid ${issue.format}`
    case 'invalid_union':
      return 'is not in any form Tradedeck accepts'
    default:
      return 'is not valid'
  }
}

/** Refused input said as sentences a trader reads, with each issue's field in words too. */
export function issuesInWords(issues: readonly z.core.$ZodIssue[]): { message: string; issues: ApiIssue[] } {
  const described = issues.map((issue) => ({
    path: issue.path.filter((key): key is string | number => typeof key !== 'symbol'),
    message: problemInWords(issue),
    field: fieldInWords(issue.path),
  }))
  const sentences = [...new Set(described.map((issue) => `${issue.field} ${issue.message}.`))]
  return {
    message: sentences.join(' '),
    issues: described.map(({ path, message }) => ({ path, message })),
  }
}
