import { errorMessage } from '../../../../shared/errors'
export type MigrationErrorCode =
  | 'checksum_drift'
  | 'missing_migration'
  | 'newer_database'
  | 'migration_failed'
  | 'foreign_key_violation'
  | 'lock_timeout'
  | 'backup_failed'
  | 'lint_failed'
  | 'irreversible'
  | 'lossy_needs_force'
  | 'no_down'
  | 'baseline_mismatch'
  | 'invalid_target'

/** Every refusal and failure of the runner, with a message a trader can act on. */
export class MigrationError extends Error {
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'MigrationError'
  }
}

/** Raised inside a migration's transaction; the runner rolls back and reports it. */
export class StatementFailure extends Error {
  constructor(
    readonly statementIndex: number,
    readonly statementCount: number,
    readonly statement: string,
    override readonly cause: unknown,
  ) {
    super(errorMessage(cause))
    this.name = 'StatementFailure'
  }
}
