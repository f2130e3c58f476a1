CREATE TABLE strategies (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  strategy_name text NOT NULL,
  instrument text NOT NULL,
  broker text NOT NULL DEFAULT 'paper',
  environment text NOT NULL CHECK (environment IN ('live', 'testnet', 'paper')),
  config jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'stopped' CHECK (status IN ('active', 'stopped', 'paused', 'error')),
  last_action text,
  auto_reconnect boolean NOT NULL DEFAULT false,
  connected_at timestamptz,
  disconnected_at timestamptz,
  last_heartbeat timestamptz,
  error_message text,
  error_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, strategy_name, instrument, broker, environment)
);
CREATE INDEX strategies_user_status ON strategies (user_id, status);
CREATE INDEX strategies_auto_reconnect ON strategies (auto_reconnect);
CREATE INDEX strategies_updated ON strategies (updated_at DESC);
CREATE TRIGGER strategies_touch_updated_at BEFORE UPDATE ON strategies FOR EACH ROW EXECUTE FUNCTION tradedeck_touch_updated_at();

CREATE TABLE risk_config (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  ai_trading_enabled boolean NOT NULL DEFAULT false,
  min_confidence_threshold double precision NOT NULL DEFAULT 0.8 CHECK (min_confidence_threshold BETWEEN 0 AND 1),
  max_lot_size numeric NOT NULL DEFAULT 1,
  max_concurrent_trades integer NOT NULL DEFAULT 3 CHECK (max_concurrent_trades >= 0),
  daily_profit_target numeric,
  stop_after_target boolean NOT NULL DEFAULT false,
  max_drawdown_amount numeric,
  halt_on_drawdown boolean NOT NULL DEFAULT true,
  allow_off_watchlist_autotrade boolean NOT NULL DEFAULT false,
  watchlist jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(watchlist) = 'array'),
  halted boolean NOT NULL DEFAULT false,
  last_halt_reason text,
  halted_at timestamptz,
  day_boundary_timezone text NOT NULL DEFAULT 'UTC',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER risk_config_touch_updated_at BEFORE UPDATE ON risk_config FOR EACH ROW EXECUTE FUNCTION tradedeck_touch_updated_at();
