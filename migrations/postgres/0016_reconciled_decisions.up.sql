-- A new decision-history action: 'reconciled', one row for each difference found
-- between an exchange and the desk's record of it.
ALTER TABLE decision_history DROP CONSTRAINT decision_history_action_check;
ALTER TABLE decision_history ADD CONSTRAINT decision_history_action_check CHECK (action IN ('ai_proposed', 'ai_auto_executed', 'human_approved', 'human_rejected', 'risk_rejected', 'ai_halted', 'ai_resumed', 'idea_expired', 'order_filled', 'order_failed', 'strategy_started', 'strategy_stopped', 'strategy_error', 'idea_invalidated', 'idea_superseded', 'imported', 'reconciled'));
