import { resolve } from 'node:path'
import { z } from 'zod'
import { humanActor, IMPORT_FORMATS, IMPORT_TABLES, invalidRowsOf, type ImportReport } from '../../shared/domain'
import { APP_VERSION } from '../core/platform/app-version'
import { resolveDataDir } from '../core/platform/files/data-dir'
import { importHistory } from '../core/domains/imports/history-import'
import { requireCurrentSchema, withMaintenanceCore } from '../core/wiring/maintenance'
import type { CommandOutput } from './migration-commands'
import { profileNamed, profileOption } from './profile-option'

const options = z
  .object({
    'data-dir': z.string().min(1).optional(),
    file: z.string().min(1, 'name the file to import: tradedeck import <path>'),
    format: z.enum(IMPORT_FORMATS, { error: `--format must be one of: ${IMPORT_FORMATS.join(', ')}` }).optional(),
    profile: profileOption,
    'dry-run': z.boolean().optional(),
    'skip-invalid': z.boolean().optional(),
  })
  .strict()

const plural = (count: number, unit: string) => `${count.toLocaleString('en-US')} ${unit}${count === 1 ? '' : 's'}`

export function formatImportReport(report: ImportReport): string {
  const lines = [
    `${report.dryRun ? 'Dry run of' : 'Import of'} ${report.file} (${report.format}, sha256 ${report.sha256})`,
  ]
  for (const table of IMPORT_TABLES) {
    const counts = report.tables[table]
    if (counts)
      lines.push(
        `  ${table.padEnd(11)} ${String(counts.new).padStart(8)} new  ${String(counts.duplicate).padStart(8)} duplicate  ${String(counts.invalid).padStart(8)} invalid`,
      )
  }
  for (const skipped of report.skipped)
    lines.push(`  left out: ${plural(skipped.count, skipped.unit)} ${skipped.reason}`)
  for (const issue of report.issues)
    lines.push(`  ${issue.where}${issue.field ? `, ${issue.field}` : ''}: ${issue.message}`)
  if (report.issueCount > report.issues.length)
    lines.push(`  … and ${report.issueCount - report.issues.length} more problems`)
  const invalid = invalidRowsOf(report)
  if (report.dryRun)
    lines.push(
      invalid > 0
        ? `Nothing was written. A real run writes nothing while the file holds invalid records; add --skip-invalid to leave the ${invalid} out.`
        : 'Nothing was written. Run it again without --dry-run to import the new rows.',
    )
  else if (report.backupFile) lines.push(`Written in one transaction, after a backup: ${report.backupFile}.`)
  else lines.push('Nothing new to write; nothing changed.')
  return lines.join('\n')
}

/** `tradedeck import <path>`: history, a risk config or strategies from another system, into one profile. */
export async function runImportCommand(raw: Record<string, unknown>): Promise<CommandOutput> {
  const parsed = options.parse(raw)
  const report = await withMaintenanceCore(
    { dataDir: resolveDataDir(parsed['data-dir']), appVersion: APP_VERSION },
    async ({ context, services }) => {
      requireCurrentSchema(context)
      const user = await profileNamed(context.store, parsed.profile)
      return importHistory(context, services.backups, {
        path: resolve(parsed.file),
        format: parsed.format,
        userId: user.id,
        actor: humanActor(user.id),
        dryRun: parsed['dry-run'] ?? false,
        skipInvalid: parsed['skip-invalid'] ?? false,
        // Progress goes to stderr, so --json output stays one object on stdout.
        onProgress: (progress) =>
          process.stderr.write(`progress: ${progress.phase} ${progress.done}/${progress.total}\n`),
      })
    },
  )
  return { json: report, text: formatImportReport(report) }
}
