-- Every foreign-key column gets an index: deleting or checking a parent row otherwise scans the whole child table.
CREATE INDEX indicator_snapshots_market_snapshot_id ON indicator_snapshots (market_snapshot_id);
CREATE INDEX trade_ideas_snapshot_id ON trade_ideas (snapshot_id);
CREATE INDEX trade_ideas_strategy_id ON trade_ideas (strategy_id);
CREATE INDEX orders_trade_idea_id ON orders (trade_idea_id);
CREATE INDEX orders_strategy_id ON orders (strategy_id);
CREATE INDEX positions_strategy_id ON positions (strategy_id);
CREATE INDEX trades_trade_idea_id ON trades (trade_idea_id);
CREATE INDEX trades_position_id ON trades (position_id);
CREATE INDEX trades_strategy_id ON trades (strategy_id);
CREATE INDEX error_logs_strategy_id ON error_logs (strategy_id);
CREATE INDEX decision_history_snapshot_id ON decision_history (snapshot_id);
CREATE INDEX decision_history_trade_idea_id ON decision_history (trade_idea_id);
CREATE INDEX decision_history_strategy_id ON decision_history (strategy_id);
