-- tradedeck: lossy
-- The two caps go with their columns.
ALTER TABLE risk_config DROP COLUMN max_daily_notional;
ALTER TABLE risk_config DROP COLUMN max_order_notional;
