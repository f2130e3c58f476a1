-- The economic calendar and the news a rules strategy can stay out around, as the platform Tradedeck
-- replaces stored them (snapshot_calendar, snapshot_news): market data shared by every profile, deduped by
-- natural key, replicated like the candles. And 'idea_withheld', the decision row of an idea a strategy
-- would have proposed but for such an event; SQLite cannot widen a CHECK in place, so decision_history is
-- rebuilt with its indexes, its append-only triggers and its sync-capture trigger.
CREATE TABLE calendar_events (
  id uuid PRIMARY KEY,
  event_time timestamptz NOT NULL,
  currency text NOT NULL CHECK (length(currency) BETWEEN 2 AND 10),
  impact text NOT NULL CHECK (impact IN ('low', 'medium', 'high')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  previous_value text,
  forecast_value text,
  actual_value text,
  captured_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_time, currency, title)
);
CREATE INDEX calendar_events_impact_time ON calendar_events (impact, event_time);
CREATE TABLE news_items (
  id uuid PRIMARY KEY,
  published_at timestamptz NOT NULL,
  source text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
  headline text NOT NULL CHECK (length(headline) BETWEEN 1 AND 1000),
  symbols jsonb NOT NULL CHECK (jsonb_typeof(symbols) = 'array'),
  captured_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (published_at, source, headline)
);
CREATE INDEX news_items_published ON news_items (published_at);
GRANT SELECT, INSERT, UPDATE ON calendar_events TO tradedeck_desk;
GRANT SELECT, INSERT ON news_items TO tradedeck_desk;
ALTER TABLE decision_history DROP CONSTRAINT decision_history_action_check;
ALTER TABLE decision_history ADD CONSTRAINT decision_history_action_check CHECK (action IN ('ai_proposed', 'ai_auto_executed', 'human_approved', 'human_rejected', 'risk_rejected', 'ai_halted', 'ai_resumed', 'idea_expired', 'order_filled', 'order_failed', 'strategy_started', 'strategy_stopped', 'strategy_error', 'idea_invalidated', 'idea_superseded', 'imported', 'reconciled', 'protection_changed', 'position_closed', 'position_modified', 'idea_withheld'));
