-- The risk config caps how much an order may be worth (size × entry price) and how much
-- the day's orders may be worth together; empty (NULL) means no cap, as before.
ALTER TABLE risk_config ADD COLUMN max_order_notional TEXT;
ALTER TABLE risk_config ADD COLUMN max_daily_notional TEXT;
