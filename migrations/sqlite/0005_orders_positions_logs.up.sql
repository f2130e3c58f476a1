CREATE TABLE orders (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  strategy_id TEXT REFERENCES strategies (id) ON DELETE SET NULL,
  trade_idea_id TEXT REFERENCES trade_ideas (id) ON DELETE SET NULL,
  broker TEXT NOT NULL,
  environment TEXT NOT NULL CHECK (environment IN ('live', 'testnet', 'paper')),
  broker_order_id TEXT,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  type TEXT NOT NULL CHECK (type IN ('market', 'limit', 'stop', 'stop_limit')),
  quantity TEXT NOT NULL,
  limit_price TEXT,
  stop_price TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'open', 'partially_filled', 'filled', 'cancelled', 'rejected', 'failed')),
  metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX orders_user_status ON orders (user_id, status, created_at DESC);
CREATE UNIQUE INDEX orders_broker_order ON orders (broker, broker_order_id) WHERE broker_order_id IS NOT NULL;

CREATE TABLE fills (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  broker TEXT NOT NULL,
  broker_fill_id TEXT,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  quantity TEXT NOT NULL,
  price TEXT NOT NULL,
  fee TEXT NOT NULL DEFAULT '0',
  fee_currency TEXT,
  metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
  filled_at TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX fills_order ON fills (order_id);
CREATE INDEX fills_user_time ON fills (user_id, filled_at DESC);

CREATE TABLE positions (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  strategy_id TEXT REFERENCES strategies (id) ON DELETE SET NULL,
  broker TEXT NOT NULL,
  environment TEXT NOT NULL CHECK (environment IN ('live', 'testnet', 'paper')),
  broker_position_id TEXT,
  symbol TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('long', 'short')),
  quantity TEXT NOT NULL,
  average_price TEXT NOT NULL,
  stop_loss TEXT,
  take_profit TEXT,
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
  opened_at TEXT NOT NULL,
  closed_at TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX positions_user_status ON positions (user_id, status);

CREATE TABLE trades (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  strategy_id TEXT REFERENCES strategies (id) ON DELETE SET NULL,
  position_id TEXT REFERENCES positions (id) ON DELETE SET NULL,
  trade_idea_id TEXT REFERENCES trade_ideas (id) ON DELETE SET NULL,
  broker TEXT NOT NULL,
  broker_trade_id TEXT,
  symbol TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('long', 'short')),
  quantity TEXT NOT NULL,
  entry_price TEXT NOT NULL,
  exit_price TEXT NOT NULL,
  realized_pnl TEXT NOT NULL,
  fees TEXT NOT NULL DEFAULT '0',
  exit_reason TEXT NOT NULL CHECK (exit_reason IN ('take_profit', 'stop_loss', 'manual', 'strategy', 'expired', 'liquidation')),
  metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
  opened_at TEXT NOT NULL,
  closed_at TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX trades_user_closed ON trades (user_id, closed_at DESC);

CREATE TABLE account_snapshots (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  broker TEXT NOT NULL,
  environment TEXT NOT NULL CHECK (environment IN ('live', 'testnet', 'paper')),
  balance TEXT NOT NULL,
  equity TEXT NOT NULL,
  margin_used TEXT NOT NULL DEFAULT '0',
  open_pl TEXT NOT NULL DEFAULT '0',
  open_positions INTEGER NOT NULL DEFAULT 0 CHECK (open_positions >= 0),
  captured_at TEXT NOT NULL
) STRICT;
CREATE INDEX account_snapshots_user_time ON account_snapshots (user_id, captured_at DESC);

CREATE TABLE service_logs (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
  strategy_id TEXT REFERENCES strategies (id) ON DELETE CASCADE,
  level TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
  message TEXT NOT NULL,
  context TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(context)),
  ts TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX service_logs_strategy_time ON service_logs (strategy_id, ts DESC);
CREATE INDEX service_logs_user_time ON service_logs (user_id, ts DESC);

CREATE TABLE error_logs (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
  strategy_id TEXT REFERENCES strategies (id) ON DELETE CASCADE,
  message TEXT NOT NULL,
  stack TEXT,
  context TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(context)),
  ts TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  resolved_at TEXT
) STRICT;
CREATE INDEX error_logs_user_open ON error_logs (user_id, resolved_at, ts DESC);
CREATE TRIGGER orders_touch_updated_at AFTER UPDATE ON orders FOR EACH ROW WHEN NEW.updated_at = OLD.updated_at BEGIN
  UPDATE orders SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER positions_touch_updated_at AFTER UPDATE ON positions FOR EACH ROW WHEN NEW.updated_at = OLD.updated_at BEGIN
  UPDATE positions SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
