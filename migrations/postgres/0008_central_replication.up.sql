-- Central database for several desks. Each desk connects as its own login role,
-- made a member of tradedeck_desk and mapped to its users in desk_users by an
-- administrator (`tradedeck pg add-desk`). Row-Level Security then limits every
-- user table to the mapped users' rows, whatever SQL the desk sends. The owner
-- that runs migrations is not subject to it, so a single-trader setup is unchanged.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tradedeck_desk') THEN
    CREATE ROLE tradedeck_desk NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END;
$$;

CREATE TABLE desk_users (
  role_name text NOT NULL,
  user_id uuid NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (role_name, user_id)
);
CREATE INDEX desk_users_user ON desk_users (user_id);
ALTER TABLE desk_users ENABLE ROW LEVEL SECURITY;
CREATE POLICY desk_users_own_role ON desk_users FOR SELECT TO tradedeck_desk USING (role_name = current_user);

-- Replicated rows keep the updated_at they had on the desk.
CREATE OR REPLACE FUNCTION tradedeck_touch_updated_at() RETURNS trigger AS $$
BEGIN
  IF current_setting('tradedeck.replicating', true) IS DISTINCT FROM 'on' THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- Desks check the central schema version before they write; they get the number, not the migration history.
CREATE FUNCTION tradedeck_schema_version() RETURNS integer
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  RETURN (SELECT max(version) FROM schema_migrations);
END;
$$;
GRANT EXECUTE ON FUNCTION tradedeck_schema_version() TO tradedeck_desk;

GRANT SELECT ON desk_users TO tradedeck_desk;
-- Candles are written once and never changed, so no desk can alter what another desk's ideas point at;
-- indicator values from several desks are merged into one row, which needs UPDATE.
GRANT SELECT, INSERT ON market_snapshots TO tradedeck_desk;
GRANT SELECT, INSERT, UPDATE ON indicator_snapshots TO tradedeck_desk;
GRANT SELECT, INSERT ON decision_history TO tradedeck_desk;
GRANT SELECT, INSERT, UPDATE, DELETE ON users, credentials, audit_log, notifications, risk_config, strategies, trade_ideas, orders, fills, positions, trades, account_snapshots, service_logs, error_logs TO tradedeck_desk;

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_own_users ON users TO tradedeck_desk USING (id IN (SELECT user_id FROM desk_users WHERE role_name = current_user)) WITH CHECK (id IN (SELECT user_id FROM desk_users WHERE role_name = current_user));
ALTER TABLE credentials ENABLE ROW LEVEL SECURITY;
CREATE POLICY credentials_own_users ON credentials TO tradedeck_desk USING (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user)) WITH CHECK (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user));
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_log_own_users ON audit_log TO tradedeck_desk USING (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user)) WITH CHECK (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user));
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
CREATE POLICY notifications_own_users ON notifications TO tradedeck_desk USING (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user)) WITH CHECK (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user));
ALTER TABLE risk_config ENABLE ROW LEVEL SECURITY;
CREATE POLICY risk_config_own_users ON risk_config TO tradedeck_desk USING (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user)) WITH CHECK (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user));
ALTER TABLE strategies ENABLE ROW LEVEL SECURITY;
CREATE POLICY strategies_own_users ON strategies TO tradedeck_desk USING (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user)) WITH CHECK (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user));
ALTER TABLE trade_ideas ENABLE ROW LEVEL SECURITY;
CREATE POLICY trade_ideas_own_users ON trade_ideas TO tradedeck_desk USING (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user)) WITH CHECK (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user));
ALTER TABLE decision_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY decision_history_own_users ON decision_history TO tradedeck_desk USING (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user)) WITH CHECK (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user));
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_own_users ON orders TO tradedeck_desk USING (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user)) WITH CHECK (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user));
ALTER TABLE fills ENABLE ROW LEVEL SECURITY;
CREATE POLICY fills_own_users ON fills TO tradedeck_desk USING (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user)) WITH CHECK (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user));
ALTER TABLE positions ENABLE ROW LEVEL SECURITY;
CREATE POLICY positions_own_users ON positions TO tradedeck_desk USING (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user)) WITH CHECK (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user));
ALTER TABLE trades ENABLE ROW LEVEL SECURITY;
CREATE POLICY trades_own_users ON trades TO tradedeck_desk USING (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user)) WITH CHECK (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user));
ALTER TABLE account_snapshots ENABLE ROW LEVEL SECURITY;
CREATE POLICY account_snapshots_own_users ON account_snapshots TO tradedeck_desk USING (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user)) WITH CHECK (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user));
ALTER TABLE service_logs ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_logs_own_users ON service_logs TO tradedeck_desk USING (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user)) WITH CHECK (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user));
ALTER TABLE error_logs ENABLE ROW LEVEL SECURITY;
CREATE POLICY error_logs_own_users ON error_logs TO tradedeck_desk USING (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user)) WITH CHECK (user_id IN (SELECT user_id FROM desk_users WHERE role_name = current_user));
