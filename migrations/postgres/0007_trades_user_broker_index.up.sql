-- Realised totals read only the trades after the last one they summed.
CREATE INDEX trades_user_broker_id ON trades (user_id, broker, id);
