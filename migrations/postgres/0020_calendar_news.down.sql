-- tradedeck: lossy
-- Back to the schema without the calendar and the news: their rows go (they are re-imported from their files),
-- and each 'idea_withheld' row becomes an 'idea_invalidated' row (rationale kept); decision_history is
-- append-only, so its guard trigger is lifted for that one rewrite only.
DROP TABLE calendar_events;
DROP TABLE news_items;
ALTER TABLE decision_history DISABLE TRIGGER decision_history_no_update_delete;
UPDATE decision_history SET action = 'idea_invalidated' WHERE action = 'idea_withheld';
ALTER TABLE decision_history ENABLE TRIGGER decision_history_no_update_delete;
ALTER TABLE decision_history DROP CONSTRAINT decision_history_action_check;
ALTER TABLE decision_history ADD CONSTRAINT decision_history_action_check CHECK (action IN ('ai_proposed', 'ai_auto_executed', 'human_approved', 'human_rejected', 'risk_rejected', 'ai_halted', 'ai_resumed', 'idea_expired', 'order_filled', 'order_failed', 'strategy_started', 'strategy_stopped', 'strategy_error', 'idea_invalidated', 'idea_superseded', 'imported', 'reconciled', 'protection_changed', 'position_closed', 'position_modified'));
