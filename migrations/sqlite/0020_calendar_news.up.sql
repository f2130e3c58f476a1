-- The economic calendar and the news a rules strategy can stay out around, as the platform Tradedeck
-- replaces stored them (snapshot_calendar, snapshot_news): market data shared by every profile, deduped by
-- natural key, replicated like the candles. And 'idea_withheld', the decision row of an idea a strategy
-- would have proposed but for such an event; SQLite cannot widen a CHECK in place, so decision_history is
-- rebuilt with its indexes, its append-only triggers and its sync-capture trigger.
CREATE TABLE calendar_events (
  id TEXT PRIMARY KEY NOT NULL,
  event_time TEXT NOT NULL,
  currency TEXT NOT NULL CHECK (length(currency) BETWEEN 2 AND 10),
  impact TEXT NOT NULL CHECK (impact IN ('low', 'medium', 'high')),
  title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  previous_value TEXT,
  forecast_value TEXT,
  actual_value TEXT,
  captured_at TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (event_time, currency, title)
) STRICT;
CREATE INDEX calendar_events_impact_time ON calendar_events (impact, event_time);
CREATE TABLE news_items (
  id TEXT PRIMARY KEY NOT NULL,
  published_at TEXT NOT NULL,
  source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
  headline TEXT NOT NULL CHECK (length(headline) BETWEEN 1 AND 1000),
  symbols TEXT NOT NULL CHECK (json_valid(symbols) AND json_type(symbols) = 'array'),
  captured_at TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (published_at, source, headline)
) STRICT;
CREATE INDEX news_items_published ON news_items (published_at);
CREATE TRIGGER calendar_events_outbox_insert AFTER INSERT ON calendar_events FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('calendar_events', NEW.id);
END;
CREATE TRIGGER calendar_events_outbox_update AFTER UPDATE ON calendar_events FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('calendar_events', NEW.id);
END;
CREATE TRIGGER calendar_events_outbox_delete AFTER DELETE ON calendar_events FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('calendar_events', OLD.id);
END;
CREATE TRIGGER news_items_outbox_insert AFTER INSERT ON news_items FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('news_items', NEW.id);
END;
CREATE TRIGGER news_items_outbox_update AFTER UPDATE ON news_items FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('news_items', NEW.id);
END;
CREATE TRIGGER news_items_outbox_delete AFTER DELETE ON news_items FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('news_items', OLD.id);
END;
CREATE TABLE decision_history_new (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id),
  occurred_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  symbol TEXT,
  action TEXT NOT NULL CHECK (action IN ('ai_proposed', 'ai_auto_executed', 'human_approved', 'human_rejected', 'risk_rejected', 'ai_halted', 'ai_resumed', 'idea_expired', 'order_filled', 'order_failed', 'strategy_started', 'strategy_stopped', 'strategy_error', 'idea_invalidated', 'idea_superseded', 'imported', 'reconciled', 'protection_changed', 'position_closed', 'position_modified', 'idea_withheld')),
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
