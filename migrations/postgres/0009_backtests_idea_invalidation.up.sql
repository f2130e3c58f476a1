-- Two new decision-history actions: a waiting idea the market ran through
-- (idea_invalidated) and one a newer idea replaced (idea_superseded).
ALTER TABLE decision_history DROP CONSTRAINT decision_history_action_check;
ALTER TABLE decision_history ADD CONSTRAINT decision_history_action_check CHECK (action IN ('ai_proposed', 'ai_auto_executed', 'human_approved', 'human_rejected', 'risk_rejected', 'ai_halted', 'ai_resumed', 'idea_expired', 'order_filled', 'order_failed', 'strategy_started', 'strategy_stopped', 'strategy_error', 'idea_invalidated', 'idea_superseded'));

-- One backtest run per row: what ran on which data, and everything it produced.
-- Backtests are research on a desk and never touch the account; they are not replicated.
CREATE TABLE backtest_runs (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  kind text NOT NULL,
  config jsonb NOT NULL,
  symbol text NOT NULL,
  timeframe text NOT NULL,
  source text NOT NULL CHECK (source IN ('synthetic', 'stored', 'csv')),
  seed integer,
  data_from timestamptz NOT NULL,
  data_to timestamptz NOT NULL,
  candles integer NOT NULL CHECK (candles >= 0),
  app_version text NOT NULL,
  stats jsonb NOT NULL,
  trades jsonb NOT NULL,
  equity jsonb NOT NULL,
  duration_ms integer NOT NULL CHECK (duration_ms >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX backtest_runs_user_time ON backtest_runs (user_id, created_at DESC);
