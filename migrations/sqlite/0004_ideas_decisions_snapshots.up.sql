-- Candles are shared market data (not per user); what a strategy saw is pinned by snapshot_id.
CREATE TABLE market_snapshots (
  id TEXT PRIMARY KEY NOT NULL,
  symbol TEXT NOT NULL,
  timeframe TEXT NOT NULL,
  ts TEXT NOT NULL,
  open TEXT NOT NULL,
  high TEXT NOT NULL,
  low TEXT NOT NULL,
  close TEXT NOT NULL,
  volume TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (symbol, timeframe, ts)
) STRICT;

CREATE TABLE indicator_snapshots (
  id TEXT PRIMARY KEY NOT NULL,
  symbol TEXT NOT NULL,
  timeframe TEXT NOT NULL,
  ts TEXT NOT NULL,
  indicators TEXT NOT NULL CHECK (json_valid(indicators)),
  market_snapshot_id TEXT REFERENCES market_snapshots (id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (symbol, timeframe, ts)
) STRICT;

CREATE TABLE trade_ideas (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  strategy_id TEXT REFERENCES strategies (id) ON DELETE SET NULL,
  symbol TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('long', 'short')),
  entry_price TEXT NOT NULL,
  entry_range_low TEXT,
  entry_range_high TEXT,
  stop_loss TEXT NOT NULL,
  take_profit TEXT NOT NULL,
  size TEXT NOT NULL,
  expected_hold TEXT,
  rationale TEXT NOT NULL,
  confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  status TEXT NOT NULL CHECK (status IN ('waiting', 'needs_approval', 'approved', 'auto_executed', 'rejected', 'halted_by_risk', 'expired', 'executed', 'failed')),
  snapshot_id TEXT REFERENCES market_snapshots (id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  expires_at TEXT,
  decided_at TEXT,
  decided_by TEXT,
  decision_note TEXT
) STRICT;
CREATE INDEX trade_ideas_user_status ON trade_ideas (user_id, status, created_at);
CREATE INDEX trade_ideas_symbol ON trade_ideas (symbol, created_at);
CREATE TRIGGER trade_ideas_touch_updated_at AFTER UPDATE ON trade_ideas FOR EACH ROW WHEN NEW.updated_at = OLD.updated_at BEGIN
  UPDATE trade_ideas SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;

-- Append-only: who decided what, why, and on which data. References never cascade
-- into it, so deleting a strategy or user with history is refused rather than rewriting it.
CREATE TABLE decision_history (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id),
  occurred_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  symbol TEXT,
  action TEXT NOT NULL CHECK (action IN ('ai_proposed', 'ai_auto_executed', 'human_approved', 'human_rejected', 'risk_rejected', 'ai_halted', 'ai_resumed', 'idea_expired', 'order_filled', 'order_failed', 'strategy_started', 'strategy_stopped', 'strategy_error')),
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
CREATE INDEX decision_history_user_time ON decision_history (user_id, occurred_at DESC, id DESC);
CREATE INDEX decision_history_user_symbol_time ON decision_history (user_id, symbol, occurred_at DESC, id DESC);
CREATE INDEX decision_history_user_action_time ON decision_history (user_id, action, occurred_at DESC, id DESC);
CREATE TRIGGER decision_history_no_update BEFORE UPDATE ON decision_history BEGIN
  SELECT RAISE(ABORT, 'decision_history is append-only');
END;
CREATE TRIGGER decision_history_no_delete BEFORE DELETE ON decision_history BEGIN
  SELECT RAISE(ABORT, 'decision_history is append-only');
END;
