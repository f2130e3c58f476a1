-- tradedeck: lossy
-- Losing backtest runs, and the two newer actions become idea_expired (what they
-- are to this older schema). The append-only trigger is lifted for that one
-- rewrite only; no row of decision history is dropped.
DROP TABLE backtest_runs;
ALTER TABLE decision_history DISABLE TRIGGER decision_history_no_update_delete;
UPDATE decision_history SET action = 'idea_expired' WHERE action IN ('idea_invalidated', 'idea_superseded');
ALTER TABLE decision_history ENABLE TRIGGER decision_history_no_update_delete;
ALTER TABLE decision_history DROP CONSTRAINT decision_history_action_check;
ALTER TABLE decision_history ADD CONSTRAINT decision_history_action_check CHECK (action IN ('ai_proposed', 'ai_auto_executed', 'human_approved', 'human_rejected', 'risk_rejected', 'ai_halted', 'ai_resumed', 'idea_expired', 'order_filled', 'order_failed', 'strategy_started', 'strategy_stopped', 'strategy_error'));
