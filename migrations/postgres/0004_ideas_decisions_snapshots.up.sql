CREATE TABLE market_snapshots (
  id uuid PRIMARY KEY,
  symbol text NOT NULL,
  timeframe text NOT NULL,
  ts timestamptz NOT NULL,
  open numeric NOT NULL,
  high numeric NOT NULL,
  low numeric NOT NULL,
  close numeric NOT NULL,
  volume numeric NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (symbol, timeframe, ts)
);

CREATE TABLE indicator_snapshots (
  id uuid PRIMARY KEY,
  symbol text NOT NULL,
  timeframe text NOT NULL,
  ts timestamptz NOT NULL,
  indicators jsonb NOT NULL,
  market_snapshot_id uuid REFERENCES market_snapshots (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (symbol, timeframe, ts)
);

CREATE TABLE trade_ideas (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  strategy_id uuid REFERENCES strategies (id) ON DELETE SET NULL,
  symbol text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('long', 'short')),
  entry_price numeric NOT NULL,
  entry_range_low numeric,
  entry_range_high numeric,
  stop_loss numeric NOT NULL,
  take_profit numeric NOT NULL,
  size numeric NOT NULL,
  expected_hold text,
  rationale text NOT NULL,
  confidence double precision NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  status text NOT NULL CHECK (status IN ('waiting', 'needs_approval', 'approved', 'auto_executed', 'rejected', 'halted_by_risk', 'expired', 'executed', 'failed')),
  snapshot_id uuid REFERENCES market_snapshots (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  decided_at timestamptz,
  decided_by text,
  decision_note text
);
CREATE INDEX trade_ideas_user_status ON trade_ideas (user_id, status, created_at);
CREATE INDEX trade_ideas_symbol ON trade_ideas (symbol, created_at);
CREATE TRIGGER trade_ideas_touch_updated_at BEFORE UPDATE ON trade_ideas FOR EACH ROW EXECUTE FUNCTION tradedeck_touch_updated_at();

-- Append-only: references never cascade into it, so deleting a strategy or user
-- with history is refused rather than rewriting it.
CREATE TABLE decision_history (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  occurred_at timestamptz NOT NULL DEFAULT now(),
  symbol text,
  action text NOT NULL CHECK (action IN ('ai_proposed', 'ai_auto_executed', 'human_approved', 'human_rejected', 'risk_rejected', 'ai_halted', 'ai_resumed', 'idea_expired', 'order_filled', 'order_failed', 'strategy_started', 'strategy_stopped', 'strategy_error')),
  rationale text NOT NULL DEFAULT '',
  confidence double precision CHECK (confidence BETWEEN 0 AND 1),
  risk_check jsonb,
  strategy_id uuid REFERENCES strategies (id),
  trade_idea_id uuid REFERENCES trade_ideas (id),
  order_id uuid,
  snapshot_id uuid REFERENCES market_snapshots (id),
  actor text NOT NULL CHECK (actor IN ('ai', 'risk', 'system') OR actor LIKE 'human:_%'),
  human_override boolean NOT NULL DEFAULT false
);
CREATE INDEX decision_history_user_time ON decision_history (user_id, occurred_at DESC, id DESC);
CREATE INDEX decision_history_user_symbol_time ON decision_history (user_id, symbol, occurred_at DESC, id DESC);
CREATE INDEX decision_history_user_action_time ON decision_history (user_id, action, occurred_at DESC, id DESC);
CREATE FUNCTION decision_history_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'decision_history is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER decision_history_no_update_delete BEFORE UPDATE OR DELETE ON decision_history FOR EACH ROW EXECUTE FUNCTION decision_history_append_only();
CREATE TRIGGER decision_history_no_truncate BEFORE TRUNCATE ON decision_history FOR EACH STATEMENT EXECUTE FUNCTION decision_history_append_only();
