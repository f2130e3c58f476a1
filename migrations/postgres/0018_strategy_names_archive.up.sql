-- Each strategy instance gets a name of its own (by default its kind, symbol and candle length)
-- and can be archived: it leaves the desk's list while its decision history keeps pointing at it.
-- Two instances may now share a kind, symbol and venue; the names of the instances in use are
-- unique per profile. Existing instances are named from their kind, symbol and candle length,
-- with the venue added where that alone would repeat a name. Naming them is not an edit, so the
-- touch trigger is off while it runs.
ALTER TABLE strategies ADD COLUMN name text;
ALTER TABLE strategies ADD COLUMN archived_at timestamptz;
ALTER TABLE strategies DISABLE TRIGGER strategies_touch_updated_at;
UPDATE strategies SET name = named.name
FROM (
  SELECT id, CASE WHEN count(*) OVER (PARTITION BY user_id, base) = 1 THEN base ELSE base || ' (' || broker || ' ' || environment || ')' END AS name
  FROM (
    SELECT id, user_id, broker, environment, left(CASE strategy_name
        WHEN 'ema_crossover' THEN 'EMA crossover'
        WHEN 'donchian_breakout' THEN 'Donchian breakout'
        WHEN 'rsi_mean_reversion' THEN 'RSI mean reversion'
        ELSE strategy_name END || ' ' || instrument || coalesce(' ' || (config ->> 'timeframe'), ''), 50) AS base
    FROM strategies
  ) based
) named
WHERE strategies.id = named.id;
ALTER TABLE strategies ENABLE TRIGGER strategies_touch_updated_at;
ALTER TABLE strategies ALTER COLUMN name SET NOT NULL;
ALTER TABLE strategies ADD CONSTRAINT strategies_name_length CHECK (char_length(name) BETWEEN 1 AND 80);
ALTER TABLE strategies DROP CONSTRAINT strategies_user_id_strategy_name_instrument_broker_environm_key;
CREATE UNIQUE INDEX strategies_user_name ON strategies (user_id, name) WHERE archived_at IS NULL;
