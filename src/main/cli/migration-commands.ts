import { z } from 'zod'
import { APP_VERSION } from '../core/platform/app-version'
import { resolveDataDir } from '../core/platform/files/data-dir'
import { openMigrationTarget } from '../core/wiring/maintenance'
import { wholeNumber } from '../hosting/command-line'
import { formatMigrate, formatPlan, formatRollback, formatStatus } from './format'

interface TargetOptions {
  'data-dir'?: string | undefined
  pg?: string | undefined
}

const version = wholeNumber('a version number')
const target = {
  'data-dir': z.string().min(1).optional(),
  pg: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
}

function exclusiveTarget<T extends TargetOptions>(schema: z.ZodType<T>) {
  return schema.refine((options) => !(options.pg && options['data-dir']), {
    message: 'use either --data-dir or --pg, not both',
    path: ['pg'],
  })
}

export const commandSchemas = {
  migrate: exclusiveTarget(z.object({ ...target, to: version.optional(), 'dry-run': z.boolean().optional() }).strict()),
  rollback: exclusiveTarget(
    z
      .object({
        ...target,
        steps: wholeNumber('a number of migrations', 1).optional(),
        to: version.optional(),
        force: z.boolean().optional(),
      })
      .strict()
      .refine((o) => (o.steps === undefined) !== (o.to === undefined), {
        message: 'give exactly one of --steps N or --to VERSION',
        path: ['steps'],
      }),
  ),
  status: exclusiveTarget(z.object(target).strict()),
  plan: exclusiveTarget(z.object({ ...target, to: version.optional() }).strict()),
  baseline: exclusiveTarget(z.object({ ...target, version }).strict()),
}

export type MigrationCommand = keyof typeof commandSchemas

export interface CommandOutput {
  json: unknown
  text: string
}

export async function runMigrationCommand(
  command: MigrationCommand,
  raw: Record<string, unknown>,
): Promise<CommandOutput> {
  const options = commandSchemas[command].parse(raw) as TargetOptions & Record<string, unknown>
  const mode = command === 'status' || command === 'plan' || options['dry-run'] ? 'read' : 'write'
  // Only migrate may create a database; the others act on one that is there.
  const target = options.pg ? { pg: options.pg } : { dataDir: resolveDataDir(options['data-dir']) }
  const { migrator, close } = await openMigrationTarget(target, mode, {
    appVersion: APP_VERSION,
    mustExist: command !== 'migrate' && command !== 'plan',
  })
  try {
    switch (command) {
      case 'migrate': {
        const result = await migrator.migrate({
          ...(options.to !== undefined ? { to: options.to as number } : {}),
          dryRun: Boolean(options['dry-run']),
        })
        const { dialect, from, to, applied, backup, backupNote, dryRun, plan } = result
        return {
          json: { dialect, from, to, applied, backup, backupNote, ...(dryRun ? { dryRun, plan } : {}) },
          text: formatMigrate(result),
        }
      }
      case 'rollback': {
        const rollbackTarget =
          options.steps !== undefined ? { steps: options.steps as number } : { to: options.to as number }
        const result = await migrator.rollback(rollbackTarget, { force: Boolean(options.force) })
        return { json: result, text: formatRollback(result) }
      }
      case 'status': {
        const report = await migrator.status()
        return { json: report, text: formatStatus(report) }
      }
      case 'plan': {
        const plan = await migrator.plan(options.to as number | undefined)
        return { json: { dialect: migrator.dialect, plan }, text: formatPlan(plan) }
      }
      case 'baseline': {
        const result = await migrator.baseline(options.version as number)
        return {
          json: result,
          text: `Baselined ${result.dialect} database at version ${options.version} (${result.baselined.length} migration(s) recorded as applied).`,
        }
      }
    }
  } finally {
    await close()
  }
}
