import { z } from 'zod'
import type { HealthReport } from '../../shared/domain'
import { APP_VERSION } from '../core/platform/app-version'
import { resolveDataDir } from '../core/platform/files/data-dir'
import { runDoctor } from '../core/platform/health/doctor'
import { doctorSources } from '../core/wiring/doctor-sources'
import { withMaintenanceCore } from '../core/wiring/maintenance'
import type { CommandOutput } from './migration-commands'

const options = z.object({ 'data-dir': z.string().min(1).optional() }).strict()

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const

export function formatHealth(report: HealthReport): string {
  const lines: string[] = []
  for (const check of report.checks) {
    lines.push(`${MARK[check.status]}  ${check.title}: ${check.figure}`)
    for (const detail of check.details) lines.push(`        ${detail}`)
    if (check.fix) lines.push(`      Fix: ${check.fix}`)
  }
  const counts = (status: string) => report.checks.filter((check) => check.status === status).length
  lines.push(`${report.checks.length} checks: ${counts('ok')} ok, ${counts('warn')} warn, ${counts('fail')} fail.`)
  return lines.join('\n')
}

/** `tradedeck doctor`: every health check, the full integrity_check included; exit code 1 when any check fails. */
export async function runDoctorCommand(raw: Record<string, unknown>): Promise<CommandOutput & { failed: boolean }> {
  const parsed = options.parse(raw)
  const report = await withMaintenanceCore(
    { dataDir: resolveDataDir(parsed['data-dir']), appVersion: APP_VERSION },
    ({ context, services }) => runDoctor(context, doctorSources(services), { integrity: true }),
  )
  return { json: report, text: formatHealth(report), failed: report.status === 'fail' }
}
