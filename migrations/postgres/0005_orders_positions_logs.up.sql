CREATE TABLE orders (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  strategy_id uuid REFERENCES strategies (id) ON DELETE SET NULL,
  trade_idea_id uuid REFERENCES trade_ideas (id) ON DELETE SET NULL,
  broker text NOT NULL,
  environment text NOT NULL CHECK (environment IN ('live', 'testnet', 'paper')),
  broker_order_id text,
  symbol text NOT NULL,
  side text NOT NULL CHECK (side IN ('buy', 'sell')),
  type text NOT NULL CHECK (type IN ('market', 'limit', 'stop', 'stop_limit')),
  quantity numeric NOT NULL,
  limit_price numeric,
  stop_price numeric,
  status text NOT NULL CHECK (status IN ('pending', 'open', 'partially_filled', 'filled', 'cancelled', 'rejected', 'failed')),
  metadata jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_user_status ON orders (user_id, status, created_at DESC);
CREATE UNIQUE INDEX orders_broker_order ON orders (broker, broker_order_id) WHERE broker_order_id IS NOT NULL;

CREATE TABLE fills (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  broker text NOT NULL,
  broker_fill_id text,
  symbol text NOT NULL,
  side text NOT NULL CHECK (side IN ('buy', 'sell')),
  quantity numeric NOT NULL,
  price numeric NOT NULL,
  fee numeric NOT NULL DEFAULT 0,
  fee_currency text,
  metadata jsonb NOT NULL DEFAULT '{}',
  filled_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fills_order ON fills (order_id);
CREATE INDEX fills_user_time ON fills (user_id, filled_at DESC);

CREATE TABLE positions (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  strategy_id uuid REFERENCES strategies (id) ON DELETE SET NULL,
  broker text NOT NULL,
  environment text NOT NULL CHECK (environment IN ('live', 'testnet', 'paper')),
  broker_position_id text,
  symbol text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('long', 'short')),
  quantity numeric NOT NULL,
  average_price numeric NOT NULL,
  stop_loss numeric,
  take_profit numeric,
  status text NOT NULL CHECK (status IN ('open', 'closed')),
  metadata jsonb NOT NULL DEFAULT '{}',
  opened_at timestamptz NOT NULL,
  closed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX positions_user_status ON positions (user_id, status);

CREATE TABLE trades (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  strategy_id uuid REFERENCES strategies (id) ON DELETE SET NULL,
  position_id uuid REFERENCES positions (id) ON DELETE SET NULL,
  trade_idea_id uuid REFERENCES trade_ideas (id) ON DELETE SET NULL,
  broker text NOT NULL,
  broker_trade_id text,
  symbol text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('long', 'short')),
  quantity numeric NOT NULL,
  entry_price numeric NOT NULL,
  exit_price numeric NOT NULL,
  realized_pnl numeric NOT NULL,
  fees numeric NOT NULL DEFAULT 0,
  exit_reason text NOT NULL CHECK (exit_reason IN ('take_profit', 'stop_loss', 'manual', 'strategy', 'expired', 'liquidation')),
  metadata jsonb NOT NULL DEFAULT '{}',
  opened_at timestamptz NOT NULL,
  closed_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trades_user_closed ON trades (user_id, closed_at DESC);

CREATE TABLE account_snapshots (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  broker text NOT NULL,
  environment text NOT NULL CHECK (environment IN ('live', 'testnet', 'paper')),
  balance numeric NOT NULL,
  equity numeric NOT NULL,
  margin_used numeric NOT NULL DEFAULT 0,
  open_pl numeric NOT NULL DEFAULT 0,
  open_positions integer NOT NULL DEFAULT 0 CHECK (open_positions >= 0),
  captured_at timestamptz NOT NULL
);
CREATE INDEX account_snapshots_user_time ON account_snapshots (user_id, captured_at DESC);

CREATE TABLE service_logs (
  id uuid PRIMARY KEY,
  user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  strategy_id uuid REFERENCES strategies (id) ON DELETE CASCADE,
  level text NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
  message text NOT NULL,
  context jsonb NOT NULL DEFAULT '{}',
  ts timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_logs_strategy_time ON service_logs (strategy_id, ts DESC);
CREATE INDEX service_logs_user_time ON service_logs (user_id, ts DESC);

CREATE TABLE error_logs (
  id uuid PRIMARY KEY,
  user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  strategy_id uuid REFERENCES strategies (id) ON DELETE CASCADE,
  message text NOT NULL,
  stack text,
  context jsonb NOT NULL DEFAULT '{}',
  ts timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
CREATE INDEX error_logs_user_open ON error_logs (user_id, resolved_at, ts DESC);
CREATE TRIGGER orders_touch_updated_at BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION tradedeck_touch_updated_at();
CREATE TRIGGER positions_touch_updated_at BEFORE UPDATE ON positions FOR EACH ROW EXECUTE FUNCTION tradedeck_touch_updated_at();
