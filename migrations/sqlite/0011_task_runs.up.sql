-- Every background job leaves a row: what ran, when, how long, how it ended and how many rows it touched.
-- The desk's own operations: not replicated.
CREATE TABLE task_runs (
  id TEXT PRIMARY KEY NOT NULL,
  task TEXT NOT NULL CHECK (task IN ('idea_expiry', 'account_snapshot', 'log_pruning', 'scheduled_backup', 'backup_retention', 'sync_batch', 'task_retention', 'market_data_retention')),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('running', 'ok', 'failed')),
  duration_ms INTEGER CHECK (duration_ms >= 0),
  rows_affected INTEGER CHECK (rows_affected >= 0),
  message TEXT
) STRICT;
CREATE INDEX task_runs_started ON task_runs (started_at DESC);
CREATE INDEX task_runs_task_started ON task_runs (task, started_at DESC);
