-- Two new decision-history actions: a waiting idea the market ran through
-- (idea_invalidated) and one a newer idea replaced (idea_superseded). SQLite
-- cannot widen a CHECK in place, so decision_history is rebuilt (12-step pattern)
-- with its indexes, its append-only triggers and its sync-capture trigger.
CREATE TABLE decision_history_new (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id),
  occurred_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  symbol TEXT,
  action TEXT NOT NULL CHECK (action IN ('ai_proposed', 'ai_auto_executed', 'human_approved', 'human_rejected', 'risk_rejected', 'ai_halted', 'ai_resumed', 'idea_expired', 'order_filled', 'order_failed', 'strategy_started', 'strategy_stopped', 'strategy_error', 'idea_invalidated', 'idea_superseded')),
  rationale TEXT NOT NULL DEFAULT '',
  confidence REAL CHECK (confidence BETWEEN 0 AND 1),
  risk_check TEXT CHECK (risk_check IS NULL OR json_valid(risk_check)),
  strategy_id TEXT REFERENCES strategies (id),
  trade_idea_id TEXT REFERENCES trade_ideas (id),
  order_id TEXT,
  snapshot_id TEXT REFERENCES market_snapshots (id),
  actor TEXT NOT NULL CHECK (actor IN ('ai', 'risk', 'system') OR actor GLOB 'human:?*'),
  human_override INTEGER NOT NULL DEFAULT 0 CHECK (human_override IN (0, 1))
) STRICT;
INSERT INTO decision_history_new (id, user_id, occurred_at, symbol, action, rationale, confidence, risk_check, strategy_id, trade_idea_id, order_id, snapshot_id, actor, human_override) SELECT id, user_id, occurred_at, symbol, action, rationale, confidence, risk_check, strategy_id, trade_idea_id, order_id, snapshot_id, actor, human_override FROM decision_history;
DROP TABLE decision_history;
ALTER TABLE decision_history_new RENAME TO decision_history;
CREATE INDEX decision_history_user_time ON decision_history (user_id, occurred_at DESC, id DESC);
CREATE INDEX decision_history_user_symbol_time ON decision_history (user_id, symbol, occurred_at DESC, id DESC);
CREATE INDEX decision_history_user_action_time ON decision_history (user_id, action, occurred_at DESC, id DESC);
CREATE TRIGGER decision_history_no_update BEFORE UPDATE ON decision_history BEGIN
  SELECT RAISE(ABORT, 'decision_history is append-only');
END;
CREATE TRIGGER decision_history_no_delete BEFORE DELETE ON decision_history BEGIN
  SELECT RAISE(ABORT, 'decision_history is append-only');
END;
CREATE TRIGGER decision_history_outbox_insert AFTER INSERT ON decision_history FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('decision_history', NEW.id);
END;

-- One backtest run per row: what ran on which data, and everything it produced.
-- Backtests are research on this desk and never touch the account, so they are not replicated.
CREATE TABLE backtest_runs (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  config TEXT NOT NULL CHECK (json_valid(config)),
  symbol TEXT NOT NULL,
  timeframe TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('synthetic', 'stored', 'csv')),
  seed INTEGER,
  data_from TEXT NOT NULL,
  data_to TEXT NOT NULL,
  candles INTEGER NOT NULL CHECK (candles >= 0),
  app_version TEXT NOT NULL,
  stats TEXT NOT NULL CHECK (json_valid(stats)),
  trades TEXT NOT NULL CHECK (json_valid(trades)),
  equity TEXT NOT NULL CHECK (json_valid(equity)),
  duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX backtest_runs_user_time ON backtest_runs (user_id, created_at DESC);
