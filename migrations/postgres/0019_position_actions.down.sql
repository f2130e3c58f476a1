-- tradedeck: lossy
-- The position actions become 'protection_changed' rows (rationale kept); decision_history is
-- append-only, so its guard trigger is lifted for that one rewrite only.
ALTER TABLE decision_history DISABLE TRIGGER decision_history_no_update_delete;
UPDATE decision_history SET action = 'protection_changed' WHERE action IN ('position_closed', 'position_modified');
ALTER TABLE decision_history ENABLE TRIGGER decision_history_no_update_delete;
ALTER TABLE decision_history DROP CONSTRAINT decision_history_action_check;
ALTER TABLE decision_history ADD CONSTRAINT decision_history_action_check CHECK (action IN ('ai_proposed', 'ai_auto_executed', 'human_approved', 'human_rejected', 'risk_rejected', 'ai_halted', 'ai_resumed', 'idea_expired', 'order_filled', 'order_failed', 'strategy_started', 'strategy_stopped', 'strategy_error', 'idea_invalidated', 'idea_superseded', 'imported', 'reconciled', 'protection_changed'));
