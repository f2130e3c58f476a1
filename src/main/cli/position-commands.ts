import { z } from 'zod'
import { humanActor } from '../../shared/domain'
import type { PositionView } from '../../shared/contract'
import { APP_VERSION } from '../core/platform/app-version'
import { resolveDataDir } from '../core/platform/files/data-dir'
import { closeOnePosition, modifyOnePosition } from '../core/domains/exchanges/position-actions'
import { trailOnePosition } from '../core/domains/exchanges/position-trail-action'
import { requireCurrentSchema, withMaintenanceCore } from '../core/wiring/maintenance'
import { UsageError } from '../hosting/command-line'
import type { CommandOutput } from './migration-commands'
import { profileNamed, profileOption } from './profile-option'

const price = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/, 'must be a positive decimal number like 61250.5')
const common = {
  'data-dir': z.string().min(1).optional(),
  profile: profileOption,
  'i-understand-this-trades-real-money': z.boolean().default(false),
}
const positionId = z.string().trim().min(1, '--id needs the position id (tradedeck position list shows it)')

const listOptions = z.object({ 'data-dir': common['data-dir'], profile: profileOption }).strict()
const closeOptions = z
  .object({
    ...common,
    id: positionId,
    percent: price
      .refine((value) => Number(value) > 0 && Number(value) <= 100, '--percent must be above 0 and at most 100')
      .optional(),
    quantity: price.optional(),
  })
  .strict()
  .refine((options) => !(options.percent && options.quantity), 'give --percent or --quantity, not both')
const modifyOptions = z
  .object({
    ...common,
    id: positionId,
    'stop-loss': price.optional(),
    // "none" removes the take-profit.
    'take-profit': z.union([z.literal('none'), price]).optional(),
  })
  .strict()
  .refine(
    (options) => options['stop-loss'] !== undefined || options['take-profit'] !== undefined,
    'say which level to move: --stop-loss, --take-profit (a price, or none), or both',
  )

const positiveNumber = (flag: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, `${flag} must be a positive number like 1.5`)
    .transform(Number)
    .refine((value) => value > 0 && value <= 100, `${flag} must be above 0 and at most 100`)
const trailOptions = z
  .object({
    ...common,
    id: positionId,
    distance: price.refine((value) => Number(value) > 0, '--distance must be above 0').optional(),
    atr: positiveNumber('--atr').optional(),
    'atr-period': z
      .string()
      .trim()
      .regex(/^\d+$/, '--atr-period must be a whole number of candles')
      .transform(Number)
      .refine((value) => value >= 2 && value <= 500, '--atr-period must be from 2 to 500 candles')
      .default(14),
    'break-even-at': positiveNumber('--break-even-at').optional(),
    off: z.boolean().default(false),
  })
  .strict()
  .refine(
    (options) => [options.distance !== undefined, options.atr !== undefined, options.off].filter(Boolean).length <= 1,
    'give one of --distance, --atr or --off',
  )
  .refine(
    (options) => options.distance !== undefined || options.atr !== undefined || options.off || options['break-even-at'],
    'say how to trail: --distance D, --atr M, --break-even-at R, or --off to take them off',
  )
  .refine((options) => !(options.off && options['break-even-at']), '--off takes break-even off too; give one')

const parsedWith = <T extends z.ZodType>(schema: T, raw: Record<string, unknown>): z.infer<T> => {
  const parsed = schema.safeParse(raw)
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('; '))
  return parsed.data
}

const lineOf = (position: PositionView) =>
  `${position.id}  ${position.venue}  ${position.direction} ${position.quantity} ${position.symbol} from ${position.averagePrice}, stop ${position.stopLoss ?? 'none'}, target ${position.takeProfit ?? 'none'}${position.trail ? `; trail: ${position.trail}` : ''}`

/**
 * `tradedeck position list|close|modify`: the open positions, and the same close, part close and level moves as the
 * Overview's, with the profile's keys and the same checks. A live position needs --i-understand-this-trades-real-money.
 */
export async function runPositionCommand(
  subcommand: string | undefined,
  raw: Record<string, unknown>,
): Promise<CommandOutput> {
  if (subcommand !== 'list' && subcommand !== 'close' && subcommand !== 'modify' && subcommand !== 'trail')
    throw new UsageError(
      subcommand
        ? `Unknown position command: ${subcommand}`
        : 'position needs a command: tradedeck position list | close --id ID | modify --id ID | trail --id ID',
    )
  const options =
    subcommand === 'list'
      ? parsedWith(listOptions, raw)
      : subcommand === 'close'
        ? parsedWith(closeOptions, raw)
        : subcommand === 'trail'
          ? parsedWith(trailOptions, raw)
          : parsedWith(modifyOptions, raw)
  return withMaintenanceCore(
    { dataDir: resolveDataDir(options['data-dir']), appVersion: APP_VERSION },
    async (core) => {
      requireCurrentSchema(core.context)
      const user = await profileNamed(core.context.store, options.profile)
      const trading = core.services.trading
      if (subcommand === 'list') {
        const { open } = await trading.for(user.id).book.positions(user.id, 0)
        return {
          json: { positions: open },
          text: open.length === 0 ? 'No open positions.' : open.map(lineOf).join('\n'),
        }
      }
      const confirmLive = (options as z.infer<typeof closeOptions>)['i-understand-this-trades-real-money']
      if (subcommand === 'close') {
        const close = options as z.infer<typeof closeOptions>
        const part = close.percent
          ? { kind: 'percent' as const, percent: close.percent }
          : close.quantity
            ? { kind: 'quantity' as const, quantity: close.quantity }
            : { kind: 'all' as const }
        const position = await closeOnePosition(
          core.context,
          trading,
          user.id,
          { id: close.id, part, confirmLive },
          humanActor(user.id),
        )
        return {
          json: { position },
          text: position ? `Partly closed; what is left:\n${lineOf(position)}` : 'Closed.',
        }
      }
      if (subcommand === 'trail') {
        const trail = options as z.infer<typeof trailOptions>
        const position = await trailOnePosition(
          core.context,
          trading,
          user.id,
          {
            id: trail.id,
            confirmLive,
            trailing:
              trail.distance !== undefined
                ? { kind: 'distance', distance: trail.distance }
                : trail.atr !== undefined
                  ? { kind: 'atr', multiple: trail.atr, period: trail['atr-period'] }
                  : { kind: 'off' },
            breakEvenAtR: trail['break-even-at'] ?? null,
          },
          humanActor(user.id),
        )
        return {
          json: { position },
          text: position
            ? `${trail.off ? 'Trail taken off' : 'Trail set; the stop follows it from the next closed candle'}:\n${lineOf(position)}`
            : 'The position closed meanwhile.',
        }
      }
      const modify = options as z.infer<typeof modifyOptions>
      const takeProfit = modify['take-profit']
      const position = await modifyOnePosition(
        core.context,
        trading,
        user.id,
        {
          id: modify.id,
          confirmLive,
          ...(modify['stop-loss'] !== undefined ? { stopLoss: modify['stop-loss'] } : {}),
          ...(takeProfit !== undefined ? { takeProfit: takeProfit === 'none' ? null : takeProfit } : {}),
        },
        humanActor(user.id),
      )
      return { json: { position }, text: position ? `Moved:\n${lineOf(position)}` : 'The position closed meanwhile.' }
    },
  )
}
