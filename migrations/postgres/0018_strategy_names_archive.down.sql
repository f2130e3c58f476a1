-- tradedeck: lossy
-- Names and the archive mark go. An archived instance comes back as a stopped one. Two
-- instances in use with the same kind, symbol and venue cannot both stay: the old UNIQUE then
-- fails and nothing changes.
DROP INDEX strategies_user_name;
ALTER TABLE strategies DROP CONSTRAINT strategies_name_length;
ALTER TABLE strategies DROP COLUMN archived_at;
ALTER TABLE strategies DROP COLUMN name;
ALTER TABLE strategies ADD CONSTRAINT strategies_user_id_strategy_name_instrument_broker_environm_key UNIQUE (user_id, strategy_name, instrument, broker, environment);
