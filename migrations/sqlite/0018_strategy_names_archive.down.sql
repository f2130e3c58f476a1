-- tradedeck: lossy
-- Names and the archive mark go. An archived instance comes back as a stopped one. Two
-- instances in use with the same kind, symbol and venue cannot both stay: the rebuild then
-- fails on the old UNIQUE and nothing changes.
DROP INDEX strategies_user_name;
CREATE TABLE strategies_old (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
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
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (user_id, strategy_name, instrument, broker, environment)
) STRICT;
INSERT INTO strategies_old (id, user_id, strategy_name, instrument, broker, environment, config, status, last_action, auto_reconnect,
  connected_at, disconnected_at, last_heartbeat, error_message, error_count, created_at, updated_at)
SELECT id, user_id, strategy_name, instrument, broker, environment, config, status, last_action, auto_reconnect,
  connected_at, disconnected_at, last_heartbeat, error_message, error_count, created_at, updated_at FROM strategies;
DROP TABLE strategies;
ALTER TABLE strategies_old RENAME TO strategies;
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
