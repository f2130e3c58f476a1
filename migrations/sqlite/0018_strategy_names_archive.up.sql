-- Each strategy instance gets a name of its own (by default its kind, symbol and candle length)
-- and can be archived: it leaves the desk's list while its decision history keeps pointing at it.
-- Two instances may now share a kind, symbol and venue (a 1m and a 15m, say); the names of the
-- instances in use are unique per profile. Existing instances are named from their kind, symbol
-- and candle length, with the venue added where that alone would repeat a name.
-- SQLite cannot drop the old UNIQUE in place, so strategies is rebuilt with its indexes, its
-- touch trigger and its sync-capture triggers.
CREATE TABLE strategies_new (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  strategy_name TEXT NOT NULL,
  instrument TEXT NOT NULL,
  broker TEXT NOT NULL DEFAULT 'paper',
  environment TEXT NOT NULL CHECK (environment IN ('live', 'testnet', 'paper')),
  config TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
  status TEXT NOT NULL DEFAULT 'stopped' CHECK (status IN ('active', 'stopped', 'paused', 'error')),
  last_action TEXT,
  auto_reconnect INTEGER NOT NULL DEFAULT 0 CHECK (auto_reconnect IN (0, 1)),
  connected_at TEXT,
  disconnected_at TEXT,
  last_heartbeat TEXT,
  error_message TEXT,
  error_count INTEGER NOT NULL DEFAULT 0 CHECK (error_count >= 0),
  archived_at TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
INSERT INTO strategies_new (id, user_id, name, strategy_name, instrument, broker, environment, config, status, last_action, auto_reconnect,
  connected_at, disconnected_at, last_heartbeat, error_message, error_count, archived_at, created_at, updated_at)
SELECT id, user_id,
  CASE WHEN count(*) OVER (PARTITION BY user_id, base) = 1 THEN base ELSE base || ' (' || broker || ' ' || environment || ')' END,
  strategy_name, instrument, broker, environment, config, status, last_action, auto_reconnect,
  connected_at, disconnected_at, last_heartbeat, error_message, error_count, NULL, created_at, updated_at
FROM (
  SELECT *, substr(CASE strategy_name
      WHEN 'ema_crossover' THEN 'EMA crossover'
      WHEN 'donchian_breakout' THEN 'Donchian breakout'
      WHEN 'rsi_mean_reversion' THEN 'RSI mean reversion'
      ELSE strategy_name END || ' ' || instrument || coalesce(' ' || json_extract(config, '$.timeframe'), ''), 1, 50) AS base
  FROM strategies
);
DROP TABLE strategies;
ALTER TABLE strategies_new RENAME TO strategies;
CREATE UNIQUE INDEX strategies_user_name ON strategies (user_id, name) WHERE archived_at IS NULL;
CREATE INDEX strategies_user_status ON strategies (user_id, status);
CREATE INDEX strategies_auto_reconnect ON strategies (auto_reconnect);
CREATE INDEX strategies_updated ON strategies (updated_at DESC);
CREATE TRIGGER strategies_touch_updated_at AFTER UPDATE ON strategies FOR EACH ROW WHEN NEW.updated_at = OLD.updated_at BEGIN
  UPDATE strategies SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER strategies_outbox_insert AFTER INSERT ON strategies FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('strategies', NEW.id);
END;
CREATE TRIGGER strategies_outbox_update AFTER UPDATE ON strategies FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('strategies', NEW.id);
END;
CREATE TRIGGER strategies_outbox_delete AFTER DELETE ON strategies FOR EACH ROW WHEN (SELECT capture FROM sync_state WHERE id = 1) = 1 BEGIN
  INSERT INTO sync_outbox (table_name, row_key) VALUES ('strategies', OLD.id);
END;
