import type { ImportIssue, ImportReport, RiskConfig, RiskConfigPatch } from '../../../../shared/domain'
import type { CoreContext } from '../../platform/context'
import { writeOrDiscardBackup, type BackupBeforeChange } from '../../platform/backups/backup-service'
import { importSummary, invalidRecordsRefusal, type HistoryImportRequest } from './import-request'
import { ImportFileError, ISSUES_KEPT } from './history-batch'
import type { RiskConfigRows, StrategyRows } from './rules-csv-reader'
import type { Repositories } from '../../platform/store/store'
import { configSchemaOf } from '../strategies/kinds/kind'
import { rulesStrategy } from '../strategies/kinds/rules-strategy'
import { issuesInWords } from '../../platform/calls/issues-in-words'

const WATCHLIST_LIMIT = 500

type RulesRequest = HistoryImportRequest & { fileName: string; sha256: string }

/** The settings in the file that differ from the profile's. */
function changedSettings(config: RiskConfig, patch: RiskConfigPatch): RiskConfigPatch {
  return Object.fromEntries(
    Object.entries(patch).filter(
      ([key, value]) => JSON.stringify(config[key as keyof RiskConfig]) !== JSON.stringify(value),
    ),
  ) as RiskConfigPatch
}

interface Plan {
  report: ImportReport
  patch: RiskConfigPatch
  /** Stopped rules instances on paper to create, each with its settings as the rules kind reads them. */
  instances?: { name: string; symbol: string; config: Record<string, unknown> }[]
}

/**
 * The strategies' rules instances: one per active strategy with entry conditions and per symbol, named after both;
 * an instance of that name already in the profile is not made again.
 */
async function planInstances(ctx: CoreContext, userId: string, rows: StrategyRows, issues: ImportIssue[]) {
  const taken = new Set((await ctx.store.strategies.list(userId)).map((instance) => instance.name.toLowerCase()))
  const fresh: NonNullable<Plan['instances']> = []
  const counts = { new: 0, duplicate: 0, invalid: 0 }
  for (const instance of rows.instances) {
    if (taken.has(instance.name.toLowerCase())) {
      counts.duplicate++
      continue
    }
    const parsed = configSchemaOf(rulesStrategy).safeParse(instance.config)
    if (!parsed.success) {
      counts.invalid++
      const { issues: named } = issuesInWords(parsed.error.issues)
      for (const issue of named)
        issues.push({ where: instance.where, field: issue.path.join('.') || null, message: issue.message })
      continue
    }
    taken.add(instance.name.toLowerCase())
    fresh.push({ name: instance.name, symbol: instance.symbol, config: parsed.data as Record<string, unknown> })
    counts.new++
  }
  return { fresh, counts }
}

function planRiskConfig(base: ImportReport, rows: RiskConfigRows, config: RiskConfig): Plan {
  const patch = rows.patch ? changedSettings(config, rows.patch) : {}
  const changed = Object.keys(patch).length > 0
  return {
    report: {
      ...base,
      tables: {
        risk_config: { new: changed ? 1 : 0, duplicate: rows.patch && !changed ? 1 : 0, invalid: rows.patch ? 0 : 1 },
      },
      skipped: rows.skipped,
      issues: rows.issues.slice(0, ISSUES_KEPT),
      issueCount: rows.issues.length,
    },
    patch,
  }
}

function planWatchlist(base: ImportReport, rows: StrategyRows, config: RiskConfig): Plan {
  const have = new Set(config.watchlist.map((symbol) => symbol.toUpperCase()))
  const added: string[] = []
  let duplicate = 0
  for (const { symbol } of rows.symbols) {
    if (have.has(symbol)) duplicate++
    else {
      have.add(symbol)
      added.push(symbol)
    }
  }
  const issues = [...rows.issues]
  if (config.watchlist.length + added.length > WATCHLIST_LIMIT) {
    issues.push({
      where: base.file,
      field: 'allowed_symbols',
      message: `the watchlist would hold ${config.watchlist.length + added.length} symbols; it holds at most ${WATCHLIST_LIMIT}, so none were added`,
    })
    return {
      report: {
        ...base,
        tables: { watchlist: { new: 0, duplicate, invalid: rows.invalidSymbols + rows.invalidRows + added.length } },
        skipped: rows.skipped,
        issues: issues.slice(0, ISSUES_KEPT),
        issueCount: issues.length,
      },
      patch: {},
    }
  }
  return {
    report: {
      ...base,
      tables: { watchlist: { new: added.length, duplicate, invalid: rows.invalidSymbols + rows.invalidRows } },
      skipped: rows.skipped,
      issues: issues.slice(0, ISSUES_KEPT),
      issueCount: issues.length,
    },
    patch: added.length > 0 ? { watchlist: [...config.watchlist, ...added] } : {},
  }
}

/**
 * A risk config or strategy list from CSV: the risk config's settings replace the
 * profile's where they differ; active strategies' symbols join the watchlist. The real
 * run backs up first, then writes the change, its audit row and the import's decision
 * row in one transaction.
 */
export async function importRules(
  ctx: CoreContext,
  backups: BackupBeforeChange,
  request: RulesRequest,
  rows: RiskConfigRows | StrategyRows,
): Promise<ImportReport> {
  request.onProgress?.({ phase: 'checking', done: 0, total: 1 })
  const config = await ctx.store.riskConfig.get(request.userId)
  if (!config) throw new Error('This profile has no risk config.')
  const base: ImportReport = {
    importId: request.importId ?? null,
    file: request.fileName,
    sha256: request.sha256,
    format: 'rules-csv',
    profileId: request.userId,
    dryRun: request.dryRun,
    tables: {},
    skipped: [],
    issues: [],
    issueCount: 0,
    backupFile: null,
  }
  const {
    report,
    patch,
    instances = [],
  } = rows.kind === 'risk_config'
    ? planRiskConfig(base, rows, config)
    : await planStrategies(ctx, request.userId, base, rows, config)
  const refusal = invalidRecordsRefusal(report, request)
  if (refusal) throw new ImportFileError(refusal)
  if (request.dryRun || (Object.keys(patch).length === 0 && instances.length === 0)) return report

  const backup = await backups.create('pre-import', request.actor)
  report.backupFile = backup.file
  request.onProgress?.({ phase: 'writing', done: 0, total: 1 })
  await writeOrDiscardBackup(backups, backup.file, request.actor, () =>
    ctx.store.transaction(async (tx) => {
      if (Object.keys(patch).length > 0) await recordRiskPatch(tx, request, report, patch)
      for (const instance of instances) {
        const created = await tx.strategies.create(request.userId, {
          name: instance.name,
          strategyName: rulesStrategy.name,
          instrument: instance.symbol,
          environment: 'paper',
          config: instance.config,
        })
        await tx.auditLog.record({
          userId: request.userId,
          actor: request.actor,
          subject: 'strategy',
          action: 'import',
          details: { strategyId: created.id, name: instance.name, kind: rulesStrategy.name, file: report.file },
        })
      }
      const haltNote =
        rows.kind === 'risk_config' && rows.lastHaltReason
          ? ` The file's last halt reason was: "${rows.lastHaltReason.slice(0, 500)}".`
          : ''
      await tx.decisions.append(request.userId, {
        action: 'imported',
        actor: request.actor,
        rationale: importSummary(report) + haltNote,
      })
    }),
  )
  request.onProgress?.({ phase: 'writing', done: 1, total: 1 })
  return report
}

/** The risk config's change from the file, with its audit row: each setting from what it was to what it is. */
async function recordRiskPatch(
  tx: Repositories,
  request: RulesRequest,
  report: ImportReport,
  patch: RiskConfigPatch,
): Promise<void> {
  const before = (await tx.riskConfig.get(request.userId)) as RiskConfig
  const after = (await tx.riskConfig.update(request.userId, patch)) as RiskConfig
  await tx.auditLog.record({
    userId: request.userId,
    actor: request.actor,
    subject: 'risk_config',
    action: 'import',
    details: {
      file: report.file,
      sha256: report.sha256,
      ...Object.fromEntries(
        Object.keys(patch).map((key) => [
          key,
          { from: before[key as keyof RiskConfig], to: after[key as keyof RiskConfig] },
        ]),
      ),
    },
  })
}

/** A strategy list's watchlist symbols and its rules instances. */
async function planStrategies(
  ctx: CoreContext,
  userId: string,
  base: ImportReport,
  rows: StrategyRows,
  config: RiskConfig,
): Promise<Plan> {
  const watchlist = planWatchlist(base, rows, config)
  const issues = [...watchlist.report.issues]
  const { fresh, counts } = await planInstances(ctx, userId, rows, issues)
  return {
    report: {
      ...watchlist.report,
      tables: { ...watchlist.report.tables, strategies: counts },
      issues: issues.slice(0, ISSUES_KEPT),
      issueCount: watchlist.report.issueCount + (issues.length - watchlist.report.issues.length),
    },
    patch: watchlist.patch,
    instances: fresh,
  }
}
