-- tradedeck: lossy
-- Back to the schema without the calendar and the news: their rows go (they are re-imported from their files),
-- and each 'idea_withheld' row becomes an 'idea_invalidated' row, its rationale, actor and strategy kept word for
-- word. No row of decision history is dropped.
DROP TABLE calendar_events;
DROP TABLE news_items;
CREATE TABLE decision_history_new (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id),
  occurred_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  symbol TEXT,
  action TEXT NOT NULL CHECK (action IN ('ai_proposed', 'ai_auto_executed', 'human_approved', 'human_rejected', 'risk_rejected', 'ai_halted', 'ai_resumed', 'idea_expired', 'order_filled', 'order_failed', 'strategy_started', 'strategy_stopped', 'strategy_error', 'idea_invalidated', 'idea_superseded', 'imported', 'reconciled', 'protection_changed', 'position_closed', 'position_modified')),
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
INSERT INTO decision_history_new (id, user_id, occurred_at, symbol, action, rationale, confidence, risk_check, strategy_id, trade_idea_id, order_id, snapshot_id, actor, human_override) SELECT id, user_id, occurred_at, symbol, CASE action WHEN 'idea_withheld' THEN 'idea_invalidated' ELSE action END, rationale, confidence, risk_check, strategy_id, trade_idea_id, order_id, snapshot_id, actor, human_override FROM decision_history;
DROP TABLE decision_history;
ALTER TABLE decision_history_new RENAME TO decision_history;
CREATE INDEX decision_history_user_time ON decision_history (user_id, occurred_at DESC, id DESC);
CREATE INDEX decision_history_user_symbol_time ON decision_history (user_id, symbol, occurred_at DESC, id DESC);
CREATE INDEX decision_history_user_action_time ON decision_history (user_id, action, occurred_at DESC, id DESC);
CREATE INDEX decision_history_snapshot_id ON decision_history (snapshot_id);
CREATE INDEX decision_history_trade_idea_id ON decision_history (trade_idea_id);
CREATE INDEX decision_history_strategy_id ON decision_history (strategy_id);
CREATE TRIGGER decision_history_no_update BEFORE UPDATE ON decision_history BEGIN
  SELECT RAISE(ABORT, 'decision_history is append-only');
END;
CREATE TRIGGER decision_history_no_delete BEFORE DELETE ON decision_history BEGIN
  SELECT RAISE(ABORT, 'decision_history is append-only');
END;
CREATE TRIGGER decision_history_outbox_insert AFTER INSERT ON decision_history FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('decision_history', NEW.id);
END;
