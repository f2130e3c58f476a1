-- A new decision-history action: 'protection_changed', one row each time Tradedeck places a
-- position's stop or target again, resizes it to the position, or falls back to watching
-- the position itself. The risk config also gains a maximum daily loss (empty means none).
ALTER TABLE decision_history DROP CONSTRAINT decision_history_action_check;
ALTER TABLE decision_history ADD CONSTRAINT decision_history_action_check CHECK (action IN ('ai_proposed', 'ai_auto_executed', 'human_approved', 'human_rejected', 'risk_rejected', 'ai_halted', 'ai_resumed', 'idea_expired', 'order_filled', 'order_failed', 'strategy_started', 'strategy_stopped', 'strategy_error', 'idea_invalidated', 'idea_superseded', 'imported', 'reconciled', 'protection_changed'));
ALTER TABLE risk_config ADD COLUMN max_daily_loss TEXT;
