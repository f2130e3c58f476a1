CREATE TABLE strategies (
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
  error_count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (user_id, strategy_name, instrument, broker, environment)
) STRICT;
CREATE INDEX strategies_user_status ON strategies (user_id, status);
CREATE INDEX strategies_auto_reconnect ON strategies (auto_reconnect);
CREATE INDEX strategies_updated ON strategies (updated_at DESC);
CREATE TRIGGER strategies_touch_updated_at AFTER UPDATE ON strategies FOR EACH ROW WHEN NEW.updated_at = OLD.updated_at BEGIN
  UPDATE strategies SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;

CREATE TABLE risk_config (
  user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  ai_trading_enabled INTEGER NOT NULL DEFAULT 0 CHECK (ai_trading_enabled IN (0, 1)),
  min_confidence_threshold REAL NOT NULL DEFAULT 0.8 CHECK (min_confidence_threshold BETWEEN 0 AND 1),
  max_lot_size TEXT NOT NULL DEFAULT '1',
  max_concurrent_trades INTEGER NOT NULL DEFAULT 3 CHECK (max_concurrent_trades >= 0),
  daily_profit_target TEXT,
  stop_after_target INTEGER NOT NULL DEFAULT 0 CHECK (stop_after_target IN (0, 1)),
  max_drawdown_amount TEXT,
  halt_on_drawdown INTEGER NOT NULL DEFAULT 1 CHECK (halt_on_drawdown IN (0, 1)),
  allow_off_watchlist_autotrade INTEGER NOT NULL DEFAULT 0 CHECK (allow_off_watchlist_autotrade IN (0, 1)),
  watchlist TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(watchlist) AND json_type(watchlist) = 'array'),
  halted INTEGER NOT NULL DEFAULT 0 CHECK (halted IN (0, 1)),
  last_halt_reason TEXT,
  halted_at TEXT,
  day_boundary_timezone TEXT NOT NULL DEFAULT 'UTC',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE TRIGGER risk_config_touch_updated_at AFTER UPDATE ON risk_config FOR EACH ROW WHEN NEW.updated_at = OLD.updated_at BEGIN
  UPDATE risk_config SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE user_id = NEW.user_id;
END;
