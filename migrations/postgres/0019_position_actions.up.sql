-- Two new decision-history actions for a trader's control of one position: 'position_closed'
-- (a close or a part close asked for, by a person or a strategy's rule) and 'position_modified'
-- (its stop-loss or take-profit moved).
ALTER TABLE decision_history DROP CONSTRAINT decision_history_action_check;
ALTER TABLE decision_history ADD CONSTRAINT decision_history_action_check CHECK (action IN ('ai_proposed', 'ai_auto_executed', 'human_approved', 'human_rejected', 'risk_rejected', 'ai_halted', 'ai_resumed', 'idea_expired', 'order_filled', 'order_failed', 'strategy_started', 'strategy_stopped', 'strategy_error', 'idea_invalidated', 'idea_superseded', 'imported', 'reconciled', 'protection_changed', 'position_closed', 'position_modified'));
